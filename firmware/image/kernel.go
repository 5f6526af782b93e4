package image

import (
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// The slot's kernel, in the form boot.scr boots it: a 32-bit ARM kernel
// (Debian's armmp and rpi) is a zImage, which decompresses itself, and
// goes into the slot as /boot/zImage for U-Boot's bootz; an arm64 kernel
// is a plain Image, which U-Boot's booti cannot decompress, so it goes
// gzipped as /boot/vmlinuz.gz for boot.scr to unzip first. boot.scr
// picks by which of the two the slot holds, so one script boots every
// board, and a slot brings its own kernel's form.
const (
	slotZImage    = "boot/zImage"
	slotVmlinuzGz = "boot/vmlinuz.gz"
)

// zImageMagic is at offset 0x24 of every ARM zImage (arch/arm/boot/
// compressed/head.S), little-endian.
const (
	zImageMagic    = 0x016f2818
	zImageMagicOff = 0x24
)

// isZImage reports whether the kernel file is a 32-bit ARM zImage.
func isZImage(path string) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	var b [4]byte
	if _, err := f.ReadAt(b[:], zImageMagicOff); err != nil {
		if err == io.EOF {
			return false, nil
		}
		return false, err
	}
	return binary.LittleEndian.Uint32(b[:]) == zImageMagic, nil
}

// writeSlotKernel puts the kernel image into the slot's directory in
// the form its boot needs, and returns the slot-relative path it wrote.
// goarch is the board's: a 32-bit ARM board's kernel must be a zImage.
func writeSlotKernel(kernel, slotDir, goarch string) (string, error) {
	z, err := isZImage(kernel)
	if err != nil {
		return "", fmt.Errorf("the kernel: %w", err)
	}
	switch {
	case z:
		return slotZImage, copyFile(kernel, filepath.Join(slotDir, slotZImage), 0o644)
	case goarch == "arm":
		return "", fmt.Errorf("%s is not an ARM zImage: a 32-bit ARM board boots its kernel with bootz", filepath.Base(kernel))
	}
	return slotVmlinuzGz, gzipFile(kernel, filepath.Join(slotDir, slotVmlinuzGz))
}
