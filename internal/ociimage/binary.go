package ociimage

import (
	"debug/buildinfo"
	"debug/elf"
	"errors"
	"fmt"
	"io/fs"
	"strconv"
	"strings"
)

// elfArch maps ELF machines to architecture names; 64-bit machines need
// a 64-bit class (an x32 binary is no amd64 one).
var elfArch = map[elf.Machine]string{
	elf.EM_386:     "386",
	elf.EM_X86_64:  "amd64",
	elf.EM_ARM:     "arm",
	elf.EM_AARCH64: "arm64",
	elf.EM_PPC64:   "ppc64le",
	elf.EM_RISCV:   "riscv64",
	elf.EM_S390:    "s390x",
}

// CheckBinary reports whether the file at path can be the only program of
// an image for p: an ELF executable for p's architecture, statically
// linked (the image has no libc nor dynamic loader). For a Go binary it
// also checks GOOS, and on ARM that GOARM is not above p's variant (a
// GOARM=7 build may crash on a v6 device). Errors about the file wrap
// ErrBadBinary. Other ELF binaries' ARM level cannot be told and is not
// checked.
func CheckBinary(path string, p Platform) error {
	p = normalize(p.OS, p.Architecture, p.Variant)
	f, err := elf.Open(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			return err
		}
		return fmt.Errorf("%w: %s is not an ELF executable (%v)", ErrBadBinary, path, err)
	}
	defer f.Close()
	arch, known := elfArch[f.Machine]
	if is64 := f.Class == elf.ELFCLASS64; arch == "386" || arch == "arm" {
		known = known && !is64
	} else {
		known = known && is64
	}
	if arch == "ppc64le" && f.Data != elf.ELFDATA2LSB {
		arch = "ppc64"
	}
	switch {
	case !known:
		return fmt.Errorf("%w: %s is built for %v (%v), not %s", ErrBadBinary, path, f.Machine, f.Class, p)
	case arch != p.Architecture:
		return fmt.Errorf("%w: %s is built for %s, not %s", ErrBadBinary, path, arch, p)
	case f.Type != elf.ET_EXEC && f.Type != elf.ET_DYN:
		return fmt.Errorf("%w: %s is not an executable but %v", ErrBadBinary, path, f.Type)
	}
	for _, prog := range f.Progs {
		if prog.Type == elf.PT_INTERP {
			return fmt.Errorf("%w: %s is dynamically linked, and the image has no libc: build it static (for Go, CGO_ENABLED=0)", ErrBadBinary, path)
		}
	}
	info, err := buildinfo.ReadFile(path)
	if err != nil {
		return nil // not a Go binary, or one without build information
	}
	for _, s := range info.Settings {
		switch s.Key {
		case "GOOS":
			if s.Value != p.OS {
				return fmt.Errorf("%w: %s is built with GOOS=%s, not %s", ErrBadBinary, path, s.Value, p.OS)
			}
		case "GOARM":
			// "7", or "6,softfloat".
			digits, _, _ := strings.Cut(s.Value, ",")
			built, err := strconv.Atoi(digits)
			want, ok := level(p)
			if err == nil && ok && built > want {
				return fmt.Errorf("%w: %s is built with GOARM=%d, too new for %s: build it with GOARM=%d", ErrBadBinary, path, built, p, want)
			}
		}
	}
	return nil
}
