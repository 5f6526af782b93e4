package storage

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"

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
	// pending is the room reserved by uploads under way, by user, and
	// pendingAll theirs summed: parallel uploads cannot pass a quota or
	// the reserve together.
	pending    map[string]int64
	pendingAll int64
}

// Clean removes what uploads cut short by a crash left (temporary files);
// the gateway calls it at start, before serving.
func (d *Dir) Clean() error {
	err := filepath.WalkDir(d.Root, func(p string, e fs.DirEntry, err error) error {
		if err == nil && !e.IsDir() && strings.HasPrefix(e.Name(), ".upload-") {
			err = os.Remove(p)
		}
		return err
	})
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
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
	release, err := d.reserve(user, size)
	if err != nil {
		return err
	}
	defer release()
	final := d.path(user, typ, name)
	tmp, err := os.CreateTemp(filepath.Dir(final), ".upload-*")
	if err != nil {
		return full(err)
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
		return full(err)
	}
	// The file it replaces (a lock, or the same file sent twice at once)
	// is measured and replaced under the lock, so that usage counts it
	// once.
	d.mu.Lock()
	defer d.mu.Unlock()
	var old int64
	if fi, err := os.Stat(final); err == nil {
		old = fi.Size()
	}
	if err := os.Rename(tmp.Name(), final); err != nil {
		return err
	}
	if err := atomicfile.SyncDir(filepath.Dir(final)); err != nil {
		return err
	}
	if _, err := d.usageLocked(user); err == nil {
		d.usage[user] += n - old
	}
	return nil
}

// full maps a full disk to ErrFull.
func full(err error) error {
	if errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) {
		return fmt.Errorf("%w: the gateway's disk is full", ErrFull)
	}
	return err
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
		if err != nil || e.IsDir() || !validName(e.Name()) && e.Name() != "config" {
			return err // uploads under way count when they are done
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

// reserve holds room for a file of size bytes, within the user's quota
// and the disk's reserve counting the uploads under way, or refuses it
// (ErrFull). A refusal counts the repository again first: files deleted
// behind the gateway's back (a prune on its machine) free their room.
func (d *Dir) reserve(user string, size int64) (release func(), err error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.pending == nil {
		d.pending = map[string]int64{}
	}
	check := func() error {
		if d.Quota != nil {
			if q := d.Quota(user); q > 0 {
				used, err := d.usageLocked(user)
				if err != nil {
					return err
				}
				if used+d.pending[user]+size > q {
					return fmt.Errorf("%w: %s's repository holds %d bytes of its %d-byte quota (%d more on the way), and this file is %d", ErrFull, user, used, q, d.pending[user], size)
				}
			}
		}
		var st unix.Statfs_t
		if err := unix.Statfs(d.Root, &st); err == nil {
			if free := int64(st.Bavail)*int64(st.Bsize) - d.pendingAll; free-size < d.Reserve {
				return fmt.Errorf("%w: %d bytes free on the gateway's disk, this file is %d and %d are kept free", ErrFull, free, size, d.Reserve)
			}
		}
		return nil
	}
	if err := check(); err != nil {
		delete(d.usage, user)
		if err = check(); err != nil {
			return nil, err
		}
	}
	d.pending[user] += size
	d.pendingAll += size
	return func() {
		d.mu.Lock()
		defer d.mu.Unlock()
		d.pending[user] -= size
		d.pendingAll -= size
	}, nil
}
