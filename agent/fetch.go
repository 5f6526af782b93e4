package agent

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/store"
)

// errNoSession is returned by a fetch while the agent has no gateway session.
var errNoSession = errors.New("no session with the gateway")

// fetchAttempts bounds how often a blob fetch is tried before the task is
// reported as failed to start (which the gateway retries elsewhere).
const fetchAttempts = 6

// blobCache keeps apps and inputs fetched from the gateway in the agent's
// blob store, so that the second task of a job fetches nothing. A blob is
// verified against its digest when fetched and once more per process before
// first use; concurrent fetches of one blob share a single download.
//
// It holds at most budget bytes (negative: no bound): after each fetch,
// the blobs that no running task uses (pin) are removed, least recently
// used first, until it fits. A blob in use is never removed, so the cache
// may stay over budget while its tasks run. Inputs are hard-linked into the
// task's directory, so removing them from the cache would not hurt a task
// anyway; apps are read from the cache path.
type blobCache struct {
	blobs  *store.Blobs
	client func() *api.Client // the current session's, or nil
	budget int64
	log    *slog.Logger

	fetched atomic.Int64 // downloads started, for tests and logs
	evicted atomic.Int64 // blobs removed to keep to the budget

	mu       sync.Mutex
	ready    map[store.Digest]bool
	inflight map[store.Digest]chan struct{}
	sizes    map[store.Digest]int64     // every blob on disk
	used     map[store.Digest]time.Time // when each was last used
	pins     map[store.Digest]int       // running tasks that use each
	total    int64                      // bytes on disk
}

func newBlobCache(blobs *store.Blobs, client func() *api.Client, budget int64, log *slog.Logger) *blobCache {
	c := &blobCache{
		blobs: blobs, client: client, budget: budget, log: log,
		ready: make(map[store.Digest]bool), inflight: make(map[store.Digest]chan struct{}),
		sizes: make(map[store.Digest]int64), used: make(map[store.Digest]time.Time), pins: make(map[store.Digest]int),
	}
	// What an earlier run left: its files' times order them until used.
	infos, err := blobs.List()
	if err != nil {
		log.Warn("listing the blob cache", "err", err)
	}
	for _, b := range infos {
		c.sizes[b.Digest], c.used[b.Digest] = b.Size, b.ModTime
		c.total += b.Size
	}
	c.mu.Lock()
	c.evictLocked()
	c.mu.Unlock()
	return c
}

// pin marks the blobs as used by a running task until unpin; the empty
// digest is ignored.
func (c *blobCache) pin(ds ...string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, d := range ds {
		if d != "" {
			c.pins[store.Digest(d)]++
		}
	}
}

// unpin undoes pin, and removes what no longer fits.
func (c *blobCache) unpin(ds ...string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, d := range ds {
		k := store.Digest(d)
		if d == "" || c.pins[k] == 0 {
			continue
		}
		if c.pins[k]--; c.pins[k] == 0 {
			delete(c.pins, k)
			c.used[k] = time.Now()
		}
	}
	c.evictLocked()
}

// Size returns the bytes the cache holds.
func (c *blobCache) size() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.total
}

// added records a blob now on disk.
func (c *blobCache) addedLocked(d store.Digest) {
	if _, ok := c.sizes[d]; !ok {
		if st, err := os.Stat(c.blobs.Path(d)); err == nil {
			c.sizes[d] = st.Size()
			c.total += st.Size()
		}
	}
	c.used[d] = time.Now()
	c.evictLocked()
}

// evictLocked removes unpinned blobs, least recently used first, until the
// cache fits its budget.
func (c *blobCache) evictLocked() {
	if c.budget < 0 || c.total <= c.budget {
		return
	}
	var order []store.Digest
	for d := range c.sizes {
		if c.pins[d] == 0 && c.inflight[d] == nil {
			order = append(order, d)
		}
	}
	slices.SortFunc(order, func(a, b store.Digest) int { return c.used[a].Compare(c.used[b]) })
	for _, d := range order {
		if c.total <= c.budget {
			return
		}
		if err := c.blobs.Remove(d); err != nil {
			c.log.Warn("removing a cached blob", "blob", d.Short(), "err", err)
			continue
		}
		c.total -= c.sizes[d]
		delete(c.sizes, d)
		delete(c.used, d)
		delete(c.ready, d)
		c.evicted.Add(1)
	}
	if c.total > c.budget {
		c.log.Info("the blob cache is over its budget while tasks use what it holds", "bytes", c.total, "budget", c.budget)
	}
}

// get returns the local path of the blob named digest, fetching it when
// needed.
func (c *blobCache) get(ctx context.Context, digest string) (string, error) {
	d, err := store.ParseDigest(digest)
	if err != nil {
		return "", err
	}
	for {
		c.mu.Lock()
		if c.ready[d] {
			c.used[d] = time.Now()
			c.mu.Unlock()
			return c.blobs.Path(d), nil
		}
		if ch := c.inflight[d]; ch != nil {
			c.mu.Unlock()
			select {
			case <-ch:
				continue
			case <-ctx.Done():
				return "", ctx.Err()
			}
		}
		ch := make(chan struct{})
		c.inflight[d] = ch
		c.mu.Unlock()

		err := c.load(ctx, d)
		c.mu.Lock()
		delete(c.inflight, d)
		if err == nil {
			c.ready[d] = true
			c.addedLocked(d)
		}
		close(ch)
		c.mu.Unlock()
		if err != nil {
			return "", err
		}
		return c.blobs.Path(d), nil
	}
}

func (c *blobCache) load(ctx context.Context, d store.Digest) error {
	if c.blobs.Has(d) {
		if c.blobs.Verify(d) == nil {
			return nil
		}
		c.blobs.Remove(d) // corrupt on disk: fetch it again
		c.mu.Lock()
		c.total -= c.sizes[d]
		delete(c.sizes, d)
		c.mu.Unlock()
	}
	bo := backoff{min: 200 * time.Millisecond, max: 3 * time.Second}
	var err error
	for range fetchAttempts {
		err = c.fetch(ctx, d)
		if err == nil || ctx.Err() != nil || errors.Is(err, api.ErrNotFound) {
			return err
		}
		if !sleep(ctx, bo.next()) {
			return ctx.Err()
		}
	}
	return err
}

// fetch streams the blob from the gateway straight into the store, which
// checks the digest before keeping it.
func (c *blobCache) fetch(ctx context.Context, d store.Digest) error {
	cl := c.client()
	if cl == nil {
		return errNoSession
	}
	c.fetched.Add(1)
	pr, pw := io.Pipe()
	got := make(chan error, 1)
	go func() {
		_, err := cl.GetBlob(ctx, string(d), pw)
		pw.CloseWithError(err)
		got <- err
	}()
	_, _, err := c.blobs.Put(pr, d)
	pr.CloseWithError(errors.New("blob store gave up")) // unblocks the writer
	if gerr := <-got; gerr != nil {
		return fmt.Errorf("fetch %s: %w", d.Short(), gerr)
	}
	return err
}

// link makes the cached blob d appear at path: a hard link when the work
// directory is on the same file system (inputs are read-only in the
// sandbox, so sharing the inode is safe), else a copy.
func (c *blobCache) link(d store.Digest, path string) error {
	if err := os.Link(c.blobs.Path(d), path); err == nil {
		return nil
	}
	rc, _, err := c.blobs.Open(d)
	if err != nil {
		return err
	}
	defer rc.Close()
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o444)
	if err != nil {
		return err
	}
	_, err = io.Copy(f, rc)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
