package store

import (
	"github.com/hearth-home/hearth/internal/atomicfile"

	"os"
)

// WriteFileAtomic writes data to path so that a crash or a power cut
// leaves either the old file or the new one: see atomicfile.WriteFile.
func WriteFileAtomic(path string, data []byte, perm os.FileMode) error {
	return atomicfile.WriteFile(path, data, perm)
}

// SyncDir flushes a directory's entries (a rename, a new file) to disk.
func SyncDir(dir string) error { return atomicfile.SyncDir(dir) }
