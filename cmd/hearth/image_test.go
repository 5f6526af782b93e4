package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/hearth-home/hearth/internal/ociimage"
	"github.com/hearth-home/hearth/sandbox/sandboxtest"
)

// packArgs are two real static binaries, as `make` would build them.
func packArgs(t *testing.T) []string {
	t.Helper()
	return []string{
		"linux/amd64=" + sandboxtest.BuildTestApp(t, "linux", "amd64"),
		"linux/arm64=" + sandboxtest.BuildTestApp(t, "linux", "arm64"),
	}
}

func TestImagePackAndInspect(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "app.oci.tar")
	// An older file is replaced whole.
	os.WriteFile(file, []byte("an older build"), 0o644)
	out, errOut, code := runCLI(t, nil, append([]string{"image", "pack", "-o", file, "--entrypoint", "/testapp"}, packArgs(t)...)...)
	if code != exitOK || errOut != "" {
		t.Fatalf("pack: exit %d, stderr:\n%s", code, errOut)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	digest := digestOf(b)
	for _, want := range []string{"File:", file, "Digest:", digest, "Platforms:", "linux/amd64 linux/arm64"} {
		if !strings.Contains(out, want) {
			t.Errorf("pack output lacks %q:\n%s", want, out)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("pack left %d files in the directory, want 1", len(entries))
	}
	if ps, err := ociimage.PlatformsFile(file); err != nil || len(ps) != 2 {
		t.Errorf("PlatformsFile = %v, %v", ps, err)
	}

	// Same binaries, same bytes, however the arguments are ordered.
	again := filepath.Join(dir, "again.oci.tar")
	args := packArgs(t)
	slices.Reverse(args)
	if _, errOut, code := runCLI(t, nil, append(append([]string{"image", "pack"}, args...), "--entrypoint=/testapp", "-o", again)...); code != exitOK {
		t.Fatalf("second pack: exit %d:\n%s", code, errOut)
	}
	if b2, _ := os.ReadFile(again); string(b2) != string(b) {
		t.Error("packing the same binaries twice gave different archives")
	}

	out, errOut, code = runCLI(t, nil, "image", "inspect", file)
	if code != exitOK || !strings.Contains(out, digest) || !strings.Contains(out, "linux/amd64 linux/arm64") {
		t.Errorf("inspect: exit %d, stdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	out, _, code = runCLI(t, nil, "image", "inspect", "-o", "json", file)
	var info struct {
		File      string
		Digest    string
		Size      int64
		Platforms []string
	}
	if err := json.Unmarshal([]byte(out), &info); err != nil || code != exitOK {
		t.Fatalf("inspect -o json: exit %d, %v:\n%s", code, err, out)
	}
	if info.File != file || info.Digest != digest || info.Size != int64(len(b)) || !slices.Equal(info.Platforms, []string{"linux/amd64", "linux/arm64"}) {
		t.Errorf("inspect -o json = %+v", info)
	}
}

func TestImageErrors(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "app.oci.tar")
	amd64 := sandboxtest.BuildTestApp(t, "linux", "amd64")
	missing := filepath.Join(dir, "vanity-linux-arm64")
	garbage := filepath.Join(dir, "garbage.tar")
	os.WriteFile(garbage, []byte("not an archive at all"), 0o644)

	for _, tc := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"image", "pack", "linux/amd64=" + amd64}, exitUsage, "-o FILE is required"},
		{[]string{"image", "pack", "-o", file}, exitUsage, "missing PLATFORM=BINARY..."},
		{[]string{"image", "pack", "-o", file, amd64}, exitUsage, "want PLATFORM=BINARY"},
		{[]string{"image", "pack", "-o", file, "linux/amd46=" + amd64}, exitUsage, "want OS/ARCH[/VARIANT], e.g. linux/amd64"},
		{[]string{"image", "pack", "-o", file, "linux/arm=" + amd64, "linux/arm/v7=" + amd64}, exitUsage, "platform linux/arm/v7 given twice"},
		{[]string{"image", "pack", "-o", file, "--entrypoint", "/in/app", "linux/amd64=" + amd64}, exitUsage, "--entrypoint: bad entry point"},
		{[]string{"image", "pack", "-o", file, "linux/amd64=" + amd64, "linux/arm64=" + missing}, exitFail, "binary for linux/arm64 not found: " + missing},
		{[]string{"image", "pack", "-o", file, "linux/arm64=" + amd64}, exitFail, amd64 + " is built for amd64, not linux/arm64"},
		{[]string{"image", "pack", "-o", file, "linux/amd64=" + garbage}, exitFail, "is not an ELF executable"},
		{[]string{"image", "pack", "--credentials", "x", "-o", file, "linux/amd64=" + amd64}, exitUsage, "unknown flag --credentials"},
		{[]string{"image", "inspect"}, exitUsage, "missing FILE"},
		{[]string{"image", "inspect", garbage}, exitFail, garbage + ": not an image archive"},
		{[]string{"image", "inspect", missing}, exitFail, "no such file"},
	} {
		out, errOut, code := runCLI(t, nil, tc.args...)
		if code != tc.code || out != "" || !strings.Contains(errOut, tc.msg) {
			t.Errorf("%q: exit %d (want %d), stdout %q, stderr lacks %q:\n%s", tc.args, code, tc.code, out, tc.msg, errOut)
		}
	}
	// Nothing was written, not even a temporary file.
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("failed packs left files: %v", entries)
	}
}

func TestImageHelp(t *testing.T) {
	for _, args := range [][]string{
		{"image", "--help"}, {"help", "image"}, {"image", "pack", "--help"}, {"image", "inspect", "-h"},
	} {
		out, errOut, code := runCLI(t, nil, args...)
		if code != exitOK || errOut != "" || !strings.HasPrefix(out, "Usage:\n  hearth image") || !strings.Contains(out, "Example:\n  hearth image") {
			t.Errorf("%q: exit %d, stderr %q, help:\n%s", args, code, errOut, out)
		}
		if strings.Contains(out, "--credentials") {
			t.Errorf("%q: offline command offers --credentials:\n%s", args, out)
		}
	}
	out, _, _ := runCLI(t, nil, "--help")
	for _, want := range []string{"image pack PLATFORM=BINARY... -o FILE", "image inspect FILE"} {
		if !strings.Contains(out, want) {
			t.Errorf("--help lacks %q:\n%s", want, out)
		}
	}
}
