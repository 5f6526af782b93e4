package agent

import (
	"sync"

	"github.com/hearth-home/hearth/store"
)

// committer coalesces small writes into shared transactions (group commit):
// the first writer to arrive commits at once, and everything that arrives
// while its commit (and fsync) runs goes into the next one. Unlike
// store.DB.Batch it never waits for company, so a lone write costs one
// commit and no added delay, while a busy agent still pays one fsync for
// many tasks.
type committer struct {
	db *store.DB

	mu      sync.Mutex
	busy    bool
	pending []*commitOp
}

type commitOp struct {
	fn   func(*store.Tx) error
	done chan error
}

// do runs fn in a read-write transaction, possibly shared with other
// writers, and returns once that transaction is committed. Like Batch, fn
// may run more than once (when a writer sharing its transaction fails, the
// others are retried alone), so it must have no effect outside tx.
func (c *committer) do(fn func(*store.Tx) error) error {
	op := &commitOp{fn: fn, done: make(chan error, 1)}
	c.mu.Lock()
	c.pending = append(c.pending, op)
	if c.busy {
		c.mu.Unlock()
		return <-op.done
	}
	c.busy = true
	for len(c.pending) > 0 {
		batch := c.pending
		c.pending = nil
		c.mu.Unlock()
		c.commit(batch)
		c.mu.Lock()
	}
	c.busy = false
	c.mu.Unlock()
	return <-op.done
}

func (c *committer) commit(batch []*commitOp) {
	err := c.db.Update(func(tx *store.Tx) error {
		for _, op := range batch {
			if err := op.fn(tx); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil || len(batch) == 1 {
		for _, op := range batch {
			op.done <- err
		}
		return
	}
	// One writer spoiled the shared transaction: find it by going alone.
	for _, op := range batch {
		op.done <- c.db.Update(op.fn)
	}
}
