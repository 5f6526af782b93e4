package hearthinit

import (
	"errors"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
)

// LinkLibraries makes the shared libraries a slot carries (its lib/: the
// dynamic loader and a lib/<triplet>/ directory, for Debian's runc) visible
// where dynamically linked programs look for them, in the initramfs's
// /lib: each entry of slotLib not already in root becomes a symbolic link
// to it. Entries the initramfs has (modules, firmware) are left alone. A
// slot without lib/ links nothing. It returns how many links it made.
func LinkLibraries(slotLib, root string, log *slog.Logger) int {
	entries, err := os.ReadDir(slotLib)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			log.Warn("the slot's libraries", "err", err)
		}
		return 0
	}
	if err := os.MkdirAll(root, 0o755); err != nil {
		log.Warn("the slot's libraries", "err", err)
		return 0
	}
	n := 0
	for _, e := range entries {
		link := filepath.Join(root, e.Name())
		if _, err := os.Lstat(link); err == nil {
			continue
		}
		if err := os.Symlink(filepath.Join(slotLib, e.Name()), link); err != nil {
			log.Warn("the slot's libraries", "err", err)
			continue
		}
		n++
	}
	return n
}
