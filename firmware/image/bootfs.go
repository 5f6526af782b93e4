package image

import (
	"fmt"
	"io"
	"os"
	"path"
	"strings"
	"sync"

	"github.com/diskfs/go-diskfs/backend/file"
	"github.com/diskfs/go-diskfs/filesystem/fat32"
	"github.com/diskfs/go-diskfs/partition/mbr"

	"github.com/hearth-home/hearth/firmware/slot"
)

// ReadBootFile reads a file from the boot partition (FAT) of a Hearth
// image or card, without mounting it.
func ReadBootFile(img, name string) ([]byte, error) {
	fs, closeFn, err := openBoot(img, true)
	if err != nil {
		return nil, err
	}
	defer closeFn()
	f, err := fs.OpenFile(path.Join("/", name), os.O_RDONLY)
	if err != nil {
		return nil, fmt.Errorf("%s: %s: %w", img, name, err)
	}
	defer f.Close()
	// One read of the whole file: go-diskfs v1.9.4's FAT reader returns
	// bytes past the end of a file read in pieces that do not fall on
	// cluster boundaries.
	size, err := f.Seek(0, io.SeekEnd)
	if err != nil {
		return nil, err
	}
	if size > 1<<20 {
		return nil, fmt.Errorf("%s: %s is %d bytes, more than a settings file", img, name, size)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	b := make([]byte, size)
	if _, err := io.ReadFull(f, b); err != nil {
		return nil, fmt.Errorf("%s: reading %s: %w", img, name, err)
	}
	return b, nil
}

// WriteBootFile writes a file to the boot partition of a Hearth image or
// card, without mounting it, replacing what was there.
func WriteBootFile(img, name string, data []byte) error {
	fs, closeFn, err := openBoot(img, false)
	if err != nil {
		return err
	}
	defer closeFn()
	f, err := fs.OpenFile(path.Join("/", name), os.O_CREATE|os.O_RDWR|os.O_TRUNC)
	if err != nil {
		return fmt.Errorf("%s: %s: %w", img, name, err)
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("%s: writing %s: %w", img, name, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("%s: writing %s: %w", img, name, err)
	}
	return closeFn()
}

// openBoot opens the FAT32 boot partition of a raw image or card,
// refusing a compressed image with what to do. Only go-diskfs's MBR and
// FAT32 packages are used: its top package brings every file system it
// knows, with their compressors.
func openBoot(img string, readOnly bool) (*fat32.FileSystem, func() error, error) {
	for _, ext := range []string{".xz", ".gz", ".zst", ".zip"} {
		if strings.HasSuffix(img, ext) {
			return nil, nil, fmt.Errorf("%s is compressed: decompress it first (xz -dk %s), or configure the card once it is written", img, img)
		}
	}
	flag := os.O_RDWR
	if readOnly {
		flag = os.O_RDONLY
	}
	f, err := os.OpenFile(img, flag, 0)
	if err != nil {
		return nil, nil, err
	}
	closeFn := sync.OnceValue(func() error {
		if !readOnly {
			if err := f.Sync(); err != nil {
				f.Close()
				return err
			}
		}
		return f.Close()
	})
	b := file.New(f, readOnly)
	table, err := mbr.Read(b, 512, 512)
	if err != nil {
		closeFn()
		return nil, nil, fmt.Errorf("%s has no partition table: is it a Hearth image? %w", img, err)
	}
	if len(table.Partitions) < slot.PartBoot || table.Partitions[slot.PartBoot-1].Type != mbr.Fat32LBA {
		closeFn()
		return nil, nil, fmt.Errorf("%s: partition %d is not a FAT32 boot partition: is it a Hearth image?", img, slot.PartBoot)
	}
	p := table.Partitions[slot.PartBoot-1]
	fs, err := fat32.Read(b, int64(p.Size)*512, int64(p.Start)*512, 512)
	if err != nil {
		closeFn()
		return nil, nil, fmt.Errorf("%s: the boot partition: %w", img, err)
	}
	return fs, closeFn, nil
}
