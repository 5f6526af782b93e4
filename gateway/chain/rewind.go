package chain

import (
	"context"
	"fmt"
	"slices"
	"strconv"

	"github.com/ethereum/go-ethereum/core/types"
	"github.com/hearth-home/hearth/store"
)

// checkCursor undoes a reorg when the cursor's block is no longer
// canonical. moved is true when it did.
// RPC calls use rctx, handle ctx.
func (w *Watcher) checkCursor(ctx, rctx context.Context, cur cursor, handle func(context.Context, []types.Log) error) (moved bool, err error) {
	if !cur.Set {
		return false, nil
	}
	h, err := w.hashAt(rctx, cur.Number)
	if err != nil || h == cur.Hash {
		return false, err
	}
	return true, w.rewind(ctx, rctx, cur, handle)
}

// rewind walks back from the cursor to the newest kept block that is still
// canonical, hands handle the logs delivered since as removed, and moves the
// cursor there.
func (w *Watcher) rewind(ctx, rctx context.Context, cur cursor, handle func(context.Context, []types.Log) error) error {
	type numbered struct {
		n uint64
		blockEntry
	}
	var entries []numbered
	prefix := w.blockPrefix()
	err := w.db.View(func(tx *store.Tx) error {
		return tx.Scan(w.opts.Bucket, prefix, func(k string, _ []byte) error {
			var e numbered
			if _, err := tx.GetJSON(w.opts.Bucket, k, &e.blockEntry); err != nil {
				return err
			}
			n, err := strconv.ParseUint(k[len(prefix):], 10, 64)
			if err != nil {
				return fmt.Errorf("watcher entry %q: %w", k, err)
			}
			e.n = n
			if e.n <= cur.Number {
				entries = append(entries, e)
			}
			return nil
		})
	})
	if err != nil {
		return err
	}
	var ancestor cursor
	found := false
	for i := len(entries) - 1; i >= 0 && !found; i-- {
		h, err := w.hashAt(rctx, entries[i].n)
		if err != nil {
			return err
		}
		if h == entries[i].Hash {
			ancestor, found = cursor{Set: true, Number: entries[i].n, Hash: h}, true
		}
	}
	if !found && cur.Number >= w.opts.FromBlock+keepBlocks {
		// No kept block is canonical. Every log delivered in the last
		// keepBlocks blocks is in a kept entry, so assuming the fork is
		// that deep loses nothing unless it is deeper.
		n := cur.Number - keepBlocks
		h, err := w.hashAt(rctx, n)
		if err != nil {
			return err
		}
		ancestor = cursor{Set: true, Number: n, Hash: h}
		w.opts.Logger.Warn("watcher: reorg below every kept block; assuming where it forks", "cursor", w.opts.Cursor, "fork", n)
	}
	var removed []types.Log
	for i := len(entries) - 1; i >= 0; i-- {
		if ancestor.Set && entries[i].n <= ancestor.Number {
			break
		}
		for _, l := range slices.Backward(entries[i].Logs) {
			l.Removed = true
			removed = append(removed, l)
		}
	}
	w.opts.Logger.Warn("watcher: a block left the canonical chain; going back", "cursor", w.opts.Cursor,
		"block", cur.Number, "hash", cur.Hash, "back_to", describe(ancestor, w.opts.FromBlock), "logs_removed", len(removed))
	if len(removed) > 0 {
		if err := handle(ctx, removed); err != nil {
			return &handlerError{err}
		}
	}
	err = w.db.Update(func(tx *store.Tx) error {
		for _, e := range entries {
			if !ancestor.Set || e.n > ancestor.Number {
				if err := tx.Delete(w.opts.Bucket, w.blockKey(e.n)); err != nil {
					return err
				}
			}
		}
		if !ancestor.Set {
			return tx.Delete(w.opts.Bucket, w.cursorKey())
		}
		return tx.PutJSON(w.opts.Bucket, w.cursorKey(), ancestor)
	})
	if err != nil {
		return err
	}
	w.setCursor(ancestor)
	return nil
}

func describe(c cursor, from uint64) string {
	if !c.Set {
		return fmt.Sprintf("the start block %d", from)
	}
	return fmt.Sprintf("block %d", c.Number)
}
