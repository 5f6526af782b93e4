package slot

import (
	"io"
	"os"
)

// A Partition is where Install writes a slot image: the inactive slot's
// block device, or a plain file in tests.
type Partition interface {
	io.ReaderAt
	io.WriterAt
	// Size is the partition's length in bytes.
	Size() (int64, error)
	// Sync makes what was written durable and drops it from the page
	// cache, so that what is read next comes from the device.
	Sync() error
	Close() error
}

// OpenPartition opens a block device (or a file) for Install: read-write,
// without truncation.
func OpenPartition(path string) (Partition, error) {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return nil, err
	}
	return blockFile{f}, nil
}

type blockFile struct{ *os.File }

// Size seeks to the end: a block device's Stat says 0.
func (b blockFile) Size() (int64, error) { return b.Seek(0, io.SeekEnd) }

func (b blockFile) Sync() error {
	if err := b.File.Sync(); err != nil {
		return err
	}
	return dropCache(b.File)
}
