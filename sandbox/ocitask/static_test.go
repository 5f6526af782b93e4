package ocitask

import (
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// The program-header reader agrees with the toolchain: a static Go build
// has no interpreter, a cgo one (or /bin/sh) has one; a non-ELF file is an
// error.
func TestHasInterp(t *testing.T) {
	if got, err := hasInterp("/bin/sh"); err != nil || !got {
		t.Errorf("/bin/sh: %v, %v; want dynamic", got, err)
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "main.go")
	os.WriteFile(src, []byte("package main\nfunc main() {}\n"), 0o644)
	for _, c := range []struct {
		goarch string
		want   bool
	}{{"amd64", false}, {"arm", false}, {"arm64", false}, {"386", false}} {
		bin := filepath.Join(dir, "static-"+c.goarch)
		cmd := exec.Command("go", "build", "-o", bin, src)
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+c.goarch)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		if got, err := hasInterp(bin); err != nil || got != c.want {
			t.Errorf("static %s: %v, %v", c.goarch, got, err)
		}
	}
	if _, err := hasInterp(src); err == nil {
		t.Error("a Go source file read as ELF")
	}
}

// ELFArch names the architecture of the programs at hand.
func TestELFArch(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "main.go")
	os.WriteFile(src, []byte("package main\nfunc main() {}\n"), 0o644)
	for _, goarch := range []string{"amd64", "arm", "arm64", "386"} {
		bin := filepath.Join(dir, goarch)
		cmd := exec.Command("go", "build", "-o", bin, src)
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+goarch)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		if got, err := ELFArch(bin); err != nil || got != goarch {
			t.Errorf("ELFArch(%s build) = %q, %v", goarch, got, err)
		}
	}
	if _, err := ELFArch(src); err == nil {
		t.Error("a Go source file read as ELF")
	}
}

// CPUQuota holds to the task's limit and to the kernel's least quota.
func TestCPUQuota(t *testing.T) {
	for _, c := range []struct {
		cores, limit float64
		want         int64
	}{
		{0.25, 1, 25000}, {5, 1, 100000}, {5, 0, 100000}, {0, 1, 1000},
		{0.5, 0.25, 25000}, {math.NaN(), 2, 200000}, {-1, 1, 1000},
	} {
		if got := CPUQuota(c.cores, c.limit); got != c.want {
			t.Errorf("CPUQuota(%v, %v) = %d, want %d", c.cores, c.limit, got, c.want)
		}
	}
}
