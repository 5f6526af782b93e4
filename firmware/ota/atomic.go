package ota

import (
	"os"
	"path/filepath"
)

// writeFileAtomic replaces path with data so that a reader sees the old file or the new one,
// never a part, and a power cut leaves one of them. (package release has the same for the
// repository: the two packages share no code on purpose, see release's doc.)
func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Chmod(0o644)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
