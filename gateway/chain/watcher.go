package chain

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/hearth-home/hearth/store"
)

// NoConfirmations, as WatcherOptions.Confirmations, delivers logs from the
// head block itself: for dev chains, where nothing reorgs.
const NoConfirmations = -1

// keepBlocks is how far below the cursor the watcher keeps delivered logs
// and block hashes: the deepest reorg it undoes exactly.
const keepBlocks = 64

// WatcherOptions configures a Watcher. Only Address is required.
type WatcherOptions struct {
	// Address is the contract whose logs are delivered.
	Address common.Address
	// Topics filters the logs as in ethereum.FilterQuery. Default: all.
	Topics [][]common.Hash
	// FromBlock is the first block scanned when no cursor is stored,
	// typically the contract's deployment block. Default 0.
	FromBlock uint64
	// Confirmations is how many blocks must be on top of a block before its
	// logs are delivered. Default 2; NoConfirmations for none.
	Confirmations int
	// PollInterval is how often the head is polled. Default 1s.
	PollInterval time.Duration
	// Bucket is the store bucket of the cursor. Default "chain_watch".
	Bucket string
	// Cursor names this watcher's cursor in Bucket, so that watchers can
	// share it. Default: Address in lowercase hex.
	Cursor string
	// MaxRange is the most blocks asked of FilterLogs at once (providers
	// cap it). Default 2000.
	MaxRange uint64
	// Logger receives the watcher's logs. Default: discard.
	Logger *slog.Logger
}

