package image

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hearth-home/hearth/firmware/boards"
	"github.com/hearth-home/hearth/internal/cpio"
)

// TestFirmwareBlobs: globs, renames and links (followed) from unpacked
// packages land below /lib/firmware in a second archive after the
// initramfs's own, whose content stays as it was.
func TestFirmwareBlobs(t *testing.T) {
	pkg := t.TempDir()
	brcm := filepath.Join(pkg, "lib/firmware/brcm")
	cy := filepath.Join(pkg, "lib/firmware/cypress")
	for _, d := range []string{brcm, cy} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write := func(p, s string) {
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(cy, "cyfmac43455-sdio.bin"), "the 43455 firmware")
	write(filepath.Join(brcm, "brcmfmac43455-sdio.raspberrypi,4-model-b.txt"), "pi 4 nvram")
	write(filepath.Join(brcm, "brcmfmac43455-sdio.raspberrypi,3-model-b-plus.txt"), "pi 3b+ nvram")
	write(filepath.Join(pkg, "lib/firmware/regulatory.db-upstream"), "regdb")
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.Symlink("../cypress/cyfmac43455-sdio.bin", filepath.Join(brcm, "brcmfmac43455-sdio.bin")))
	must(os.Symlink("../cypress/missing.clm_blob", filepath.Join(brcm, "brcmfmac43455-sdio.clm_blob")))
	unpack := func(string) (string, error) { return pkg, nil }

	b := &boards.Board{Name: "test", Firmware: []boards.BootFile{
		{Package: "fw=1", From: "lib/firmware/brcm/brcmfmac43455-sdio.bin"},
		{Package: "fw=1", From: "lib/firmware/brcm/brcmfmac43455-sdio.raspberrypi,*.txt"},
		{Package: "regdb=2", From: "lib/firmware/regulatory.db-upstream", To: "regulatory.db"},
	}}
	blobs, pkgs, err := firmwareBlobs(b, unpack)
	must(err)
	if strings.Join(pkgs, " ") != "fw=1 regdb=2" || len(blobs) != 4 {
		t.Fatalf("blobs %v from %v", blobs, pkgs)
	}

	initrd := filepath.Join(t.TempDir(), "initrd.img")
	f, err := os.Create(initrd)
	must(err)
	zw := gzip.NewWriter(f)
	w := cpio.NewWriter(zw)
	w.File("/init", 0o755, 4, strings.NewReader("init"))
	must(w.Close())
	must(zw.Close())
	must(f.Close())
	must(appendBlobs(initrd, blobs))

	// Two gzip members; together one stream of two cpio archives.
	raw, err := os.ReadFile(initrd)
	must(err)
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	must(err)
	zr.Multistream(false)
	first, err := io.ReadAll(zr)
	must(err)
	must(zr.Reset(bytes.NewReader(raw[len(raw)-remaining(t, raw):])))
	if !bytes.Contains(first, []byte("init")) || bytes.Contains(first, []byte("brcm")) {
		t.Errorf("the first archive changed")
	}
	second, err := io.ReadAll(zr)
	must(err)
	for _, want := range []string{"lib/firmware/brcm/brcmfmac43455-sdio.bin\x00", "the 43455 firmware",
		"lib/firmware/brcm/brcmfmac43455-sdio.raspberrypi,4-model-b.txt\x00", "lib/firmware/regulatory.db\x00", "TRAILER!!!"} {
		if !bytes.Contains(second, []byte(want)) {
			t.Errorf("the firmware archive lacks %q", want)
		}
	}

	// A link to a file the package lacks, a glob that matches nothing, a
	// rename of several files, a path out of /lib/firmware: refused.
	for _, bad := range []boards.BootFile{
		{Package: "fw=1", From: "lib/firmware/brcm/brcmfmac43455-sdio.clm_blob"},
		{Package: "fw=1", From: "lib/firmware/brcm/brcmfmac43430-*"},
		{Package: "fw=1", From: "lib/firmware/brcm/*.txt", To: "x.txt"},
		{Package: "fw=1", From: "lib/firmware/regulatory.db-upstream", To: "../etc/passwd"},
	} {
		if _, _, err := firmwareBlobs(&boards.Board{Name: "test", Firmware: []boards.BootFile{bad}}, unpack); err == nil {
			t.Errorf("%+v: no error", bad)
		}
	}
}

// remaining is the length of the second gzip member: the first one is
// found by decompressing it alone and counting what it consumed.
func remaining(t *testing.T, raw []byte) int {
	t.Helper()
	r := bytes.NewReader(raw)
	zr, err := gzip.NewReader(r)
	if err != nil {
		t.Fatal(err)
	}
	zr.Multistream(false)
	if _, err := io.Copy(io.Discard, zr); err != nil {
		t.Fatal(err)
	}
	return r.Len()
}
