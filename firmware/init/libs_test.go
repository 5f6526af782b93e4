package hearthinit

import (
	"log/slog"
	"os"
	"path/filepath"
	"testing"
)

// A slot's loader and library directory appear in the initramfs's /lib;
// what the initramfs has already (its modules) stays its own.
func TestLinkLibraries(t *testing.T) {
	slot, root := filepath.Join(t.TempDir(), "lib"), filepath.Join(t.TempDir(), "lib")
	must(t, os.MkdirAll(filepath.Join(slot, "arm-linux-gnueabi"), 0o755))
	must(t, os.WriteFile(filepath.Join(slot, "arm-linux-gnueabi", "libc.so.6"), []byte("libc"), 0o644))
	must(t, os.WriteFile(filepath.Join(slot, "ld-linux.so.3"), []byte("ld"), 0o755))
	must(t, os.MkdirAll(filepath.Join(slot, "modules"), 0o755))
	must(t, os.MkdirAll(filepath.Join(root, "modules", "6.1.0"), 0o755))

	if n := LinkLibraries(slot, root, slog.New(slog.DiscardHandler)); n != 2 {
		t.Errorf("LinkLibraries made %d links, want 2 (the loader and the library directory)", n)
	}
	if b, err := os.ReadFile(filepath.Join(root, "arm-linux-gnueabi", "libc.so.6")); err != nil || string(b) != "libc" {
		t.Errorf("libc through the link: %q, %v", b, err)
	}
	if b, err := os.ReadFile(filepath.Join(root, "ld-linux.so.3")); err != nil || string(b) != "ld" {
		t.Errorf("the loader through the link: %q, %v", b, err)
	}
	if fi, err := os.Lstat(filepath.Join(root, "modules")); err != nil || fi.Mode()&os.ModeSymlink != 0 {
		t.Errorf("the initramfs's modules were replaced by a link (%v)", err)
	}
	// Booting again (a second call) changes nothing; a slot without lib/
	// links nothing.
	if n := LinkLibraries(slot, root, slog.New(slog.DiscardHandler)); n != 0 {
		t.Errorf("a second call made %d links", n)
	}
	if n := LinkLibraries(filepath.Join(t.TempDir(), "none"), root, slog.New(slog.DiscardHandler)); n != 0 {
		t.Errorf("a slot without lib/ made %d links", n)
	}
}
