package ocitask

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
)

// CheckStatic makes sure the helper can run inside any image: a program
// that needs a dynamic loader finds none in a minimal image. It reads the
// ELF program headers for a PT_INTERP entry itself: debug/elf would cost
// the agent binary some 100 KB (it brings DWARF and zstd readers along).
func CheckStatic(path string) error {
	dynamic, err := hasInterp(path)
	if err != nil {
		return fmt.Errorf("task init %s: %w", path, err)
	}
	if dynamic {
		return fmt.Errorf("task init %s is dynamically linked; build it with CGO_ENABLED=0", path)
	}
	return nil
}

const ptInterp = 3

// hasInterp reports whether the ELF file at path names a program
// interpreter (a dynamic loader).
func hasInterp(path string) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	var ident [16]byte
	if _, err := io.ReadFull(f, ident[:]); err != nil || string(ident[:4]) != "\x7fELF" {
		return false, errors.New("not an ELF file")
	}
	var bo binary.ByteOrder = binary.LittleEndian
	if ident[5] == 2 {
		bo = binary.BigEndian
	}
	var phoff int64
	var phentsize, phnum uint16
	switch ident[4] {
	case 1: // 32-bit
		var h [36]byte
		if _, err := f.ReadAt(h[:], 16); err != nil {
			return false, fmt.Errorf("ELF header: %w", err)
		}
		phoff = int64(bo.Uint32(h[12:]))
		phentsize, phnum = bo.Uint16(h[26:]), bo.Uint16(h[28:])
	case 2: // 64-bit
		var h [48]byte
		if _, err := f.ReadAt(h[:], 16); err != nil {
			return false, fmt.Errorf("ELF header: %w", err)
		}
		phoff = int64(bo.Uint64(h[16:]))
		phentsize, phnum = bo.Uint16(h[38:]), bo.Uint16(h[40:])
	default:
		return false, fmt.Errorf("unknown ELF class %d", ident[4])
	}
	if phentsize < 4 || phnum > 4096 {
		return false, errors.New("bad ELF program headers")
	}
	entry := make([]byte, 4)
	for i := range int64(phnum) {
		if _, err := f.ReadAt(entry, phoff+i*int64(phentsize)); err != nil {
			return false, fmt.Errorf("ELF program header %d: %w", i, err)
		}
		if bo.Uint32(entry) == ptInterp {
			return true, nil
		}
	}
	return false, nil
}

// ELFArch is the architecture, as GOARCH names it, of the ELF program at
// path: "" for one Hearth does not know. The runc runtime reads runc's to
// tell the kernel's architecture where the agent itself is emulated.
func ELFArch(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	var h [20]byte
	if _, err := io.ReadFull(f, h[:]); err != nil || string(h[:4]) != "\x7fELF" {
		return "", errors.New("not an ELF file")
	}
	var bo binary.ByteOrder = binary.LittleEndian
	if h[5] == 2 {
		bo = binary.BigEndian
	}
	switch bo.Uint16(h[18:]) {
	case 3:
		return "386", nil
	case 40:
		return "arm", nil
	case 62:
		return "amd64", nil
	case 183:
		return "arm64", nil
	}
	return "", nil
}
