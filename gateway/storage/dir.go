package storage

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"

	"github.com/hearth-home/hearth/internal/atomicfile"
	"golang.org/x/sys/unix"
)

// Dir keeps repositories as files under a directory of the gateway:
// ROOT/USER/TYPE/NAME (data files in 256 subdirectories by their name's
// first two digits, as rest-server does), written to a temporary file,
// synced and renamed, so that a crash leaves a file whole or absent.
type Dir struct {
	Root string
	// Quota is a user's room in bytes; 0: no limit but the disk's.
	Quota func(user string) int64
	// Reserve is the free space the disk keeps: a write that would leave
	// less is refused (ErrFull).
	Reserve int64

	mu    sync.Mutex
	usage map[string]int64 // by user, counted at first use
}

func (d *Dir) repo(user string) string { return filepath.Join(d.Root, user) }

func (d *Dir) path(user, typ, name string) string {
	if typ == "config" {
		return filepath.Join(d.repo(user), "config")
	}
	if typ == "data" {
		return filepath.Join(d.repo(user), typ, name[:2], name)
	}
	return filepath.Join(d.repo(user), typ, name)
}

func (d *Dir) Create(user string) error {
	for _, t := range Types {
		if err := os.MkdirAll(filepath.Join(d.repo(user), t), 0o700); err != nil {
			return err
		}
	}
	for i := range 256 {
		if err := os.MkdirAll(filepath.Join(d.repo(user), "data", fmt.Sprintf("%02x", i)), 0o700); err != nil {
			return err
		}
	}
	return atomicfile.SyncDir(d.Root)
}

func (d *Dir) Exists(user string) bool {
	fi, err := os.Stat(filepath.Join(d.repo(user), "keys"))
	return err == nil && fi.IsDir()
}

func (d *Dir) Stat(user, typ, name string) (int64, error) {
	fi, err := os.Stat(d.path(user, typ, name))
	if errors.Is(err, fs.ErrNotExist) {
		return 0, ErrNotFound
	}
	if err != nil {
		return 0, err
	}
	return fi.Size(), nil
}

func (d *Dir) Open(user, typ, name string, off, length int64) (io.ReadCloser, error) {
	f, err := os.Open(d.path(user, typ, name))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	if length < 0 {
		fi, err := f.Stat()
		if err != nil {
			f.Close()
			return nil, err
		}
		length = fi.Size() - off
	}
	return struct {
		io.Reader
		io.Closer
	}{io.NewSectionReader(f, off, length), f}, nil
}

func (d *Dir) Put(user, typ, name string, size int64, r io.Reader, verify func([32]byte) error) error {
	if err := d.room(user, size); err != nil {
		return err
	}
	final := d.path(user, typ, name)
	old, _ := d.Stat(user, typ, name) // an overwritten lock or config
	tmp, err := os.CreateTemp(filepath.Dir(final), ".upload-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after the rename, nothing
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(tmp, h), r)
	if err == nil && n != size {
		err = fmt.Errorf("upload ended after %d of %d bytes", n, size)
	}
	if err == nil && verify != nil {
		err = verify([32]byte(h.Sum(nil)))
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
	if err := os.Rename(tmp.Name(), final); err != nil {
		return err
	}
	if err := atomicfile.SyncDir(filepath.Dir(final)); err != nil {
		return err
	}
	d.add(user, n-old)
	return nil
}

func (d *Dir) Delete(user, typ, name string) error {
	p := d.path(user, typ, name)
	size, err := d.Stat(user, typ, name)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil {
		return err
	}
	d.add(user, -size)
	return atomicfile.SyncDir(filepath.Dir(p))
}

func (d *Dir) List(user, typ string) ([]FileInfo, error) {
	var out []FileInfo
	err := filepath.WalkDir(filepath.Join(d.repo(user), typ), func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if e.IsDir() || !validName(e.Name()) {
			return nil // subdirectories, uploads under way
		}
		fi, err := e.Info()
		if err != nil {
			return err
		}
		out = append(out, FileInfo{Name: e.Name(), Size: fi.Size()})
		return nil
	})
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNoRepo
	}
	return out, err
}

// Usage is what user's repository holds, in bytes.
func (d *Dir) Usage(user string) (int64, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.usageLocked(user)
}

func (d *Dir) usageLocked(user string) (int64, error) {
	if d.usage == nil {
		d.usage = map[string]int64{}
	}
	if n, ok := d.usage[user]; ok {
		return n, nil
	}
	var n int64
	err := filepath.WalkDir(d.repo(user), func(_ string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		fi, err := e.Info()
		if err == nil {
			n += fi.Size()
		}
		return err
	})
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return 0, err
	}
	d.usage[user] = n
	return n, nil
}

func (d *Dir) add(user string, n int64) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, err := d.usageLocked(user); err == nil {
		d.usage[user] += n
	}
}

// room refuses a file of size bytes beyond the user's quota or the
// disk's reserve.
func (d *Dir) room(user string, size int64) error {
	if d.Quota != nil {
		if q := d.Quota(user); q > 0 {
			used, err := d.Usage(user)
			if err != nil {
				return err
			}
			if used+size > q {
				return fmt.Errorf("%w: %s's repository holds %d bytes of its %d-byte quota, and this file is %d (hearth storage user quota)", ErrFull, user, used, q, size)
			}
		}
	}
	var st unix.Statfs_t
	if err := unix.Statfs(d.Root, &st); err == nil {
		if free := int64(st.Bavail) * int64(st.Bsize); free-size < d.Reserve {
			return fmt.Errorf("%w: %d bytes free on the gateway's disk, this file is %d and %d are kept free", ErrFull, free, size, d.Reserve)
		}
	}
	return nil
}
