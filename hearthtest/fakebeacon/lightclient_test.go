package fakebeacon

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/beacon/light"
	"github.com/ethereum/go-ethereum/beacon/light/api"
	"github.com/ethereum/go-ethereum/beacon/params"
	btypes "github.com/ethereum/go-ethereum/beacon/types"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethdb/memorydb"
	"github.com/hearth-home/hearth/gateway/chain/devchain"
)

// lightClient is go-ethereum's light client as a program would drive it,
// pulling from the fake beacon.
type lightClient struct {
	b   *Beacon
	api *api.BeaconLightApi
	cc  *light.CommitteeChain
	ht  *light.HeadTracker
	// clock: refuse heads that begin after the beacon's Now (what a client
	// on a test clock must do, go-ethereum's enforceTime being off).
	clock bool
}

// newLightClient bootstraps a light client from checkpoint cp.
// enforceTime turns on go-ethereum's own (wall-clock) future check instead
// of the test-clock check.
func newLightClient(t *testing.T, b *Beacon, cp common.Hash, enforceTime bool) *lightClient {
	t.Helper()
	c := &lightClient{
		b:     b,
		api:   api.NewBeaconLightApi(b.URL(), nil),
		cc:    light.NewCommitteeChain(memorydb.New(), b.Config(), params.SyncCommitteeSupermajority, enforceTime),
		clock: !enforceTime,
	}
	c.ht = light.NewHeadTracker(c.cc, params.SyncCommitteeSupermajority, nil)
	boot, err := c.api.GetCheckpointData(cp)
	if err != nil {
		t.Fatalf("bootstrap %x: %v", cp, err)
	}
	if err := c.cc.CheckpointInit(*boot); err != nil {
		t.Fatalf("CheckpointInit: %v", err)
	}
	return c
}

// syncCommittees inserts the committee updates from the chain's next
// period up to the period of the beacon's clock.
func (c *lightClient) syncCommittees() error {
	now := period(wallSlot(c.b.Config(), c.b.Now()))
	for {
		next, ok := c.cc.NextSyncPeriod()
		if !ok || next > now {
			return nil
		}
		if err := c.insertUpdate(next); err != nil {
			return err
		}
		if after, _ := c.cc.NextSyncPeriod(); after == next {
			return nil
		}
	}
}

func (c *lightClient) insertUpdate(p uint64) error {
	ups, coms, err := c.api.GetBestUpdatesAndCommittees(p, 1)
	if err != nil {
		return fmt.Errorf("updates of period %d: %w", p, err)
	}
	return c.cc.InsertUpdate(ups[0], coms[0])
}

func (c *lightClient) notFuture(slot uint64) error {
	if start, now := c.b.SlotTime(slot), c.b.Now(); c.clock && start.After(now.Add(time.Second)) {
		return fmt.Errorf("head at slot %d begins at %s, after now (%s)", slot, start, now)
	}
	return nil
}

func (c *lightClient) optimistic() (btypes.OptimisticUpdate, bool, error) {
	u, err := c.api.GetOptimisticUpdate()
	if err != nil {
		return u, false, err
	}
	if err := c.notFuture(u.Attested.Slot); err != nil {
		return u, false, err
	}
	ok, err := c.ht.ValidateOptimistic(u)
	return u, ok, err
}

func (c *lightClient) finality() (btypes.FinalityUpdate, bool, error) {
	u, err := c.api.GetFinalityUpdate()
	if err != nil {
		return u, false, err
	}
	if err := c.notFuture(u.Attested.Slot); err != nil {
		return u, false, err
	}
	ok, err := c.ht.ValidateFinality(u)
	return u, ok, err
}

// sync is one tick: committees, then the optimistic and finality updates,
// which must both be accepted.
func (c *lightClient) sync(t *testing.T) {
	t.Helper()
	if err := c.syncCommittees(); err != nil {
		t.Fatalf("committee updates: %v", err)
	}
	if _, ok, err := c.optimistic(); !ok || err != nil {
		t.Fatalf("optimistic update: replaced %v, %v", ok, err)
	}
	if _, ok, err := c.finality(); !ok || err != nil {
		t.Fatalf("finality update: replaced %v, %v", ok, err)
	}
}

