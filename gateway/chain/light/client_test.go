package light_test

import (
	"context"
	"errors"
	"math/big"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/hearth-home/hearth/gateway/chain"
	"github.com/hearth-home/hearth/gateway/chain/devchain"
	"github.com/hearth-home/hearth/gateway/chain/light"
	"github.com/hearth-home/hearth/hearthtest/fakebeacon"
	"github.com/hearth-home/hearth/store"
)

// rig is a dev chain, fake beacons that sign its blocks with generated
// sync committees, and a store.
type rig struct {
	chain   *devchain.Chain
	beacons []*fakebeacon.Beacon
	db      *store.DB
	network light.Network
}

func newRig(t *testing.T, beacons int) *rig {
	t.Helper()
	dc, err := devchain.Start(devchain.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { dc.Close() })
	r := &rig{chain: dc}
	for range beacons {
		fb, err := fakebeacon.New(fakebeacon.Options{Exec: dc.Client()})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(fb.Close)
		r.beacons = append(r.beacons, fb)
	}
	r.network = light.Network{Name: "sepolia", Beacon: r.beacons[0].Config(), ChainID: dc.ChainID().Uint64()}
	db, err := store.Open(filepath.Join(t.TempDir(), "gateway.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	r.db = db
	return r
}

func (r *rig) urls() []string {
	var out []string
	for _, b := range r.beacons {
		out = append(out, b.URL())
	}
	return out
}

// client is a light client of the rig's beacons, started from the
// checkpoint at the chain's current block unless the store holds one.
func (r *rig) client(t *testing.T, mod func(*light.Config)) *light.Client {
	t.Helper()
	head, err := r.chain.Client().BlockNumber(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	cp, err := r.beacons[0].Checkpoint(context.Background(), head)
	if err != nil {
		t.Fatal(err)
	}
	cfg := light.Config{Network: r.network, BeaconURLs: r.urls(), Checkpoint: cp, DB: r.db, Clock: r.beacons[0].Now}
	if mod != nil {
		mod(&cfg)
	}
	c, err := light.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (r *rig) hashAt(t *testing.T, n uint64) common.Hash {
	t.Helper()
	h, err := r.chain.Client().HeaderByNumber(context.Background(), new(big.Int).SetUint64(n))
	if err != nil {
		t.Fatal(err)
	}
	return h.Hash()
}

func syncOK(t *testing.T, c *light.Client) {
	t.Helper()
	if err := c.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// The client follows the chain's head as the beacon signs it, across a
// sync committee period change, and its finalized head lags by the
// beacon's finality.
func TestFollowsHead(t *testing.T) {
	r := newRig(t, 1)
	c := r.client(t, nil)
	if _, err := c.Latest(); !errors.Is(err, chain.ErrNoHead) {
		t.Fatalf("before any sync: %v, want ErrNoHead", err)
	}
	syncOK(t, c)
	fb := r.beacons[0]
	startPeriod := fb.BaseSlot() / 8192
	// 25 blocks: the beacon's default base slot puts a period change
	// after 20.
	for i := range 25 {
		r.chain.Commit()
		syncOK(t, c)
		n, _ := r.chain.Client().BlockNumber(context.Background())
		h, err := c.Latest()
		if err != nil {
			t.Fatalf("block %d: %v", n, err)
		}
		if h.Hash != r.hashAt(t, n) {
			t.Fatalf("block %d (round %d): verified head %s, the chain's is %s", n, i, h.Hash, r.hashAt(t, n))
		}
		if h.Slot != fb.BaseSlot()+n {
			t.Fatalf("block %d at slot %d, want %d", n, h.Slot, fb.BaseSlot()+n)
		}
	}
	h, _ := c.Latest()
	if h.Slot/8192 == startPeriod {
		t.Fatalf("no period change: still period %d at slot %d", startPeriod, h.Slot)
	}
	f, err := c.Finalized()
	if err != nil {
		t.Fatal(err)
	}
	n, _ := r.chain.Client().BlockNumber(context.Background())
	if f.Hash != r.hashAt(t, n-2) {
		t.Fatalf("finalized %s, want block %d's %s", f.Hash, n-2, r.hashAt(t, n-2))
	}
}

// A restarted client starts from the newest finalized epoch boundary it
// stored, not from the configured checkpoint.
func TestRestartsFromStoredCheckpoint(t *testing.T) {
	r := newRig(t, 1)
	c := r.client(t, nil)
	syncOK(t, c)
	first, _ := c.Checkpoint()
	for range 40 { // past an epoch boundary, finalized
		r.chain.Commit()
		syncOK(t, c)
	}
	root, slot := c.Checkpoint()
	if root == first || slot%32 != 0 {
		t.Fatalf("stored checkpoint %s at slot %d: want a newer epoch boundary than %s", root, slot, first)
	}
	// A configured checkpoint the beacon does not know: only the stored
	// one can start the new client.
	c2 := r.client(t, func(cfg *light.Config) { cfg.Checkpoint = common.HexToHash("0x1234") })
	start := time.Now()
	syncOK(t, c2)
	if got, _ := c2.Checkpoint(); got != root {
		t.Fatalf("restarted from %s, want the stored %s", got, root)
	}
	if _, err := c2.Latest(); err != nil {
		t.Fatal(err)
	}
	t.Logf("first verified head %s after a restart", time.Since(start))
}

// A checkpoint older than two weeks is refused with an error that says
// what to do; a younger limit refuses a younger one.
func TestOldCheckpointRefused(t *testing.T) {
	r := newRig(t, 1)
	c := r.client(t, nil)
	syncOK(t, c)
	r.beacons[0].Advance(15 * 24 * time.Hour)
	c2 := r.client(t, nil)
	err := c2.Sync(context.Background())
	if !errors.Is(err, chain.ErrCheckpointTooOld) {
		t.Fatalf("15-day-old checkpoint: %v, want ErrCheckpointTooOld", err)
	}
	if !strings.Contains(err.Error(), "--chain-checkpoint") {
		t.Fatalf("the error does not say how to give a new checkpoint: %v", err)
	}
	if _, err := c2.Latest(); !errors.Is(err, chain.ErrNoHead) {
		t.Fatalf("a refused checkpoint gave a head: %v", err)
	}
}

// With two beacons the highest valid head wins; a beacon that lies or
// stalls does not hold the client back or fool it.
func TestTwoBeacons(t *testing.T) {
	r := newRig(t, 2)
	c := r.client(t, nil)
	syncOK(t, c)
	r.beacons[1].Freeze(true)
	r.chain.Commit()
	r.chain.Commit()
	syncOK(t, c)
	n, _ := r.chain.Client().BlockNumber(context.Background())
	if h, err := c.Latest(); err != nil || h.Hash != r.hashAt(t, n) {
		t.Fatalf("with one beacon stalled: head %v, %v; want block %d", h, err, n)
	}
	r.beacons[0].Tamper(fakebeacon.WrongKeys)
	r.beacons[1].Freeze(false)
	r.chain.Commit()
	syncOK(t, c)
	n, _ = r.chain.Client().BlockNumber(context.Background())
	if h, err := c.Latest(); err != nil || h.Hash != r.hashAt(t, n) {
		t.Fatalf("with one beacon lying: head %v, %v; want block %d", h, err, n)
	}
}

// Without new signed headers the head goes stale; reads must stop.
func TestStale(t *testing.T) {
	r := newRig(t, 1)
	c := r.client(t, nil)
	syncOK(t, c)
	fb := r.beacons[0]
	fb.Freeze(true)
	for range 11 { // 132 s of slots go by, with no new signed head
		r.chain.Commit()
	}
	if err := c.Sync(context.Background()); err != nil {
		t.Fatalf("a frozen beacon's old head is still valid, only stale: %v", err)
	}
	h, err := c.Latest()
	if !errors.Is(err, chain.ErrStale) {
		t.Fatalf("132 s without a new head: %v, want ErrStale", err)
	}
	if h.Hash == (common.Hash{}) {
		t.Fatal("a stale head should still be returned with its error")
	}
	if _, err := c.Finalized(); !errors.Is(err, chain.ErrStale) {
		t.Fatalf("finalized: %v, want ErrStale", err)
	}
	fb.Freeze(false)
	r.chain.Commit()
	syncOK(t, c)
	if _, err := c.Latest(); err != nil {
		t.Fatalf("after the beacon resumed: %v", err)
	}
}

// Every lie of the beacon's is refused: the head stays where it was and
// the error is chain.ErrUnverified; the honest beacon works again after.
func TestBeaconTamper(t *testing.T) {
	rows := []struct {
		tamper fakebeacon.Tamper
		// bootstrap: the lie is in the bootstrap, so a new client fails
		// to start instead of an old one refusing a head.
		bootstrap bool
	}{
		{tamper: fakebeacon.FewSigners},
		{tamper: fakebeacon.WrongKeys},
		{tamper: fakebeacon.SwappedPayload},
		{tamper: fakebeacon.FutureSlot},
		{tamper: fakebeacon.ForeignCommittee},
		{tamper: fakebeacon.BadBootstrap, bootstrap: true},
		{tamper: fakebeacon.BadCommitteeBranch, bootstrap: true},
	}
	r := newRig(t, 1)
	fb := r.beacons[0]
	for _, row := range rows {
		t.Run(row.tamper.String(), func(t *testing.T) {
			if row.bootstrap {
				fb.Tamper(row.tamper)
				c := r.client(t, func(cfg *light.Config) { cfg.DB = freshDB(t) })
				err := c.Sync(context.Background())
				fb.Tamper(fakebeacon.None)
				if err == nil {
					t.Fatal("a lying bootstrap was accepted")
				}
				if _, err := c.Latest(); !errors.Is(err, chain.ErrNoHead) {
					t.Fatalf("a lying bootstrap gave a head: %v", err)
				}
				syncOK(t, c)
				return
			}
			c := r.client(t, func(cfg *light.Config) { cfg.DB = freshDB(t) })
			syncOK(t, c)
			before, _ := c.Latest()
			fb.Tamper(row.tamper)
			if row.tamper == fakebeacon.ForeignCommittee {
				// The lie is in the next period's committee: cross it.
				for range 25 {
					r.chain.Commit()
				}
			} else {
				r.chain.Commit()
			}
			err := c.Sync(context.Background())
			fb.Tamper(fakebeacon.None)
			if !errors.Is(err, chain.ErrUnverified) {
				t.Fatalf("sync: %v, want ErrUnverified", err)
			}
			// A foreign committee's update is refused while the heads of
			// the committee already known still verify.
			if after, _ := c.Latest(); after.Hash != before.Hash && row.tamper != fakebeacon.ForeignCommittee {
				t.Fatalf("the head moved to %s on a lie", after.Hash)
			}
			r.chain.Commit()
			syncOK(t, c)
			n, _ := r.chain.Client().BlockNumber(context.Background())
			if h, err := c.Latest(); err != nil || h.Hash != r.hashAt(t, n) {
				t.Fatalf("honest again: head %v, %v; want block %d", h, err, n)
			}
		})
	}
}

func freshDB(t *testing.T) *store.DB {
	db, err := store.Open(filepath.Join(t.TempDir(), "gateway.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// Run checks once per Interval while nobody asks, and soon after Refresh,
// then at the fresh pace, never faster than FreshInterval.
func TestRefreshPace(t *testing.T) {
	r := newRig(t, 1)
	fb := r.beacons[0]
	c := r.client(t, func(cfg *light.Config) {
		cfg.Interval, cfg.FreshInterval, cfg.FreshFor = time.Hour, 200*time.Millisecond, time.Hour
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- c.Run(ctx) }()
	defer func() {
		cancel()
		<-done
	}()
	waitFor := func(what string, ok func() bool) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for !ok() {
			if time.Now().After(deadline) {
				t.Fatalf("%s: not within 10 s", what)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	waitFor("the first sync", func() bool { _, err := c.Latest(); return err == nil })
	first := fb.Requests("optimistic_update")
	time.Sleep(500 * time.Millisecond)
	if n := fb.Requests("optimistic_update"); n != first {
		t.Fatalf("%d syncs within half a second of an hour's interval", n-first)
	}
	r.chain.Commit()
	c.Refresh()
	n, _ := r.chain.Client().BlockNumber(context.Background())
	waitFor("a sync after Refresh", func() bool { h, _ := c.Latest(); return h.Hash == r.hashAt(t, n) })
	// Refreshed, the pace is FreshInterval: about 5 syncs a second, not
	// one per Refresh.
	before := fb.Requests("optimistic_update")
	for range 50 {
		c.Refresh()
		time.Sleep(20 * time.Millisecond)
	}
	if got := fb.Requests("optimistic_update") - before; got < 2 || got > 8 {
		t.Fatalf("%d syncs in a second of Refresh calls, want about 5", got)
	}
}
