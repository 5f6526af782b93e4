package agent

import (
	"bytes"
	"errors"
	"github.com/hearth-home/hearth/sandbox"
	"io"
	"io/fs"
	"os"
	"sync"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/internal/tarball"
	"github.com/hearth-home/hearth/store"
)

// maxOutputBytes bounds what a task may leave in /out.
const maxOutputBytes = 64 << 20

// failOutput is the failure of a task that left more than maxOutputBytes
// in /out. It is the task's own doing, so the gateway does not retry it.
const failOutput = sandbox.FailOutput

// outputs packs tasks' /out directories into the agent's blob store and
// removes each archive once no unsent result refers to it any more.
// Identical archives (the empty one above all) are stored once and counted.
type outputs struct {
	blobs *store.Blobs
	empty api.BlobRef // the archive of an empty /out; kept for good

	mu   sync.Mutex
	refs map[store.Digest]int
}

func newOutputs(blobs *store.Blobs) (*outputs, error) {
	var buf bytes.Buffer
	if err := tarball.Pack("", &buf, 0); err != nil {
		return nil, err
	}
	d, err := blobs.PutBytes(buf.Bytes())
	if err != nil {
		return nil, err
	}
	return &outputs{
		blobs: blobs, empty: api.BlobRef{Digest: string(d), Size: int64(buf.Len())},
		refs: make(map[store.Digest]int),
	}, nil
}

// pack archives dir and holds a reference to the archive; the error wraps
// tarball.ErrTooLarge when dir holds too much.
func (o *outputs) pack(dir string) (api.BlobRef, error) {
	if emptyDir(dir) {
		return o.empty, nil // most tasks: no archive to write, hash and drop
	}
	for {
		pr, pw := io.Pipe()
		packed := make(chan error, 1)
		go func() {
			err := tarball.Pack(dir, pw, maxOutputBytes)
			pw.CloseWithError(err)
			packed <- err
		}()
		d, n, err := o.blobs.Put(pr, "")
		pr.CloseWithError(errors.New("blob store gave up"))
		if perr := <-packed; perr != nil {
			return api.BlobRef{}, perr
		}
		if err != nil {
			return api.BlobRef{}, err
		}
		if string(d) == o.empty.Digest {
			return o.empty, nil
		}
		o.mu.Lock()
		// Put may have found the blob already there, and release may have
		// removed it since: then pack again.
		ok := o.blobs.Has(d)
		if ok {
			o.refs[d]++
		}
		o.mu.Unlock()
		if ok {
			return api.BlobRef{Digest: string(d), Size: n}, nil
		}
	}
}

// hold counts a reference found in the outbox after a restart.
func (o *outputs) hold(digest string) {
	if digest == "" || digest == o.empty.Digest {
		return
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	o.refs[store.Digest(digest)]++
}

// release drops a reference and removes the archive with its last one.
func (o *outputs) release(digest string) {
	d := store.Digest(digest)
	if digest == "" || digest == o.empty.Digest {
		return
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.refs[d]--; o.refs[d] > 0 {
		return
	}
	delete(o.refs, d)
	o.blobs.Remove(d)
}

// emptyDir reports whether dir is missing or holds nothing.
func emptyDir(dir string) bool {
	f, err := os.Open(dir)
	if err != nil {
		return errors.Is(err, fs.ErrNotExist)
	}
	defer f.Close()
	_, err = f.Readdirnames(1)
	return errors.Is(err, io.EOF)
}
