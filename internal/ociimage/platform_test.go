package ociimage

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestParsePlatform(t *testing.T) {
	for in, want := range map[string]Platform{
		"linux/amd64":     {"linux", "amd64", ""},
		"linux/amd64/v1":  {"linux", "amd64", ""},
		"linux/amd64/v3":  {"linux", "amd64", "v3"},
		"linux/arm64":     {"linux", "arm64", ""},
		"linux/arm64/v8":  {"linux", "arm64", ""},
		"linux/aarch64":   {"linux", "arm64", ""},
		"linux/x86_64":    {"linux", "amd64", ""},
		"linux/arm":       {"linux", "arm", "v7"},
		"linux/arm/v7":    {"linux", "arm", "v7"},
		"linux/arm/7":     {"linux", "arm", "v7"},
		"linux/arm/v6":    {"linux", "arm", "v6"},
		"linux/arm/v5":    {"linux", "arm", "v5"},
		"linux/armhf":     {"linux", "arm", "v7"},
		"linux/armel":     {"linux", "arm", "v6"},
		"Linux/ARM64":     {"linux", "arm64", ""},
		"linux/riscv64":   {"linux", "riscv64", ""},
		"windows/amd64":   {"windows", "amd64", ""},
		"linux/arm/v8":    {"linux", "arm", "v8"},
		"linux/386":       {"linux", "386", ""},
		"linux/ppc64le":   {"linux", "ppc64le", ""},
		"linux/s390x":     {"linux", "s390x", ""},
		"linux/amd64/v4":  {"linux", "amd64", "v4"},
		"linux/arm64/8":   {"linux", "arm64", ""},
		"linux/x86-64/v1": {"linux", "amd64", ""},
	} {
		got, err := ParsePlatform(in)
		if err != nil || got != want {
			t.Errorf("ParsePlatform(%q) = %+v, %v; want %+v", in, got, err, want)
		}
	}
	for _, bad := range []string{
		"", "linux", "amd64", "linux/", "/amd64", "linux/amd46", "lnux/amd64",
		"linux/arm/v4", "linux/arm/v9", "linux/arm/", "linux/arm/vv7", "linux/arm64/v9",
		"linux/amd64/v5", "linux/riscv64/v1", "linux/arm/v6/x", "linux amd64",
	} {
		_, err := ParsePlatform(bad)
		if !errors.Is(err, ErrBadPlatform) {
			t.Errorf("ParsePlatform(%q) error = %v, want ErrBadPlatform", bad, err)
			continue
		}
		if !strings.Contains(err.Error(), "OS/ARCH[/VARIANT]") || !strings.Contains(err.Error(), "linux/arm/v6") {
			t.Errorf("ParsePlatform(%q) error %q does not show the expected form", bad, err)
		}
	}
}

func TestPlatformString(t *testing.T) {
	for p, want := range map[Platform]string{
		{"linux", "arm", "v6"}:   "linux/arm/v6",
		{"linux", "amd64", ""}:   "linux/amd64",
		{"linux", "arm64", ""}:   "linux/arm64",
		{}:                       "",
		{"linux", "arm", "v7"}:   "linux/arm/v7",
		{"windows", "386", ""}:   "windows/386",
		{"linux", "amd64", "v3"}: "linux/amd64/v3",
	} {
		if got := p.String(); got != want {
			t.Errorf("%#v.String() = %q, want %q", p, got, want)
		}
		if p == (Platform{}) {
			continue
		}
		if back, err := ParsePlatform(want); err != nil || back != p {
			t.Errorf("ParsePlatform(%q) = %+v, %v; want %+v", want, back, err, p)
		}
	}
}

func TestPlatformJSON(t *testing.T) {
	in := map[Platform][]Platform{{"linux", "arm", "v7"}: {{"linux", "arm", "v7"}, {"linux", "arm", "v6"}}}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"linux/arm/v7":["linux/arm/v7","linux/arm/v6"]}`; string(b) != want {
		t.Errorf("JSON = %s, want %s", b, want)
	}
	var out map[Platform][]Platform
	if err := json.Unmarshal(b, &out); err != nil || len(out[Platform{"linux", "arm", "v7"}]) != 2 {
		t.Errorf("round trip: %v, %v", out, err)
	}
	var p Platform
	if err := json.Unmarshal([]byte(`"linux/amd46"`), &p); !errors.Is(err, ErrBadPlatform) {
		t.Errorf("unmarshal of a bad platform: %v", err)
	}
}

func TestHost(t *testing.T) {
	h := Host()
	t.Logf("Host() = %v", h)
	if err := h.validate(); err != nil {
		t.Fatalf("Host() = %v: %v", h, err)
	}
	if h.Architecture == "arm" && h.Variant == "" {
		t.Errorf("Host() = %v: an ARM host needs its variant", h)
	}
	if !h.Runs(h) {
		t.Errorf("the host does not run its own platform %v", h)
	}
}
