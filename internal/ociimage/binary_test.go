package ociimage

import (
	"debug/elf"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// buildHello builds a tiny static Go program for a target.
func buildHello(t *testing.T, goarch, goarm string) string {
	t.Helper()
	gotool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("needs the go tool")
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module hello\n\ngo 1.22\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "main.go"), []byte("package main\n\nfunc main() { println(\"hello\") }\n"), 0o644)
	bin := filepath.Join(dir, "hello")
	cmd := exec.Command(gotool, "build", "-trimpath", "-o", bin, ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH="+goarch, "GOARM="+goarm, "CGO_ENABLED=0", "GOFLAGS=", "GOWORK=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func TestCheckBinary(t *testing.T) {
	amd64 := buildHello(t, "amd64", "")
	arm7 := buildHello(t, "arm", "7")
	arm6 := buildHello(t, "arm", "6")
	text := filepath.Join(t.TempDir(), "app.sh")
	os.WriteFile(text, []byte("#!/bin/sh\necho hi\n"), 0o755)

	for _, tc := range []struct {
		bin, platform, msg string // msg "" for fit
	}{
		{amd64, "linux/amd64", ""},
		{amd64, "linux/arm64", "is built for amd64, not linux/arm64"},
		{amd64, "windows/amd64", "GOOS=linux, not windows"},
		{arm7, "linux/arm/v7", ""},
		{arm7, "linux/arm", ""},
		{arm7, "linux/arm/v6", "GOARM=7, too new for linux/arm/v6: build it with GOARM=6"},
		{arm6, "linux/arm/v6", ""},
		{arm6, "linux/arm/v7", ""},
		{arm6, "linux/arm/v5", "GOARM=6"},
		{arm6, "linux/arm64", "is built for arm, not linux/arm64"},
		{text, "linux/amd64", "is not an ELF executable"},
	} {
		err := CheckBinary(tc.bin, mustPlatform(t, tc.platform))
		switch {
		case tc.msg == "" && err != nil:
			t.Errorf("%s for %s: %v", filepath.Base(filepath.Dir(tc.bin)), tc.platform, err)
		case tc.msg != "" && (!errors.Is(err, ErrBadBinary) || !strings.Contains(err.Error(), tc.msg) || !strings.Contains(err.Error(), tc.bin)):
			t.Errorf("%s for %s: %v, want ErrBadBinary naming the file and saying %q", tc.bin, tc.platform, err, tc.msg)
		}
	}

	missing := filepath.Join(t.TempDir(), "missing")
	if err := CheckBinary(missing, mustPlatform(t, "linux/amd64")); !errors.Is(err, fs.ErrNotExist) || errors.Is(err, ErrBadBinary) {
		t.Errorf("missing file: %v", err)
	}
}

// The host's own tools are usually dynamically linked: no good in a
// scratch image.
func TestCheckBinaryDynamic(t *testing.T) {
	path, err := exec.LookPath("true")
	if err != nil {
		t.Skip("no true(1)")
	}
	f, err := elf.Open(path)
	if err != nil {
		t.Skipf("%s: %v", path, err)
	}
	dynamic := false
	for _, p := range f.Progs {
		dynamic = dynamic || p.Type == elf.PT_INTERP
	}
	f.Close()
	if !dynamic {
		t.Skipf("%s is static", path)
	}
	err = CheckBinary(path, Host())
	if !errors.Is(err, ErrBadBinary) || !strings.Contains(err.Error(), "dynamically linked") {
		t.Errorf("CheckBinary(%s) = %v, want ErrBadBinary saying it is dynamically linked", path, err)
	}
}
