package chain

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

func newOutbox(t *testing.T, dir string, b Backend, key *ecdsa.PrivateKey, opts OutboxOptions) *Outbox {
	t.Helper()
	if opts.PollInterval == 0 {
		opts.PollInterval = 10 * time.Millisecond
	}
	if opts.Logger == nil {
		opts.Logger = testLogger(t)
	}
	o, err := NewOutbox(openDB(t, dir), b, key, simChainID, opts)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func transfer(key string, to common.Address, wei int64) Intent {
	return Intent{Key: key, To: to, Value: big.NewInt(wei)}
}

func waitAll(t *testing.T, o *Outbox, keys []string) []Record {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var recs []Record
	for _, k := range keys {
		rec, err := o.Wait(ctx, k)
		if err != nil {
			t.Fatalf("wait %s: %v (record %+v)", k, err, rec)
		}
		recs = append(recs, rec)
	}
	return recs
}

func accountNonce(t *testing.T, c *testChain, a common.Address) uint64 {
	t.Helper()
	n, err := c.client.NonceAt(context.Background(), a, nil)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// checkMinedOnce checks that every record is mined, successfully, with the
// consecutive nonces first..., and that exactly one of its hashes has a
// receipt.
func checkMinedOnce(t *testing.T, c *testChain, recs []Record, first uint64) {
	t.Helper()
	for i, rec := range recs {
		if rec.State != Mined || rec.Reverted {
			t.Fatalf("%s: state %s reverted %v, want mined", rec.Key, rec.State, rec.Reverted)
		}
		if rec.Nonce != first+uint64(i) {
			t.Errorf("%s: nonce %d, want %d", rec.Key, rec.Nonce, first+uint64(i))
		}
		found := 0
		for _, h := range rec.Hashes {
			r, err := c.client.TransactionReceipt(context.Background(), h)
			// Until go-ethereum's transaction indexer has caught up with
			// the head (slow on a loaded machine), a hash it has not
			// mined is answered "indexing is in progress", not NotFound:
			// ask again, as the sender does.
			for deadline := time.Now().Add(10 * time.Second); err != nil && indexing(err) && time.Now().Before(deadline); {
				time.Sleep(50 * time.Millisecond)
				r, err = c.client.TransactionReceipt(context.Background(), h)
			}
			if errors.Is(err, ethereum.NotFound) {
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			found++
			if h != rec.TxHash || r.BlockHash != rec.BlockHash || r.GasUsed != rec.GasUsed {
				t.Errorf("%s: receipt %s in %s does not match the record", rec.Key, h, r.BlockHash)
			}
		}
		if found != 1 {
			t.Errorf("%s: %d of its %d transactions mined, want 1", rec.Key, found, len(rec.Hashes))
		}
	}
}

func TestOutboxMinesInOrder(t *testing.T) {
	c := newTestChain(t, 1)
	c.startMiner(t)
	var mu sync.Mutex
	var done []string
	o := newOutbox(t, t.TempDir(), c.client, c.keys[0], OutboxOptions{OnDone: func(r Record) {
		mu.Lock()
		done = append(done, r.Key)
		mu.Unlock()
	}})
	to := common.HexToAddress("0x1111")
	var keys []string
	for i := range 12 {
		k := fmt.Sprintf("pay/%d", i)
		keys = append(keys, k)
		rec, err := o.Enqueue(transfer(k, to, int64(i+1)))
		if err != nil || rec.State != Queued {
			t.Fatalf("enqueue: %+v %v", rec, err)
		}
	}
	goRun(t, o.Run)
	recs := waitAll(t, o, keys)
	checkMinedOnce(t, c, recs, 0)
	for i := 1; i < len(recs); i++ {
		if recs[i].BlockNumber < recs[i-1].BlockNumber {
			t.Errorf("%s mined before %s", recs[i].Key, recs[i-1].Key)
		}
	}
	if n := accountNonce(t, c, o.From()); n != 12 {
		t.Errorf("account nonce %d, want 12", n)
	}
	bal, err := c.client.BalanceAt(context.Background(), to, nil)
	if err != nil || bal.Int64() != 78 {
		t.Errorf("recipient has %v wei (%v), want 78", bal, err)
	}
	list, err := o.List()
	if err != nil || len(list) != 12 || list[0].Key != "pay/0" || list[11].Key != "pay/11" {
		t.Errorf("list: %d records, %v", len(list), err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(done) != 12 {
		t.Errorf("OnDone called %d times, want 12", len(done))
	}
}

func TestOutboxIdempotentKey(t *testing.T) {
	c := newTestChain(t, 1)
	c.startMiner(t)
	o := newOutbox(t, t.TempDir(), c.client, c.keys[0], OutboxOptions{})
	to := common.HexToAddress("0x2222")
	first, err := o.Enqueue(transfer("settle/batch-7", to, 5))
	if err != nil {
		t.Fatal(err)
	}
	again, err := o.Enqueue(transfer("settle/batch-7", to, 5))
	if err != nil || again.Seq != first.Seq {
		t.Fatalf("second enqueue: %+v %v", again, err)
	}
	goRun(t, o.Run)
	recs := waitAll(t, o, []string{"settle/batch-7"})
	after, err := o.Enqueue(transfer("settle/batch-7", to, 5))
	if err != nil || after.State != Mined || after.TxHash != recs[0].TxHash {
		t.Fatalf("enqueue after mined: %+v %v", after, err)
	}
	if _, err := o.Enqueue(transfer("settle/batch-7", to, 6)); !errors.Is(err, ErrKeyConflict) {
		t.Errorf("enqueue of another intent under the key: %v, want ErrKeyConflict", err)
	}
	if _, err := o.Wait(context.Background(), "nope"); !errors.Is(err, ErrUnknownIntent) {
		t.Errorf("wait for an unknown key: %v", err)
	}
	time.Sleep(50 * time.Millisecond)
	if n := accountNonce(t, c, o.From()); n != 1 {
		t.Errorf("account nonce %d, want 1: one transaction", n)
	}
}

// A crash after the outbox recorded a signed transaction, but before it
// knew the send's outcome, must not lose it nor send a second one.
func TestOutboxCrashRestart(t *testing.T) {
	c := newTestChain(t, 1)
	m := c.startMiner(t)
	m.paused.Store(true) // nothing is mined before the crash
	dir := t.TempDir()
	key := c.keys[0]
	// Nonces 0 and 1 go through; the first send of nonce 2 reaches the node
	// but its answer is lost; nonce 3 never leaves.
	lost := false
	f := &flaky{Backend: c.client, onSend: func(_ context.Context, _ int, tx *types.Transaction) (bool, error) {
		switch {
		case tx.Nonce() <= 1:
			return true, nil
		case tx.Nonce() == 2 && !lost:
			lost = true
			return true, errors.New("read tcp: connection reset by peer")
		case tx.Nonce() == 2:
			return true, nil
		}
		return false, errors.New("write tcp: broken pipe")
	}}
	db := openDB(t, dir)
	o1, err := NewOutbox(db, f, key, simChainID, OutboxOptions{PollInterval: 10 * time.Millisecond, Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	to := common.HexToAddress("0x3333")
	var keys []string
	for i := range 5 {
		keys = append(keys, fmt.Sprintf("k%d", i))
		if _, err := o1.Enqueue(transfer(keys[i], to, 1)); err != nil {
			t.Fatal(err)
		}
	}
	stop := goRun(t, o1.Run)
	eventually(t, "the fourth record to be signed", func() bool {
		rec, _, _ := o1.Get("k3")
		return rec.State == Sent
	})
	time.Sleep(30 * time.Millisecond) // let its send fail too
	stop()
	before := map[string]Record{}
	for _, k := range keys[:4] {
		rec, _, err := o1.Get(k)
		if err != nil || rec.State != Sent || len(rec.Hashes) != 1 {
			t.Fatalf("%s before restart: %+v %v", k, rec, err)
		}
		before[k] = rec
	}
	if rec, _, _ := o1.Get("k4"); rec.State != Queued {
		t.Fatalf("k4 before restart: %s, want queued", rec.State)
	}
	if n := accountNonce(t, c, o1.From()); n != 0 {
		t.Fatalf("account nonce %d before restart, want 0", n)
	}
	db.Close()

	m.paused.Store(false)
	o2 := newOutbox(t, dir, c.client, key, OutboxOptions{})
	goRun(t, o2.Run)
	recs := waitAll(t, o2, keys)
	checkMinedOnce(t, c, recs, 0)
	for _, rec := range recs[:4] {
		if rec.TxHash != before[rec.Key].Hashes[0] || len(rec.Hashes) != 1 {
			t.Errorf("%s: mined %s with hashes %v, want the transaction signed before the crash, %s",
				rec.Key, rec.TxHash, rec.Hashes, before[rec.Key].Hashes[0])
		}
	}
	if n := accountNonce(t, c, o2.From()); n != 5 {
		t.Errorf("account nonce %d, want 5: one transaction per intent", n)
	}
}

func TestOutboxRPCDown(t *testing.T) {
	c := newTestChain(t, 1)
	c.startMiner(t)
	f := &flaky{Backend: c.client}
	f.down.Store(true)
	var l logs
	o := newOutbox(t, t.TempDir(), f, c.keys[0], OutboxOptions{Logger: l.logger(t)})
	to := common.HexToAddress("0x4444")
	keys := []string{"a", "b", "c"}
	for _, k := range keys[:2] {
		if _, err := o.Enqueue(transfer(k, to, 1)); err != nil {
			t.Fatal(err)
		}
	}
	goRun(t, o.Run)
	time.Sleep(200 * time.Millisecond)
	if _, err := o.Enqueue(transfer("c", to, 1)); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond)
	for _, k := range keys {
		if rec, _, err := o.Get(k); err != nil || rec.State != Queued {
			t.Fatalf("%s while down: %s %v, want queued", k, rec.State, err)
		}
	}
	if n := l.count("unavailable"); n != 1 {
		t.Errorf("logged the outage %d times, want once", n)
	}
	f.down.Store(false)
	checkMinedOnce(t, c, waitAll(t, o, keys), 0)
	if l.count("is back") == 0 {
		t.Error("did not log the recovery")
	}

	// Down again, after records were signed: they are sent when it is back.
	f.mu.Lock()
	f.onSend = func(context.Context, int, *types.Transaction) (bool, error) {
		f.down.Store(true)
		return false, errDown
	}
	f.mu.Unlock()
	if _, err := o.Enqueue(transfer("d", to, 1)); err != nil {
		t.Fatal(err)
	}
	eventually(t, "d to be signed", func() bool { rec, _, _ := o.Get("d"); return rec.State == Sent })
	time.Sleep(100 * time.Millisecond)
	f.mu.Lock()
	f.onSend = nil
	f.mu.Unlock()
	f.down.Store(false)
	checkMinedOnce(t, c, waitAll(t, o, []string{"d"}), 3)
	if n := accountNonce(t, c, o.From()); n != 4 {
		t.Errorf("account nonce %d, want 4", n)
	}
}

func TestOutboxReplacesStuck(t *testing.T) {
	t.Run("pool replacement", func(t *testing.T) {
		// The first transaction waits in the node's pool, unmined; its
		// replacement must be accepted by the pool and mined instead.
		c := newTestChain(t, 1)
		m := c.startMiner(t)
		m.paused.Store(true)
		f := &flaky{Backend: c.client}
		o := newOutbox(t, t.TempDir(), f, c.keys[0], OutboxOptions{StuckAfter: 150 * time.Millisecond})
		if _, err := o.Enqueue(transfer("x", common.HexToAddress("0x5555"), 1)); err != nil {
			t.Fatal(err)
		}
		goRun(t, o.Run)
		var first Record
		eventually(t, "x to be sent", func() bool { first, _, _ = o.Get("x"); return first.State == Sent })
		var bumped Record
		eventually(t, "a replacement", func() bool { bumped, _, _ = o.Get("x"); return len(bumped.Hashes) >= 2 })
		// A version is recorded before it is sent: mine only once the
		// node's pool holds the replacement.
		eventually(t, "the replacement in the pool", func() bool {
			_, _, err := c.client.TransactionByHash(context.Background(), bumped.Hashes[1])
			return err == nil
		})
		if errs := f.sendErrors(); len(errs) != 0 {
			t.Fatalf("the node refused a send: %v", errs)
		}
		checkBump(t, first, bumped)
		m.paused.Store(false)
		recs := waitAll(t, o, []string{"x"})
		checkMinedOnce(t, c, recs, 0)
		if recs[0].TxHash == recs[0].Hashes[0] {
			t.Error("the first transaction was mined, not its replacement")
		}
	})
	t.Run("dropped", func(t *testing.T) {
		// The node drops the first transaction: nothing is mined until the
		// replacement.
		c := newTestChain(t, 1)
		c.startMiner(t)
		f := &flaky{Backend: c.client, onSend: func(_ context.Context, n int, _ *types.Transaction) (bool, error) {
			return n > 1, nil
		}}
		o := newOutbox(t, t.TempDir(), f, c.keys[0], OutboxOptions{StuckAfter: 150 * time.Millisecond})
		if _, err := o.Enqueue(transfer("y", common.HexToAddress("0x5555"), 1)); err != nil {
			t.Fatal(err)
		}
		goRun(t, o.Run)
		recs := waitAll(t, o, []string{"y"})
		checkMinedOnce(t, c, recs, 0)
		if len(recs[0].Hashes) < 2 || recs[0].TxHash == recs[0].Hashes[0] {
			t.Errorf("mined %s of %v, want a replacement", recs[0].TxHash, recs[0].Hashes)
		}
	})
}

func checkBump(t *testing.T, first, bumped Record) {
	t.Helper()
	var tx types.Transaction
	if err := tx.UnmarshalBinary(bumped.Raw); err != nil {
		t.Fatal(err)
	}
	if tx.Nonce() != first.Nonce || tx.Hash() != bumped.Hashes[len(bumped.Hashes)-1] {
		t.Errorf("replacement nonce %d hash %s, want nonce %d and the last hash", tx.Nonce(), tx.Hash(), first.Nonce)
	}
	atLeast := func(name string, before, after *big.Int) {
		floor := new(big.Int).Mul(before, big.NewInt(9))
		floor.Div(floor, big.NewInt(8))
		if after.Cmp(floor) < 0 {
			t.Errorf("%s rose from %v to %v, less than 12.5%%", name, before, after)
		}
	}
	atLeast("tip", first.GasTipCap, tx.GasTipCap())
	atLeast("fee cap", first.GasFeeCap, tx.GasFeeCap())
}

func TestOutboxRevert(t *testing.T) {
	c := newTestChain(t, 2)
	c.startMiner(t)
	reverter := c.deploy(t, c.keys[1], reverterCode())
	o := newOutbox(t, t.TempDir(), c.client, c.keys[0], OutboxOptions{})
	for _, in := range []Intent{
		{Key: "estimated", To: reverter, Data: []byte{1}},
		{Key: "forced", To: reverter, Data: []byte{2}, GasLimit: 100_000},
		transfer("after", common.HexToAddress("0x6666"), 1),
	} {
		if _, err := o.Enqueue(in); err != nil {
			t.Fatal(err)
		}
	}
	goRun(t, o.Run)
	recs := waitAll(t, o, []string{"estimated", "forced", "after"})
	if r := recs[0]; r.State != Failed || len(r.Hashes) != 0 || string(r.RevertData) != "\xde\xad\xbe\xef" {
		t.Errorf("estimated: %s, hashes %v, revert data %x, err %q; want failed unsent with revert data deadbeef",
			r.State, r.Hashes, r.RevertData, r.Err)
	}
	if r := recs[1]; r.State != Mined || !r.Reverted || r.Nonce != 0 {
		t.Errorf("forced: %s reverted %v nonce %d, want mined reverted with nonce 0", r.State, r.Reverted, r.Nonce)
	}
	if r := recs[2]; r.State != Mined || r.Reverted || r.Nonce != 1 {
		t.Errorf("after: %s reverted %v nonce %d, want mined with nonce 1", r.State, r.Reverted, r.Nonce)
	}
	if n := accountNonce(t, c, o.From()); n != 2 {
		t.Errorf("account nonce %d, want 2: the failed estimate takes none", n)
	}
}

func TestOutboxReorg(t *testing.T) {
	c := newTestChain(t, 1)
	var mu sync.Mutex
	done := 0
	o := newOutbox(t, t.TempDir(), c.client, c.keys[0], OutboxOptions{OnDone: func(Record) {
		mu.Lock()
		done++
		mu.Unlock()
	}})
	if _, err := o.Enqueue(transfer("r", common.HexToAddress("0x7777"), 1)); err != nil {
		t.Fatal(err)
	}
	goRun(t, o.Run)
	eventually(t, "r to be sent", func() bool { rec, _, _ := o.Get("r"); return rec.State == Sent })
	// Sent is recorded before the node has it: mine only once its pool
	// holds r, or the block is empty and nothing mines r (seen under load).
	eventually(t, "r in the node's pool", c.pending)
	c.commitBlock()
	first := waitAll(t, o, []string{"r"})[0]
	hdr, err := c.client.HeaderByNumber(context.Background(), new(big.Int).SetUint64(first.BlockNumber-1))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.fork(hdr.Hash()); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the outbox to notice the reorg", func() bool {
		rec, _, _ := o.Get("r")
		return rec.State != Mined || rec.BlockHash != first.BlockHash
	})
	var again Record
	eventually(t, "r to be mined again", func() bool {
		c.commitBlock()
		again, _, _ = o.Get("r")
		return again.State == Mined && again.BlockHash != first.BlockHash
	})
	canon, err := c.client.HeaderByNumber(context.Background(), new(big.Int).SetUint64(again.BlockNumber))
	if err != nil || canon.Hash() != again.BlockHash {
		t.Errorf("mined again in %s, canonical is %v (%v)", again.BlockHash, canon.Hash(), err)
	}
	checkMinedOnce(t, c, []Record{again}, 0)
	eventually(t, "OnDone to be called for both minings", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return done == 2
	})
}

func TestOutboxWrongChain(t *testing.T) {
	c := newTestChain(t, 1)
	o, err := NewOutbox(openDB(t, t.TempDir()), c.client, c.keys[0], big.NewInt(1), OutboxOptions{Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := o.Run(ctx); !errors.Is(err, ErrWrongChain) {
		t.Errorf("run against chain 1337 signing for chain 1: %v, want ErrWrongChain", err)
	}
}
