package image

import (
	"compress/gzip"
	"context"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/hearth-home/hearth/firmware/boards"
	"github.com/hearth-home/hearth/internal/cpio"
)

// firmwareDir is where the kernel's firmware loader looks first.
const firmwareDir = "/lib/firmware"

// A blob is one file for the kernel's firmware loader.
type blob struct {
	name string // below firmwareDir, e.g. brcm/brcmfmac43455-sdio.bin
	host string // the unpacked file (symbolic links followed)
}

// firmwareBlobs lists the board's firmware files (Board.Firmware) from
// their unpacked packages (unpack returns a package's directory), and the
// packages they came from.
func firmwareBlobs(b *boards.Board, unpack func(pkg string) (string, error)) ([]blob, []string, error) {
	var blobs []blob
	var pkgs []string
	for _, f := range b.Firmware {
		dir, err := unpack(f.Package)
		if err != nil {
			return nil, nil, err
		}
		m, err := filepath.Glob(filepath.Join(dir, f.From))
		if err != nil {
			return nil, nil, err
		}
		if len(m) == 0 {
			return nil, nil, fmt.Errorf("board %s: %s has no %s", b.Name, f.Package, f.From)
		}
		if f.To != "" && len(m) != 1 {
			return nil, nil, fmt.Errorf("board %s: %s matches %d files; to: renames only one", b.Name, f.From, len(m))
		}
		for _, p := range m {
			rel, _ := filepath.Rel(dir, p)
			name := strings.TrimPrefix(filepath.ToSlash(rel), "lib/firmware/")
			if f.To != "" {
				name = f.To
			}
			if !filepath.IsLocal(name) {
				return nil, nil, fmt.Errorf("board %s: firmware %s: want a path below %s", b.Name, name, firmwareDir)
			}
			if _, err := os.Stat(p); err != nil { // a link to a file the package lacks
				return nil, nil, fmt.Errorf("board %s: %s: %w", b.Name, rel, err)
			}
			blobs = append(blobs, blob{name: name, host: p})
		}
		if !slices.Contains(pkgs, f.Package) {
			pkgs = append(pkgs, f.Package)
		}
	}
	return blobs, pkgs, nil
}

// appendFirmware adds the board's firmware files to the initramfs at
// initrd, as a second compressed archive after the first (the kernel
// unpacks archives one after the other): drivers that hearth-init loads
// before any disk is mounted, such as brcmfmac, find their firmware in
// /lib/firmware at once. The licence of each package they come from is
// put into the slot at usr/share/doc/<package>/copyright. It returns how
// many files it added.
func appendFirmware(ctx context.Context, d *debs, b *boards.Board, initrd, slotDir string) (int, error) {
	if len(b.Firmware) == 0 {
		return 0, nil
	}
	blobs, pkgs, err := firmwareBlobs(b, func(pkg string) (string, error) { return d.unpack(ctx, pkg) })
	if err != nil {
		return 0, err
	}
	if err := copyLicences(ctx, d, pkgs, slotDir); err != nil {
		return 0, err
	}
	return len(blobs), appendBlobs(initrd, blobs)
}

// copyLicences puts the licence of each of Debian's packages pkgs
// ("name=version") into the slot at usr/share/doc/<name>/copyright, as
// Debian installs it.
func copyLicences(ctx context.Context, d *debs, pkgs []string, slotDir string) error {
	for _, pkg := range pkgs {
		dir, err := d.unpack(ctx, pkg)
		if err != nil {
			return err
		}
		name, _, _ := strings.Cut(pkg, "=")
		doc := filepath.Join("usr/share/doc", name, "copyright")
		if err := os.MkdirAll(filepath.Join(slotDir, filepath.Dir(doc)), 0o755); err != nil {
			return err
		}
		if err := copyFile(filepath.Join(dir, doc), filepath.Join(slotDir, doc), 0o644); err != nil {
			return fmt.Errorf("the licence of %s: %w", pkg, err)
		}
	}
	return nil
}

// appendBlobs appends a gzip-compressed cpio archive of blobs to initrd.
func appendBlobs(initrd string, blobs []blob) error {
	f, err := os.OpenFile(initrd, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	zw, err := gzip.NewWriterLevel(f, gzip.BestCompression)
	if err != nil {
		return err
	}
	w := cpio.NewWriter(zw)
	for _, bl := range blobs {
		w.HostFile(path.Join(firmwareDir, bl.name), bl.host)
	}
	if err := w.Close(); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return f.Close()
}
