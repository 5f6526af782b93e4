package agent

import (
	"context"
	"slices"
	"sync"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/sandbox"
)

// work is one lease the agent is running.
type work struct {
	lease api.Lease
	// ctx bounds fetching and starting; revoke cancels it.
	ctx    context.Context
	cancel context.CancelFunc

	mu      sync.Mutex
	task    sandbox.Task // set once started
	revoked bool

	freed sync.Once // the lease's capacity given back

	pinMu            sync.Mutex // pinned and released: the cache pins of its blobs
	pinned, released bool

	sio *streamIO // a stream partition's instance's stdin and stdout; else nil
}

// setTask records the started task and reports whether the lease was
// revoked meanwhile (the caller then kills it).
func (w *work) setTask(t sandbox.Task) (revoked bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.task = t
	return w.revoked
}

func (w *work) isRevoked() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.revoked
}

// workTable holds the leases being run, by lease ID.
type workTable struct {
	mu sync.Mutex
	m  map[string]*work
}

// add registers w unless its lease is already running (the gateway sent it
// twice); it reports whether it did.
func (t *workTable) add(w *work) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.m == nil {
		t.m = make(map[string]*work)
	}
	if _, dup := t.m[w.lease.ID]; dup {
		return false
	}
	t.m[w.lease.ID] = w
	return true
}

func (t *workTable) remove(id string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.m, id)
}

func (t *workTable) has(id string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	_, ok := t.m[id]
	return ok
}

// count counts the running leases that match.
func (t *workTable) count(match func(*work) bool) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := 0
	for _, w := range t.m {
		if match(w) {
			n++
		}
	}
	return n
}

// ids lists the running leases, sorted.
func (t *workTable) ids() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]string, 0, len(t.m))
	for id := range t.m {
		out = append(out, id)
	}
	slices.Sort(out)
	return out
}

// revoke marks a lease revoked, stops its fetching and kills its task. It
// returns the task's work, or nil when the lease is not running.
func (t *workTable) revoke(ctx context.Context, id string) *work {
	t.mu.Lock()
	w := t.m[id]
	t.mu.Unlock()
	if w == nil {
		return nil
	}
	w.mu.Lock()
	w.revoked = true
	task := w.task
	w.mu.Unlock()
	w.cancel()
	if task != nil {
		task.Kill(ctx)
	}
	return w
}