func (o WatcherOptions) withDefaults() WatcherOptions {
	if o.Confirmations == 0 {
		o.Confirmations = 2
	}
	if o.PollInterval <= 0 {
		o.PollInterval = time.Second
	}
	if o.Bucket == "" {
		o.Bucket = "chain_watch"
	}
	if o.Cursor == "" {
		o.Cursor = strings.ToLower(o.Address.Hex())
	}
	if o.MaxRange == 0 {
		o.MaxRange = 2000
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o
}

// Watcher delivers one contract's logs, once confirmed, in block order, and
// undoes them when a reorg removes them. See Run.
type Watcher struct {
	db   *store.DB
	r    Reader
	opts WatcherOptions

	running atomic.Bool

	mu      sync.Mutex
	cur     cursor
	changed chan struct{}
}

// cursor is the last block whose logs were delivered.
type cursor struct {
	Set    bool // false: nothing delivered yet; start at FromBlock
	Number uint64
	Hash   common.Hash
}

// blockEntry is what the watcher keeps of a delivered block near the
// cursor: its hash, to find a reorg's common ancestor, and its logs, to
// deliver them as removed.
type blockEntry struct {
	Hash common.Hash
	Logs []types.Log `json:",omitempty"`
}

// NewWatcher returns a watcher of opts.Address reading through r, its
// cursor in db.
func NewWatcher(db *store.DB, r Reader, opts WatcherOptions) *Watcher {
	w := &Watcher{db: db, r: r, opts: opts.withDefaults(), changed: make(chan struct{})}
	if cur, err := w.load(); err == nil { // else Run reports it
		w.cur = cur
	}
	return w
}

func (w *Watcher) cursorKey() string        { return w.opts.Cursor + "/cursor" }
func (w *Watcher) blockPrefix() string      { return w.opts.Cursor + "/block/" }
func (w *Watcher) blockKey(n uint64) string { return seqKey(w.blockPrefix(), n) }

func (w *Watcher) load() (cursor, error) {
	var cur cursor
	err := w.db.View(func(tx *store.Tx) error {
		_, err := tx.GetJSON(w.opts.Bucket, w.cursorKey(), &cur)
		return err
	})
	return cur, err
}

func (w *Watcher) confirmations() uint64 {
	return uint64(max(w.opts.Confirmations, 0))
}

// Head returns the last block whose logs were delivered, 0 before any.
func (w *Watcher) Head() uint64 {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.cur.Number
}

// WaitBlock returns once the logs of block n are delivered, or the
// context's error.
func (w *Watcher) WaitBlock(ctx context.Context, n uint64) error {
	for {
		w.mu.Lock()
		done, ch := w.cur.Set && w.cur.Number >= n, w.changed
		w.mu.Unlock()
		if done {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

func (w *Watcher) setCursor(cur cursor) {
	w.mu.Lock()
	w.cur = cur
	close(w.changed)
	w.changed = make(chan struct{})
	w.mu.Unlock()
}

// handlerError is a handle error: Run retries the batch after a pause.
type handlerError struct{ err error }

func (e *handlerError) Error() string { return "handler: " + e.err.Error() }
func (e *handlerError) Unwrap() error { return e.err }

// Run delivers logs to handle until ctx ends (then it returns nil).
//
// Logs come in block order, in batches of up to MaxRange blocks, once their
// block is Confirmations deep. After each batch handle accepts (returns
// nil), the cursor moves past it on disk; a batch handle refuses is retried.
// A crash can thus deliver the last batch again: handle must be idempotent,
// e.g. by keying its effects on (BlockHash, Index) or TxHash.
//
// When a reorg replaces blocks already delivered, handle first gets their
// logs again with Removed set, newest first, and then the new chain's logs
// from the common ancestor on. Reorgs up to 64 blocks below the cursor are
// undone exactly; a deeper one is assumed to fork 64 blocks down.
//
// Run returns an error only when the database fails.
func (w *Watcher) Run(ctx context.Context, handle func(ctx context.Context, logs []types.Log) error) error {
	if !w.running.CompareAndSwap(false, true) {
		return fmt.Errorf("watcher %s: %w", w.opts.Cursor, ErrRunning)
	}
	defer w.running.Store(false)
	cur, err := w.load()
	if err != nil {
		return fmt.Errorf("watcher %s: %w", w.opts.Cursor, err)
	}
	w.setCursor(cur)
	poll := w.opts.PollInterval
	maxBackoff := min(30*time.Second, 32*poll)
	backoff := poll
	down := false
	for {
		progressed, err := w.step(ctx, handle)
		if ctx.Err() != nil {
			return nil
		}
		wait := poll
		var de *downError
		var he *handlerError
		switch {
		case err == nil:
			if down {
				w.opts.Logger.Info("watcher: chain RPC is back", "cursor", w.opts.Cursor)
				down = false
			}
			backoff = poll
			if progressed {
				continue // catching up
			}
		case errors.As(err, &de):
			if !down {
				w.opts.Logger.Warn("watcher: chain RPC unavailable, retrying with backoff", "cursor", w.opts.Cursor, "err", de.err)
				down = true
			}
			wait, backoff = backoff, min(2*backoff, maxBackoff)
		case errors.As(err, &he):
			w.opts.Logger.Warn("watcher: retrying", "cursor", w.opts.Cursor, "err", err, "in", backoff)
			wait, backoff = backoff, min(2*backoff, maxBackoff)
		default:
			return fmt.Errorf("watcher %s: %w", w.opts.Cursor, err)
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C:
		}
	}
}

// hashAt returns the canonical hash at n; the zero hash when the chain is
// shorter.
func (w *Watcher) hashAt(ctx context.Context, n uint64) (common.Hash, error) {
	h, err := w.r.HeaderByNumber(ctx, new(big.Int).SetUint64(n))
	if errors.Is(err, ethereum.NotFound) {
		return common.Hash{}, nil
	}
	if err != nil {
		return common.Hash{}, down(fmt.Errorf("header %d: %w", n, err))
	}
	return h.Hash(), nil
}

// step delivers the next confirmed range, or undoes a reorg. progressed is
// true when the cursor moved.
func (w *Watcher) step(ctx context.Context, handle func(context.Context, []types.Log) error) (progressed bool, err error) {
	// RPC calls get a deadline; handle gets ctx as is.
	rctx, cancel := context.WithTimeout(ctx, callTimeout)
	defer cancel()
	w.mu.Lock()
	cur := w.cur
	w.mu.Unlock()
	head, err := w.r.BlockNumber(rctx)
	if err != nil {
		return false, down(fmt.Errorf("head: %w", err))
	}
	conf := w.confirmations()
	from := w.opts.FromBlock
	if cur.Set {
		from = cur.Number + 1
	}
	if head < conf || from > head-conf {
		return w.checkCursor(ctx, rctx, cur, handle)
	}
	to := min(head-conf, from+w.opts.MaxRange-1)
	// The hash of to, read before and after the logs and with the cursor's
	// check in between, pins all three to one chain.
	toHash, err := w.hashAt(rctx, to)
	if err != nil || toHash == (common.Hash{}) {
		return false, err
	}
	if moved, err := w.checkCursor(ctx, rctx, cur, handle); moved || err != nil {
		return moved, err
	}
	logs, err := w.r.FilterLogs(rctx, ethereum.FilterQuery{
		FromBlock: new(big.Int).SetUint64(from), ToBlock: new(big.Int).SetUint64(to),
		Addresses: []common.Address{w.opts.Address}, Topics: w.opts.Topics,
	})
	if err != nil {
		return false, down(fmt.Errorf("logs %d-%d: %w", from, to, err))
	}
	if again, err := w.hashAt(rctx, to); err != nil || again != toHash {
		return false, err // the chain moved under us: try again
	}
	logs = slices.DeleteFunc(logs, func(l types.Log) bool { return l.Removed || l.BlockNumber < from || l.BlockNumber > to })
	for _, l := range logs {
		if l.BlockNumber == to && l.BlockHash != toHash {
			return false, nil
		}
	}
	slices.SortStableFunc(logs, func(a, b types.Log) int {
		if a.BlockNumber != b.BlockNumber {
			return cmp.Compare(a.BlockNumber, b.BlockNumber)
		}
		return cmp.Compare(a.Index, b.Index)
	})
	if len(logs) > 0 {
		if err := handle(ctx, logs); err != nil {
			return false, &handlerError{err}
		}
	}
	next := cursor{Set: true, Number: to, Hash: toHash}
	if err := w.advance(next, logs); err != nil {
		return false, err
	}
	w.setCursor(next)
	return true, nil
}

// advance stores the new cursor with the delivered blocks' entries, and
// forgets entries more than keepBlocks below it.
func (w *Watcher) advance(next cursor, logs []types.Log) error {
	entries := map[uint64]*blockEntry{next.Number: {Hash: next.Hash}}
	for _, l := range logs {
		e := entries[l.BlockNumber]
		if e == nil {
			e = &blockEntry{Hash: l.BlockHash}
			entries[l.BlockNumber] = e
		}
		e.Logs = append(e.Logs, l)
	}
	b := w.opts.Bucket
	return w.db.Update(func(tx *store.Tx) error {
		for n, e := range entries {
			if err := tx.PutJSON(b, w.blockKey(n), e); err != nil {
				return err
			}
		}
		if next.Number >= keepBlocks {
			old := w.blockKey(next.Number - keepBlocks + 1)
			var stale []string
			err := tx.Scan(b, w.blockPrefix(), func(k string, _ []byte) error {
				if k < old {
					stale = append(stale, k)
				}
				return nil
			})
			if err != nil {
				return err
			}
			for _, k := range stale {
				if err := tx.Delete(b, k); err != nil {
					return err
				}
			}
		}
		return tx.PutJSON(b, w.cursorKey(), next)
	})
}
