package image

import (
	"compress/gzip"
	"encoding/binary"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A zImage goes into the slot as it is, for bootz; an arm64 Image goes
// gzipped, for booti; a 32-bit ARM board whose kernel is no zImage is
// refused, naming the file.
func TestWriteSlotKernel(t *testing.T) {
	dir := t.TempDir()
	zimage := make([]byte, 4096)
	binary.LittleEndian.PutUint32(zimage[zImageMagicOff:], zImageMagic)
	arm64 := make([]byte, 4096)
	copy(arm64[0x38:], "ARM\x64") // an arm64 Image's magic, elsewhere
	for name, data := range map[string][]byte{"vmlinuz-armmp": zimage, "vmlinuz-arm64": arm64, "tiny": {1, 2}} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	slotDir := func() string {
		d := t.TempDir()
		if err := os.MkdirAll(filepath.Join(d, "boot"), 0o755); err != nil {
			t.Fatal(err)
		}
		return d
	}

	s := slotDir()
	rel, err := writeSlotKernel(filepath.Join(dir, "vmlinuz-armmp"), s, "arm")
	if err != nil || rel != "boot/zImage" {
		t.Fatalf("a zImage: %q, %v", rel, err)
	}
	if got, _ := os.ReadFile(filepath.Join(s, rel)); string(got) != string(zimage) {
		t.Error("the zImage was changed on its way into the slot")
	}

	s = slotDir()
	rel, err = writeSlotKernel(filepath.Join(dir, "vmlinuz-arm64"), s, "arm64")
	if err != nil || rel != "boot/vmlinuz.gz" {
		t.Fatalf("an arm64 Image: %q, %v", rel, err)
	}
	f, err := os.Open(filepath.Join(s, rel))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := io.ReadAll(zr); string(got) != string(arm64) {
		t.Error("the gzipped Image does not give back the kernel")
	}
	if _, err := os.Stat(filepath.Join(s, "boot/zImage")); err == nil {
		t.Error("an arm64 slot has a zImage: boot.scr would bootz it")
	}

	for _, k := range []string{"vmlinuz-arm64", "tiny"} {
		if _, err := writeSlotKernel(filepath.Join(dir, k), slotDir(), "arm"); err == nil || !strings.Contains(err.Error(), k) {
			t.Errorf("%s for a 32-bit ARM board: %v, want it refused naming the file", k, err)
		}
	}
}
