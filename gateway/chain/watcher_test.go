package chain

import (
	"context"
	"errors"
	"math/big"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// emitterChain is a test chain with an emitter contract.
type emitterChain struct {
	*testChain
	emitter common.Address
}

func newEmitterChain(t *testing.T) *emitterChain {
	c := newTestChain(t, 3)
	return &emitterChain{testChain: c, emitter: c.deploy(t, c.keys[0], emitterCode())}
}

// emit sends a call to the emitter from key, which logs data; not committed.
func (c *emitterChain) emit(t *testing.T, key int, data string) *types.Transaction {
	t.Helper()
	return c.send(t, c.keys[key], &c.emitter, []byte(data))
}

// commit mines a block and returns its number.
func (c *emitterChain) commit(t *testing.T) uint64 {
	t.Helper()
	c.commitBlock()
	n, err := c.client.BlockNumber(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// collector is a handler that keeps what it is given.
type collector struct {
	mu      sync.Mutex
	batches [][]types.Log
	fail    func(batch int, logs []types.Log) error
}

func (c *collector) handle(_ context.Context, logs []types.Log) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.batches = append(c.batches, slices.Clone(logs))
	if c.fail != nil {
		return c.fail(len(c.batches), logs)
	}
	return nil
}

func (c *collector) logs() []types.Log {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Concat(c.batches...)
}

func waitBlock(t *testing.T, w *Watcher, n uint64) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := w.WaitBlock(ctx, n); err != nil {
		t.Fatalf("watcher at %d, waiting for %d: %v", w.Head(), n, err)
	}
}

func datas(logs []types.Log) []string {
	var out []string
	for _, l := range logs {
		s := string(l.Data)
		if l.Removed {
			s = "-" + s
		}
		out = append(out, s)
	}
	return out
}

func TestWatcherConfirmations(t *testing.T) {
	c := newEmitterChain(t)
	dir := t.TempDir()
	c.emit(t, 1, "a")
	n := c.commit(t)
	var got collector
	w := NewWatcher(openDB(t, dir), c.client, WatcherOptions{Address: c.emitter, PollInterval: 5 * time.Millisecond, Logger: testLogger(t)})
	goRun(t, func(ctx context.Context) error { return w.Run(ctx, got.handle) })
	c.commit(t)
	waitBlock(t, w, n-1) // two confirmations: the head less two
	time.Sleep(30 * time.Millisecond)
	if l := got.logs(); len(l) != 0 || w.Head() != n-1 {
		t.Fatalf("with one confirmation: delivered %v, head %d; want nothing, head %d", datas(l), w.Head(), n-1)
	}
	c.commit(t)
	waitBlock(t, w, n)
	l := got.logs()
	if len(l) != 1 || string(l[0].Data) != "a" || l[0].BlockNumber != n || l[0].Topics[0] != emitTopic {
		t.Fatalf("with two confirmations: delivered %v, want a in block %d", datas(l), n)
	}
}

func TestWatcherRestart(t *testing.T) {
	c := newEmitterChain(t)
	dir := t.TempDir()
	var want []string
	var first uint64
	for i := range 10 {
		d := string(rune('a' + i))
		want = append(want, d)
		c.emit(t, 1, d)
		n := c.commit(t)
		if i == 0 {
			first = n
		}
	}
	opts := WatcherOptions{
		Address: c.emitter, FromBlock: first, Confirmations: NoConfirmations, MaxRange: 3,
		PollInterval: 5 * time.Millisecond, Logger: testLogger(t),
	}
	// The first watcher dies while handling its second batch: that batch's
	// effects may or may not have happened.
	db := openDB(t, dir)
	ctx, cancel := context.WithCancel(context.Background())
	crash := errors.New("killed")
	first1 := collector{fail: func(batch int, _ []types.Log) error {
		if batch == 2 {
			cancel()
			return crash
		}
		return nil
	}}
	w1 := NewWatcher(db, c.client, opts)
	if err := w1.Run(ctx, first1.handle); err != nil {
		t.Fatal(err)
	}
	if got := datas(first1.logs()); !slices.Equal(got, want[:6]) {
		t.Fatalf("first watcher got %v, want %v", got, want[:6])
	}
	if w1.Head() != first+2 {
		t.Fatalf("first watcher stopped at %d, want %d", w1.Head(), first+2)
	}
	db.Close()

	var second collector
	w2 := NewWatcher(openDB(t, dir), c.client, opts)
	if w2.Head() != first+2 {
		t.Fatalf("second watcher starts at %d, want %d", w2.Head(), first+2)
	}
	goRun(t, func(ctx context.Context) error { return w2.Run(ctx, second.handle) })
	waitBlock(t, w2, first+9)
	// The second batch again, then the rest: nothing lost, nothing twice
	// but the batch that was being handled.
	if got := datas(second.logs()); !slices.Equal(got, want[3:]) {
		t.Fatalf("second watcher got %v, want %v", got, want[3:])
	}
	// Handler errors are retried.
	c.emit(t, 1, "k")
	var tries int
	second.mu.Lock()
	second.fail = func(int, []types.Log) error {
		tries++
		if tries < 3 {
			return errors.New("database busy")
		}
		return nil
	}
	second.mu.Unlock()
	n := c.commit(t)
	waitBlock(t, w2, n)
	if got := datas(second.logs()); !slices.Equal(got, append(want[3:], "k", "k", "k")) {
		t.Fatalf("after handler errors got %v", got)
	}
}

func TestWatcherReorg(t *testing.T) {
	c := newEmitterChain(t)
	var got collector
	w := NewWatcher(openDB(t, t.TempDir()), c.client, WatcherOptions{
		Address: c.emitter, Confirmations: NoConfirmations, PollInterval: 5 * time.Millisecond, Logger: testLogger(t),
	})
	goRun(t, func(ctx context.Context) error { return w.Run(ctx, got.handle) })
	c.emit(t, 1, "kept")
	base := c.commit(t)
	waitBlock(t, w, base)
	gone := c.emit(t, 1, "gone")
	n := c.commit(t)
	waitBlock(t, w, n)
	old, err := c.client.HeaderByNumber(context.Background(), new(big.Int).SetUint64(n))
	if err != nil {
		t.Fatal(err)
	}
	parent, err := c.client.HeaderByNumber(context.Background(), new(big.Int).SetUint64(base))
	if err != nil {
		t.Fatal(err)
	}

	// The block holding "gone" is replaced by a fork from its parent, two
	// blocks long, with a new log from another account.
	if err := c.fork(parent.Hash()); err != nil {
		t.Fatal(err)
	}
	c.emit(t, 2, "new")
	c.commit(t)
	top := c.commit(t)
	if h, _ := c.client.HeaderByNumber(context.Background(), new(big.Int).SetUint64(n)); h == nil || h.Hash() == old.Hash() {
		t.Fatal("the fork did not become canonical")
	}
	waitBlock(t, w, top)
	logs := got.logs()
	t.Logf("delivered %v", datas(logs))
	i := slices.IndexFunc(logs, func(l types.Log) bool { return l.Removed })
	if i < 0 {
		t.Fatalf("no removed log in %v", datas(logs))
	}
	r := logs[i]
	if string(r.Data) != "gone" || r.TxHash != gone.Hash() || r.BlockHash != old.Hash() {
		t.Errorf("removed %q from %s, want gone from %s", r.Data, r.BlockHash, old.Hash())
	}
	if got := datas(logs[:i]); !slices.Equal(got, []string{"kept", "gone"}) {
		t.Errorf("before the reorg got %v", got)
	}
	// After the removal: the fork's logs, each once, from canonical blocks.
	// The "gone" transaction may come back in the fork: the node re-queues it.
	after := logs[i+1:]
	if !slices.Contains(datas(after), "new") || slices.Contains(datas(after), "kept") {
		t.Errorf("after the reorg got %v, want new (and maybe gone again)", datas(after))
	}
	for _, l := range after {
		h, err := c.client.HeaderByNumber(context.Background(), new(big.Int).SetUint64(l.BlockNumber))
		if err != nil || h.Hash() != l.BlockHash || l.Removed {
			t.Errorf("log %q in block %d %s is not canonical", l.Data, l.BlockNumber, l.BlockHash)
		}
	}
	if slices.ContainsFunc(logs[i+1:], func(l types.Log) bool { return l.Removed }) {
		t.Errorf("more removals: %v", datas(logs))
	}
}
