package agent

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
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
type blobCache struct {
	blobs  *store.Blobs
	client func() *api.Client // the current session's, or nil

	fetched atomic.Int64 // downloads started, for tests and logs

	mu       sync.Mutex
	ready    map[store.Digest]bool
	inflight map[store.Digest]chan struct{}
}

func newBlobCache(blobs *store.Blobs, client func() *api.Client) *blobCache {
	return &blobCache{
		blobs: blobs, client: client,
		ready: make(map[store.Digest]bool), inflight: make(map[store.Digest]chan struct{}),
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
