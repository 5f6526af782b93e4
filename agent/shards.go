package agent

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/hearth-home/hearth/gateway/api"
)

// Backup shards (Config.StorageDir): the device keeps shards of the
// home's backups that the gateway erasure-coded, each in a file of its own
// named by the gateway, whose name ends with the shard's SHA-256. They are
// restic's ciphertext cut in pieces: the device never sees a key.

// shardWait is how long a poll for shard work waits on the gateway.
const shardWait = 20 * time.Second

// shardWorkers bounds the shard operations that run at once.
const shardWorkers = 4

var (
	errShardName = errors.New("bad shard name")
	errShardFull = errors.New("the storage directory's quota or disk is full")
	errDamaged   = errors.New("shard damaged")
)

// shards is the storage directory.
type shards struct {
	dir     string
	quota   int64 // bytes; 0: the disk's room
	minFree int64 // bytes the disk keeps free

	mu    sync.Mutex
	used  int64
	count int
	held  int64 // bytes of puts under way
}

// openShards opens dir, removing what a crash left half written, and
// counts what it holds.
func openShards(dir string, quota, minFree int64) (*shards, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("storage directory: %w", err)
	}
	s := &shards{dir: dir, quota: quota, minFree: max(minFree, 0)}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if strings.HasPrefix(d.Name(), ".tmp-") {
			return os.Remove(p)
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		s.used += info.Size()
		s.count++
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("storage directory %s: %w", dir, err)
	}
	return s, nil
}

// free is how many more bytes the device takes.
func (s *shards) free() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.freeLocked()
}

func (s *shards) freeLocked() int64 {
	disk, _ := diskSpace(s.dir)
	room := int64(disk) - s.minFree - s.held
	if s.quota > 0 {
		room = min(room, s.quota-s.used-s.held)
	}
	return max(room, 0)
}

// path is where a shard lives: under a directory named by its name's
// first two characters, so that no directory grows past a few thousand.
func (s *shards) path(name string) (string, error) {
	if len(name) < 66 || len(name) > 128 || strings.Trim(name, "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-.") != "" ||
		strings.HasPrefix(name, ".") {
		return "", fmt.Errorf("%w: %q", errShardName, name)
	}
	return filepath.Join(s.dir, name[:2], name), nil
}

// put stores a shard of size bytes that fetch writes, once it hashes to
// digest, durably: the file and its directory are synced before put
// returns nil.
func (s *shards) put(name, digest string, size int64, fetch func(io.Writer) error) error {
	p, err := s.path(name)
	if err != nil {
		return err
	}
	if !strings.HasSuffix(name, strings.TrimPrefix(digest, "sha256:")) {
		return fmt.Errorf("%w: %q does not end with its digest %s", errShardName, name, digest)
	}
	if info, err := os.Stat(p); err == nil && info.Size() == size && s.check(name) == nil {
		return nil // stored before; its answer was lost
	}
	s.mu.Lock()
	if s.freeLocked() < size {
		s.mu.Unlock()
		return errShardFull
	}
	s.held += size
	s.mu.Unlock()
	defer func() { s.mu.Lock(); s.held -= size; s.mu.Unlock() }()

	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(p), ".tmp-")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name()) // after the rename: nothing
	err = fetch(f)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err := os.Rename(f.Name(), p); err != nil {
		return err
	}
	if err := syncDir(filepath.Dir(p)); err != nil {
		return err
	}
	s.mu.Lock()
	s.used += size
	s.count++
	s.mu.Unlock()
	return nil
}

// open opens a shard to send it.
func (s *shards) open(name string) (*os.File, int64, error) {
	p, err := s.path(name)
	if err != nil {
		return nil, 0, err
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, 0, err
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, err
	}
	return f, info.Size(), nil
}

// list names the shards whose names begin with prefix; every shard when
// prefix is empty.
func (s *shards) list(prefix string) ([]string, error) {
	if len(prefix) == 1 || strings.ContainsAny(prefix, "/\\") || strings.HasPrefix(prefix, ".") {
		return nil, fmt.Errorf("%w: list prefix %q", errShardName, prefix)
	}
	dirs := []string{prefix}
	if prefix == "" {
		ents, err := os.ReadDir(s.dir)
		if err != nil {
			return nil, err
		}
		dirs = dirs[:0]
		for _, e := range ents {
			if e.IsDir() && len(e.Name()) == 2 {
				dirs = append(dirs, e.Name())
			}
		}
	}
	var out []string
	for _, d := range dirs {
		ents, err := os.ReadDir(filepath.Join(s.dir, d[:2]))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		for _, e := range ents {
			if strings.HasPrefix(e.Name(), prefix) && !strings.HasPrefix(e.Name(), ".") {
				out = append(out, e.Name())
			}
		}
	}
	return out, nil
}

