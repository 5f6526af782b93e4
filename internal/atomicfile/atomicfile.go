// Package atomicfile replaces files so that a crash or a power cut leaves
// either the old file or the new one, never a torn one. It depends on
// nothing but the standard library, so that every program (hearth-init,
// PID 1 of the appliance, included) may use it.
package atomicfile

import (
	"fmt"
	"os"
	"path/filepath"
)

// WriteFile replaces path with data: it writes a temporary file in the
// same directory, syncs it, renames it over path, syncs the renamed file
// (on vfat, a Raspberry Pi's boot partition, the new directory entry is
// written with the file's inode, not with the directory: without this a
// power cut after the rename left the old name pointing at freed
// clusters) and syncs the directory, so that the rename itself survives.
func WriteFile(path string, data []byte, perm os.FileMode) (err error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err := tmp.Chmod(perm); err != nil {
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	if err := sync(path); err != nil {
		return err
	}
	return SyncDir(dir)
}

// SyncDir flushes a directory's entries (a rename, a new file) to disk.
func SyncDir(dir string) error { return sync(dir) }

func sync(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", path, err)
	}
	return nil
}