// heads are the validated optimistic and finalized beacon headers.
func (c *lightClient) heads() (btypes.Header, btypes.Header) {
	o, _ := c.ht.ValidatedOptimistic()
	f, _ := c.ht.ValidatedFinality()
	return o.Attested.Header, f.Finalized.Header
}

type harness struct {
	t     *testing.T
	ctx   context.Context
	chain *devchain.Chain
	b     *Beacon
}

func (h *harness) headNumber() uint64 {
	h.t.Helper()
	hdr, err := h.chain.Client().HeaderByNumber(h.ctx, nil)
	if err != nil {
		h.t.Fatal(err)
	}
	return hdr.Number.Uint64()
}

func (h *harness) commitTo(n uint64) {
	h.t.Helper()
	for h.headNumber() < n {
		if h.chain.Commit() == (common.Hash{}) {
			h.t.Fatal("devchain did not seal")
		}
	}
}

func (h *harness) commit() uint64 {
	h.t.Helper()
	h.commitTo(h.headNumber() + 1)
	return h.headNumber()
}

func (h *harness) execHash(n uint64) common.Hash {
	h.t.Helper()
	hdr, err := h.chain.Client().HeaderByNumber(h.ctx, bigU(n))
	if err != nil {
		h.t.Fatal(err)
	}
	return hdr.Hash()
}

// checkHead asserts that c verified the devchain's block n as its
// optimistic head and block n-FinalityLag as finalized.
func (h *harness) checkHead(c *lightClient, n uint64) {
	h.t.Helper()
	o, ok := c.ht.ValidatedOptimistic()
	if !ok || o.Attested.Slot != h.b.BaseSlot()+n || o.Attested.PayloadHeader.BlockHash() != h.execHash(n) {
		h.t.Fatalf("verified head: slot %d hash %x; want block %d at slot %d hash %x",
			o.Attested.Slot, o.Attested.PayloadHeader.BlockHash(), n, h.b.BaseSlot()+n, h.execHash(n))
	}
	f, ok := c.ht.ValidatedFinality()
	if !ok || f.Finalized.PayloadHeader.BlockHash() != h.execHash(n-2) || f.Attested.PayloadHeader.BlockHash() != h.execHash(n) {
		h.t.Fatalf("verified finality: attested %x finalized %x; want %x and block %d's %x",
			f.Attested.PayloadHeader.BlockHash(), f.Finalized.PayloadHeader.BlockHash(), h.execHash(n), n-2, h.execHash(n-2))
	}
}

func wantErr(t *testing.T, what string, err error, substr string) {
	t.Helper()
	if err == nil || !strings.Contains(err.Error(), substr) {
		t.Fatalf("%s: error %v, want one containing %q", what, err, substr)
	}
}

