package image

import (
	"debug/elf"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
)

// triplets are Debian's multiarch directories (lib/<triplet>) by
// architecture: where the dynamic loader looks first.
var triplets = map[string]string{
	"arm64": "aarch64-linux-gnu",
	"armhf": "arm-linux-gnueabihf",
	"armel": "arm-linux-gnueabi",
	"amd64": "x86_64-linux-gnu",
}

// checkLinked makes sure that every dynamically linked program in the
// slot's bin/ (Debian's runc; Hearth's own programs are static) finds on
// the device what it is linked against: its loader at the path it names
// (in the slot's lib/ or lib64/), and each library it needs, and each of
// theirs, in the slot's lib/<triplet>/ or lib/: hearth-init links the
// entries of the slot's lib/ and lib64/ into the initramfs's
// (LinkLibraries). A board file that forgets a library fails here, at the
// build, rather than on the device.
func checkLinked(slotDir, arch string) error {
	bins, err := os.ReadDir(filepath.Join(slotDir, "bin"))
	if err != nil {
		return err
	}
	dirs := []string{filepath.Join(slotDir, "lib")}
	if t, ok := triplets[arch]; ok {
		dirs = []string{filepath.Join(slotDir, "lib", t), filepath.Join(slotDir, "lib")}
	}
	var errs []error
	for _, e := range bins {
		if !e.Type().IsRegular() {
			continue
		}
		if err := checkProgram(filepath.Join(slotDir, "bin", e.Name()), slotDir, dirs); err != nil {
			errs = append(errs, fmt.Errorf("bin/%s: %w", e.Name(), err))
		}
	}
	return errors.Join(errs...)
}

// checkProgram checks one program of the slot: a file that is not ELF,
// or is static, needs nothing.
func checkProgram(file, slotDir string, dirs []string) error {
	f, err := elf.Open(file)
	if err != nil {
		return nil // a script or data, not a program
	}
	defer f.Close()
	interp := ""
	for _, p := range f.Progs {
		if p.Type != elf.PT_INTERP {
			continue
		}
		b := make([]byte, p.Filesz)
		if _, err := p.ReadAt(b, 0); err != nil {
			return err
		}
		interp = strings.TrimRight(string(b), "\x00")
		if d := path.Dir(interp); d != "/lib" && d != "/lib64" {
			return fmt.Errorf("its loader %s is not in /lib or /lib64, where the slot's are linked", interp)
		}
		if _, err := os.Stat(filepath.Join(slotDir, interp)); err != nil {
			return fmt.Errorf("its loader %s is not in the slot (slot_files in the board's file)", interp)
		}
	}
	// The loader is loaded already: a library that names it needs
	// nothing more.
	seen := []string{path.Base(interp)}
	var need func(f *elf.File) error
	need = func(f *elf.File) error {
		libs, err := f.ImportedLibraries()
		if err != nil {
			return nil // no dynamic section: static
		}
		for _, lib := range libs {
			if slices.Contains(seen, lib) {
				continue
			}
			seen = append(seen, lib)
			i := slices.IndexFunc(dirs, func(d string) bool { _, err := os.Stat(filepath.Join(d, lib)); return err == nil })
			if i < 0 {
				return fmt.Errorf("it needs %s, which is not in the slot's lib/ (slot_files in the board's file)", lib)
			}
			lf, err := elf.Open(filepath.Join(dirs[i], lib))
			if err != nil {
				return fmt.Errorf("%s: %w", lib, err)
			}
			err = need(lf)
			lf.Close()
			if err != nil {
				return fmt.Errorf("%s: %w", lib, err)
			}
		}
		return nil
	}
	return need(f)
}