// remove deletes a shard; one that is not there is no error.
func (s *shards) remove(name string) error {
	p, err := s.path(name)
	if err != nil {
		return err
	}
	info, err := os.Stat(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil {
		return err
	}
	s.mu.Lock()
	s.used -= info.Size()
	s.count--
	s.mu.Unlock()
	return nil
}

// check reads a shard and says whether it still hashes to the digest its
// name ends with (a scrub of one shard).
func (s *shards) check(name string) error {
	f, _, err := s.open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return err
	}
	if got := hex.EncodeToString(h.Sum(nil)); !strings.HasSuffix(name, got) {
		return fmt.Errorf("%w: %s hashes to %s", errDamaged, name, got)
	}
	return nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// storageLoop holds a poll open for shard work and does what comes, a few
// operations at once, until the session ends.
func (a *Agent) storageLoop(ctx context.Context, c *api.Client) error {
	s := a.shards
	sem := make(chan struct{}, shardWorkers)
	var wg sync.WaitGroup
	defer wg.Wait()
	told := false
	for ctx.Err() == nil {
		s.mu.Lock()
		req := api.StoragePoll{Free: s.freeLocked(), Used: s.used, Shards: s.count, Wait: api.Duration(shardWait)}
		s.mu.Unlock()
		rctx, cancel := context.WithTimeout(ctx, shardWait+15*time.Second)
		got, err := c.StoragePoll(rctx, req)
		cancel()
		switch {
		case ctx.Err() != nil:
			return nil
		case err != nil && refusedBy(err):
			return err
		case errors.Is(err, api.ErrNotFound):
			// An older gateway, or one that keeps backups on its own disk.
			if !told {
				a.log.Warn("the gateway keeps no backups on its devices: --storage-dir stays unused until it does (hearth-gateway --storage-on devices)")
				told = true
			}
			sleep(ctx, time.Minute)
			continue
		case err != nil:
			a.log.Warn("asking for shard work", "err", err)
			sleep(ctx, a.timing.maxBackoff)
			continue
		}
		if told {
			a.log.Info("the gateway now keeps backups on this device", "dir", s.dir)
			told = false
		}
		for _, op := range got.Ops {
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				return nil
			}
			wg.Add(1)
			go func() {
				defer func() { <-sem; wg.Done() }()
				a.shardOp(ctx, c, op)
			}()
		}
	}
	return nil
}

// shardOp does one operation and reports how it ended.
func (a *Agent) shardOp(ctx context.Context, c *api.Client, op api.StorageOp) {
	s := a.shards
	var err error
	switch op.Kind {
	case api.ShardPut:
		err = s.put(op.Name, op.Digest, op.Size, func(w io.Writer) error {
			n, err := c.ShardBody(ctx, op.ID, op.Digest, w)
			if err == nil && n != op.Size {
				err = fmt.Errorf("shard %s: %d bytes, want %d", op.Name, n, op.Size)
			}
			return err
		})
	case api.ShardGet:
		var f *os.File
		var size int64
		if f, size, err = s.open(op.Name); err == nil {
			err = c.SendShard(ctx, op.ID, f, size)
			f.Close()
			if err == nil {
				return // the body was the answer
			}
		}
	case api.ShardDelete:
		err = s.remove(op.Name)
	case api.ShardCheck:
		err = s.check(op.Name)
	case api.ShardList:
		var names []string
		if names, err = s.list(op.Name); err == nil {
			body := strings.Join(names, "\n")
			if err = c.SendShard(ctx, op.ID, strings.NewReader(body), int64(len(body))); err == nil {
				return
			}
		}
	default:
		err = fmt.Errorf("unknown shard operation %q (a newer gateway?)", op.Kind)
	}
	done := api.StorageDone{}
	if err != nil {
		done.Error, done.Code = err.Error(), shardCode(err)
		a.log.Warn("shard operation failed", "op", op.Kind, "shard", op.Name, "err", err)
	}
	if err := c.ShardDone(ctx, op.ID, done); err != nil && ctx.Err() == nil {
		a.log.Debug("reporting a shard operation", "op", op.Kind, "err", err)
	}
}

func shardCode(err error) string {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "not_found"
	case errors.Is(err, errShardFull):
		return "full"
	case errors.Is(err, api.ErrDigestMismatch), errors.Is(err, errDamaged):
		return "digest"
	case errors.Is(err, errShardName):
		return "bad_request"
	}
	return "io"
}