func TestLightClientFollowsDevchain(t *testing.T) {
	start := time.Now()
	chain, err := devchain.Start(devchain.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { chain.Close() })
	b, err := New(Options{Exec: chain.Client()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Close)
	h := &harness{t: t, ctx: context.Background(), chain: chain, b: b}

	// Default BaseSlot: 20 blocks before a sync period begins.
	p := period(b.BaseSlot())
	if crossing := btypes.SyncPeriodStart(p + 1); crossing != b.BaseSlot()+20 {
		t.Fatalf("BaseSlot %d: period %d begins at block %d, want 20", b.BaseSlot(), p+1, crossing-b.BaseSlot())
	}

	h.commitTo(4)
	cp, err := b.Checkpoint(h.ctx, 3)
	if err != nil {
		t.Fatal(err)
	}
	lc := newLightClient(t, b, cp, false)
	lc.sync(t)
	h.checkHead(lc, 4)
	if got := b.Requests("updates"); got != 1 {
		t.Fatalf("%d updates requests, want 1", got)
	}
	hdr, _, _, err := lc.api.GetHeader(common.Hash{})
	if err != nil || hdr.Slot != b.BaseSlot()+4 {
		t.Fatalf("GetHeader(head) = slot %d, %v", hdr.Slot, err)
	}
	if hdr, _, _, err := lc.api.GetHeader(cp); err != nil || hdr.Hash() != cp {
		t.Fatalf("GetHeader(checkpoint) = %x, %v", hdr.Hash(), err)
	}

	// The last block before the period change is signed at the next slot,
	// by the next committee.
	h.commitTo(19)
	lc.sync(t)
	h.checkHead(lc, 19)
	if o, _ := lc.ht.ValidatedOptimistic(); period(o.Attested.Slot) != p || period(o.SignatureSlot) != p+1 {
		t.Fatalf("block 19: slot %d signed at %d, want periods %d and %d", o.Attested.Slot, o.SignatureSlot, p, p+1)
	}

	// Across the period change.
	h.commitTo(24)
	lc.sync(t)
	h.checkHead(lc, 24)
	if next, _ := lc.cc.NextSyncPeriod(); next != p+2 {
		t.Fatalf("after crossing, next sync period %d, want %d", next, p+2)
	}

	// A client bootstrapped in the old period after the change needs its
	// update, attested by block 18 and signed at block 19's slot.
	late := newLightClient(t, b, cp, false)
	if _, _, err := late.optimistic(); err == nil {
		t.Fatal("a client without period p's update verified a head of period p+1")
	}
	late.sync(t)
	h.checkHead(late, 24)
	ups, _, err := late.api.GetBestUpdatesAndCommittees(p, 1)
	if err != nil {
		t.Fatal(err)
	}
	if u := ups[0]; u.AttestedHeader.Header.Slot != b.BaseSlot()+18 || u.AttestedHeader.SignatureSlot != b.BaseSlot()+19 || u.FinalizedHeader == nil {
		t.Fatalf("update of period %d: attested slot %d signed at %d (finalized %v); want blocks 18 and 19", p, u.AttestedHeader.Header.Slot, u.AttestedHeader.SignatureSlot, u.FinalizedHeader != nil)
	}
	if _, _, err := late.api.GetBestUpdatesAndCommittees(p+2, 1); !errors.Is(err, api.ErrNotFound) {
		t.Fatalf("update of a future period: %v, want 404", err)
	}

	t.Run("Tamper", func(t *testing.T) { testTampers(t, h, lc, cp, p) })
	t.Run("Clock", func(t *testing.T) { testClock(t, h, lc) })
	t.Run("Bytes", func(t *testing.T) { testBytes(t, h) })
	t.Logf("whole test: %v", time.Since(start))
}

func testTampers(t *testing.T, h *harness, lc *lightClient, cp common.Hash, p uint64) {
	b := h.b
	defer b.Tamper(None)
	// unchanged asserts that lc's verified heads did not move, then that
	// the truth is accepted again.
	unchanged := func(t *testing.T, optimistic, finalized btypes.Header) {
		t.Helper()
		o, f := lc.heads()
		if o != optimistic || f != finalized {
			t.Fatalf("verified heads moved to slots %d/%d from %d/%d", o.Slot, f.Slot, optimistic.Slot, finalized.Slot)
		}
		b.Tamper(None)
		lc.sync(t)
		h.checkHead(lc, h.headNumber())
	}
	// heads under a lie: on a new block, optimistic and finality updates
	// must both fail with substr.
	headsRejected := func(t *testing.T, substr string) {
		t.Helper()
		o, f := lc.heads()
		h.commit()
		_, ok, err := lc.optimistic()
		wantErr(t, "optimistic update", err, substr)
		if ok {
			t.Fatal("optimistic update replaced the head")
		}
		_, ok, err = lc.finality()
		wantErr(t, "finality update", err, substr)
		if ok {
			t.Fatal("finality update replaced the head")
		}
		unchanged(t, o, f)
	}
	// updateRejected: a client fresh from the checkpoint (period p) must
	// refuse period p's update with want.
	updateRejected := func(t *testing.T, want error) {
		t.Helper()
		fresh := newLightClient(t, b, cp, false)
		if err := fresh.insertUpdate(p); !errors.Is(err, want) {
			t.Fatalf("update of period %d: %v, want %v", p, err, want)
		}
		if next, _ := fresh.cc.NextSyncPeriod(); next != p {
			t.Fatalf("after a refused update, next sync period %d, want %d", next, p)
		}
		b.Tamper(None)
		if err := fresh.insertUpdate(p); err != nil {
			t.Fatalf("true update after the lie: %v", err)
		}
	}

	t.Run("FewSigners", func(t *testing.T) {
		b.Tamper(FewSigners)
		u, err := lc.api.GetOptimisticUpdate()
		if err != nil || u.Signature.SignerCount() != FewSignerCount {
			t.Fatalf("optimistic update with %d signers, %v", u.Signature.SignerCount(), err)
		}
		headsRejected(t, "low signer count")
		b.Tamper(FewSigners)
		updateRejected(t, light.ErrInvalidUpdate)
	})
	t.Run("WrongKeys", func(t *testing.T) {
		b.Tamper(WrongKeys)
		headsRejected(t, "invalid header signature")
		b.Tamper(WrongKeys)
		updateRejected(t, light.ErrInvalidUpdate)
	})
	t.Run("SwappedPayload", func(t *testing.T) {
		b.Tamper(SwappedPayload)
		n := h.commit()
		u, err := lc.api.GetOptimisticUpdate()
		if err != nil || u.Attested.PayloadHeader.BlockHash() != h.execHash(n-1) || u.Attested.Slot != b.BaseSlot()+n {
			t.Fatalf("swapped update: slot %d payload %x, %v; want block %d's header with block %d's payload", u.Attested.Slot, u.Attested.PayloadHeader.BlockHash(), err, n, n-1)
		}
		headsRejected(t, "root mismatch")
	})
	t.Run("FutureSlot", func(t *testing.T) {
		b.Tamper(FutureSlot)
		u, err := lc.api.GetOptimisticUpdate()
		if err != nil {
			t.Fatal(err)
		}
		if start := b.SlotTime(u.Attested.Slot); !start.After(b.Now().Add(time.Hour/2)) || !start.After(time.Now()) {
			t.Fatalf("future head at %s; Now %s, wall clock %s", start, b.Now(), time.Now())
		}
		if u.Attested.PayloadHeader.BlockHash() != h.execHash(h.headNumber()) {
			t.Fatal("future head does not carry the newest block")
		}
		// Properly signed: go-ethereum's BLS check passes where the client
		// knows the committee (it knows p..p+2 here).
		if sp := period(u.SignatureSlot); sp <= p+2 {
			if ok, _, err := lc.cc.VerifySignedHeader(u.SignedHeader()); !ok || err != nil {
				t.Fatalf("future head's signature: %v, %v", ok, err)
			}
		} else {
			t.Logf("future head signed in period %d, beyond the client's committees", sp)
		}
		// go-ethereum's own check, on the wall clock.
		timed := newLightClient(t, b, cp, true)
		if ok, err := timed.ht.ValidateOptimistic(u); ok || err == nil || !strings.Contains(err.Error(), "invalid header signature") {
			t.Fatalf("time-enforcing client: replaced %v, %v; want invalid header signature", ok, err)
		}
		fu, err := lc.api.GetFinalityUpdate()
		if err != nil {
			t.Fatal(err)
		}
		if ok, err := timed.ht.ValidateFinality(fu); ok || err == nil {
			t.Fatalf("time-enforcing client, finality: replaced %v, %v", ok, err)
		}
		// A client on the beacon's clock.
		headsRejected(t, "after now")
	})
	t.Run("ForeignCommittee", func(t *testing.T) {
		fresh := newLightClient(t, b, cp, false)
		b.Tamper(ForeignCommittee)
		ups, coms, err := fresh.api.GetBestUpdatesAndCommittees(p, 1)
		if err != nil {
			t.Fatalf("foreign update does not decode (it must be self-consistent): %v", err)
		}
		// The checkpoint fixed committee p+1's root (its branch's first node).
		if err := fresh.cc.InsertUpdate(ups[0], coms[0]); !errors.Is(err, light.ErrCannotReorg) {
			t.Fatalf("foreign update of the checkpoint's period: %v, want %v", err, light.ErrCannotReorg)
		}
		// Without committee p+1, heads of period p+1 are refused.
		if _, ok, err := fresh.optimistic(); ok || err == nil || !strings.Contains(err.Error(), "missing serialized sync committee") {
			t.Fatalf("head after a refused update: replaced %v, %v", ok, err)
		}
		b.Tamper(None)
		if err := fresh.insertUpdate(p); err != nil {
			t.Fatal(err)
		}
		// Next period: nothing fixes committee p+2; the signature decides.
		b.Tamper(ForeignCommittee)
		if err := fresh.insertUpdate(p + 1); !errors.Is(err, light.ErrInvalidUpdate) {
			t.Fatalf("foreign update of period %d: %v, want %v", p+1, err, light.ErrInvalidUpdate)
		}
		if err := fresh.insertUpdate(p); !errors.Is(err, light.ErrCannotReorg) {
			t.Fatalf("foreign update over a true one: %v, want %v", err, light.ErrCannotReorg)
		}
		if next, _ := fresh.cc.NextSyncPeriod(); next != p+1 {
			t.Fatalf("next sync period %d, want %d", next, p+1)
		}
		// The lie is in committee updates only: heads still verify.
		h.commit()
		lc.sync(t)
		h.checkHead(lc, h.headNumber())
		b.Tamper(None)
		if err := fresh.insertUpdate(p + 1); err != nil {
			t.Fatalf("true update of period %d after the lie: %v", p+1, err)
		}
	})
	t.Run("BadBootstrap", func(t *testing.T) {
		b.Tamper(BadBootstrap)
		_, err := lc.api.GetCheckpointData(cp)
		wantErr(t, "bootstrap", err, "invalid checkpoint block header")
		b.Tamper(None)
		newLightClient(t, b, cp, false)
	})
	t.Run("BadCommitteeBranch", func(t *testing.T) {
		b.Tamper(BadCommitteeBranch)
		_, err := lc.api.GetCheckpointData(cp)
		wantErr(t, "bootstrap", err, "invalid checkpoint")
		wantErr(t, "bootstrap", err, "root mismatch")
		b.Tamper(None)
		newLightClient(t, b, cp, false)
	})
}

func testClock(t *testing.T, h *harness, lc *lightClient) {
	b := h.b
	n := h.headNumber()
	if got, want := b.Now(), b.SlotTime(b.BaseSlot()+n).Add(4*time.Second); !got.Equal(want) {
		t.Fatalf("Now = %s, want %s (block %d's slot + 4 s)", got, want, n)
	}
	h.commit()
	if got, want := b.Now(), b.SlotTime(b.BaseSlot()+n+1).Add(4*time.Second); !got.Equal(want) {
		t.Fatalf("after a block, Now = %s, want %s", got, want)
	}
	b.Advance(30 * time.Second)
	if got, want := b.Now(), b.SlotTime(b.BaseSlot()+n+1).Add(34*time.Second); !got.Equal(want) {
		t.Fatalf("after Advance(30s), Now = %s, want %s", got, want)
	}

	// A frozen beacon keeps serving its head while the clock moves on.
	lc.sync(t)
	o, f := lc.heads()
	b.Freeze(true)
	h.commit()
	h.commit()
	u, ok, err := lc.optimistic()
	if err != nil || ok || u.Attested.Slot != o.Slot {
		t.Fatalf("frozen beacon served slot %d (replaced %v, %v), want the old head %d", u.Attested.Slot, ok, err, o.Slot)
	}
	if age := b.Now().Sub(b.SlotTime(o.Slot)); age != 2*12*time.Second+34*time.Second {
		t.Fatalf("frozen head's age %s, want 58s", age)
	}
	if o2, f2 := lc.heads(); o2 != o || f2 != f {
		t.Fatal("heads moved while frozen")
	}
	b.Freeze(false)
	lc.sync(t)
	h.checkHead(lc, h.headNumber())
}

func testBytes(t *testing.T, h *harness) {
	b := h.b
	before, reqs := b.Bytes(), b.Requests("optimistic_update")
	resp, err := http.Get(b.URL() + "/eth/v1/beacon/light_client/optimistic_update")
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET optimistic_update: %d, %v", resp.StatusCode, err)
	}
	if got := b.Bytes() - before; got != int64(len(body)) {
		t.Fatalf("Bytes grew by %d for a %d-byte body", got, len(body))
	}
	if got := b.Requests("optimistic_update") - reqs; got != 1 {
		t.Fatalf("Requests(optimistic_update) grew by %d", got)
	}
	if !strings.HasPrefix(string(body), `{"version":"electra","data":{"attested_header":{"beacon":{"slot":"`) {
		t.Fatalf("optimistic update JSON: %.120s", body)
	}
	t.Logf("optimistic update: %d bytes; all responses so far: %d bytes in %d requests", len(body), b.Bytes(), b.Requests(""))
}

func bigU(n uint64) *big.Int { return new(big.Int).SetUint64(n) }
