package ociimage

import (
	"slices"
	"testing"
)

func mustPlatform(t *testing.T, s string) Platform {
	t.Helper()
	p, err := ParsePlatform(s)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestRuns(t *testing.T) {
	for _, tc := range []struct {
		device, image string
		runs          bool
	}{
		{"linux/amd64", "linux/amd64", true},
		{"linux/amd64", "linux/arm64", false},
		{"linux/amd64", "windows/amd64", false},
		{"linux/amd64", "linux/386", true}, // containerd's rule: amd64 CPUs run 386 code
		{"linux/arm64", "linux/arm64", true},
		{"linux/arm64", "linux/arm64/v8", true},
		{"linux/arm64", "linux/arm/v7", true}, // and arm64 ones 32-bit ARM
		{"linux/arm64", "linux/arm/v5", true},
		{"linux/arm/v7", "linux/386", false},
		{"linux/arm64", "linux/amd64", false},
		{"linux/arm/v7", "linux/arm/v7", true},
		{"linux/arm/v7", "linux/arm/v6", true},
		{"linux/arm/v7", "linux/arm/v5", true},
		{"linux/arm/v7", "linux/arm", true},
		{"linux/arm/v7", "linux/arm64", false},
		{"linux/arm/v6", "linux/arm/v7", false},
		{"linux/arm/v6", "linux/arm", false}, // "arm" is v7
		{"linux/arm/v6", "linux/arm/v6", true},
		{"linux/arm/v6", "linux/arm/v5", true},
		{"linux/arm/v5", "linux/arm/v6", false},
		{"linux/arm/v5", "linux/arm/v5", true},
		{"linux/arm", "linux/arm/v6", true},
		{"linux/amd64/v3", "linux/amd64", true},
		{"linux/amd64/v3", "linux/amd64/v2", true},
		{"linux/amd64", "linux/amd64/v3", false},
	} {
		d, i := mustPlatform(t, tc.device), mustPlatform(t, tc.image)
		if got := d.Runs(i); got != tc.runs {
			t.Errorf("%s runs %s = %v, want %v", tc.device, tc.image, got, tc.runs)
		}
	}
	// Unnormalised literals compare as containerd would.
	if !(Platform{"linux", "arm", ""}).Runs(Platform{"linux", "arm", "v7"}) {
		t.Error("linux/arm does not run linux/arm/v7")
	}
	if !(Platform{"linux", "aarch64", "v8"}).Runs(Platform{"linux", "arm64", ""}) {
		t.Error("linux/aarch64/v8 does not run linux/arm64")
	}
	if (Platform{"linux", "mips", ""}).Runs(Platform{"linux", "mips", "x"}) {
		t.Error("unordered variants must match exactly")
	}
}

func TestCompatible(t *testing.T) {
	for host, want := range map[string][]string{
		"linux/arm/v7":   {"linux/arm/v7", "linux/arm/v6", "linux/arm/v5"},
		"linux/arm":      {"linux/arm/v7", "linux/arm/v6", "linux/arm/v5"},
		"linux/arm/v6":   {"linux/arm/v6", "linux/arm/v5"},
		"linux/arm/v5":   {"linux/arm/v5"},
		"linux/amd64":    {"linux/amd64", "linux/386"},
		"linux/arm64":    {"linux/arm64", "linux/arm/v8", "linux/arm/v7", "linux/arm/v6", "linux/arm/v5"},
		"linux/arm64/v8": {"linux/arm64", "linux/arm/v8", "linux/arm/v7", "linux/arm/v6", "linux/arm/v5"},
		"linux/amd64/v3": {"linux/amd64/v3", "linux/amd64/v2", "linux/amd64", "linux/386"},
		"linux/riscv64":  {"linux/riscv64"},
	} {
		h := mustPlatform(t, host)
		var got []string
		for _, p := range Compatible(h) {
			got = append(got, p.String())
			if !h.Runs(p) {
				t.Errorf("Compatible(%s) lists %s, which it does not run", host, p)
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("Compatible(%s) = %v, want %v", host, got, want)
		}
	}
}
