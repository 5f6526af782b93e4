package hearthinit

import (
	"os"
	"path/filepath"
)

// writeFileSync replaces path with data durably: a temporary file in the
// same directory, written and fsynced, renamed over path, and the directory
// fsynced. A power cut leaves either the old file or the new one; on FAT,
// where rename is not atomic in every driver, at worst the temporary too.
func writeFileSync(path string, data []byte, perm os.FileMode) error {
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, perm)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	// On vfat the renamed file's directory entry is written with its
	// inode, not with the directory: without this fsync a power cut after
	// the rename left the old name pointing at clusters already freed
	// (seen under QEMU, killed seconds after the rename).
	if err := syncFile(path); err != nil {
		return err
	}
	return syncDir(filepath.Dir(path))
}

func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
