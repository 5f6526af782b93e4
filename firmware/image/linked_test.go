package image

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// A slot with Debian's runc, its loader and its libraries passes; one
// without a library, or without the loader, is refused, naming what is
// missing. Hearth's own static programs and files that are not programs
// need nothing. It uses this machine's runc, which is linked as the
// boards' is (glibc, libseccomp).
func TestCheckLinked(t *testing.T) {
	runc, err := exec.LookPath("runc")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("CI installs runc")
		}
		t.Skip("runc is not installed (apt install runc)")
	}
	arch := map[string]string{"amd64": "amd64", "arm64": "arm64"}[runtime.GOARCH]
	triplet := triplets[arch]
	if triplet == "" {
		t.Skipf("no Debian triplet for %s here", runtime.GOARCH)
	}
	slot := t.TempDir()
	copyTo := func(src, rel string) {
		t.Helper()
		src, err := filepath.EvalSymlinks(src)
		if err != nil {
			t.Skipf("this machine's runc is not linked as Debian's: %v", err)
		}
		if err := os.MkdirAll(filepath.Dir(filepath.Join(slot, rel)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := copyFile(src, filepath.Join(slot, rel), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	copyTo(runc, "bin/runc")
	self, _ := os.Executable()
	copyTo(self, "bin/static-or-not") // this test binary: static under make test
	if err := os.WriteFile(filepath.Join(slot, "bin", "README"), []byte("not a program"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := checkLinked(slot, arch); err == nil {
		t.Fatal("a slot with runc alone passed")
	} else if !strings.Contains(err.Error(), "bin/runc") || !strings.Contains(err.Error(), "loader") {
		t.Errorf("a slot with runc alone: %v, want its loader named", err)
	}
	interp := map[string]string{"amd64": "lib64/ld-linux-x86-64.so.2", "arm64": "lib/ld-linux-aarch64.so.1"}[arch]
	copyTo("/"+interp, interp)
	err = checkLinked(slot, arch)
	if err == nil || !strings.Contains(err.Error(), "libseccomp.so.2") && !strings.Contains(err.Error(), "libc.so.6") {
		t.Errorf("a slot without runc's libraries: %v, want the missing one named", err)
	}
	for _, lib := range []string{"libc.so.6", "libseccomp.so.2"} {
		copyTo(filepath.Join("/lib", triplet, lib), filepath.Join("lib", triplet, lib))
	}
	if err := checkLinked(slot, arch); err != nil {
		if strings.Contains(err.Error(), "static-or-not") {
			t.Skipf("this test binary is linked dynamically (CGO_ENABLED=0 makes it static): %v", err)
		}
		t.Errorf("a slot with runc, its loader and libraries: %v", err)
	}
	if err := os.Remove(filepath.Join(slot, "lib", triplet, "libseccomp.so.2")); err != nil {
		t.Fatal(err)
	}
	if err := checkLinked(slot, arch); err == nil || !strings.Contains(err.Error(), "needs libseccomp.so.2") {
		t.Errorf("a slot without libseccomp: %v, want it named", err)
	}
}
