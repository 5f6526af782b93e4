package market_test

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/gateway/chain"
	"github.com/hearth-home/hearth/gateway/contracts"
	"github.com/hearth-home/hearth/gateway/market"
)

// refusing is a chain backend whose gas estimates revert for any
// settlement that includes one order, as the contract's would for an order
// it will not settle.
type refusing struct {
	chain.Backend
	order atomic.Uint64 // 0: none
}

func (f *refusing) EstimateGas(ctx context.Context, msg ethereum.CallMsg) (uint64, error) {
	if id := f.order.Load(); id != 0 && slices.Contains(settledIDs(msg.Data), id) {
		return 0, fmt.Errorf("execution reverted: test: the contract refuses to settle order %d", id)
	}
	return f.Backend.EstimateGas(ctx, msg)
}

// settledIDs are the orders a call settles; none when it is no settle call.
func settledIDs(data []byte) []uint64 {
	m := contracts.NewHearthMarket().GetABI().Methods["settle"]
	if len(data) < 4 || !bytes.Equal(data[:4], m.ID) {
		return nil
	}
	args, err := m.Inputs.Unpack(data[4:])
	if err != nil || len(args) != 1 {
		return nil
	}
	items := *abi.ConvertType(args[0], new([]contracts.HearthMarketSettlement)).(*[]contracts.HearthMarketSettlement)
	ids := make([]uint64, len(items))
	for i, s := range items {
		ids[i] = s.Id.Uint64()
	}
	return ids
}

// settlementsOf lists the outbox records that settle order id, oldest
// first.
func (r *rig) settlementsOf(id uint64) []chain.Record {
	r.t.Helper()
	recs, err := r.m.Outbox().List()
	if err != nil {
		r.t.Fatal(err)
	}
	var out []chain.Record
	for _, rec := range recs {
		if slices.Contains(settledIDs(rec.Data), id) {
			out = append(out, rec)
		}
	}
	slices.SortFunc(out, func(a, b chain.Record) int { return int(a.Seq) - int(b.Seq) })
	return out
}

// A settlement that the contract keeps refusing is tried again, alone and
// after a wait that doubles, and given up after five attempts: the order
// ends failed, unsettled, and is not tried again. The other order of its
// first batch is settled on its own retry.
func TestSettlementRetriesAreBounded(t *testing.T) {
	var f *refusing
	const backoff = 200 * time.Millisecond
	r := newRig(t, market.Config{SettleBatch: 2, SettleAge: time.Minute, SettleBackoff: backoff},
		func(b chain.Backend) chain.Backend { f = &refusing{Backend: b}; return f })
	bad := r.post(order{price: 10, tasks: 1})
	f.order.Store(bad)
	good := r.post(order{price: 10, tasks: 1})

	if o := r.wait(good, 60*time.Second); o.State != api.OrderSettled {
		t.Fatalf("order %d, batched with the refused one: %s (%s), want settled", good, o.State, o.Reason)
	}
	if c := r.onChain(good); c.Status != contracts.StatusSettled || c.TasksDone.Int64() != 1 {
		t.Errorf("order %d on chain: status %d, %d tasks done; want settled, 1", good, c.Status, c.TasksDone.Int64())
	}
	o := r.waitFor(bad, "failed", 60*time.Second, func(o api.MarketOrder) bool { return o.State != api.OrderRunning && o.State != api.OrderSettling })
	if o.State != api.OrderFailed || !strings.Contains(o.Reason, "settlement failed 5 times, the provider gave up") ||
		!strings.Contains(o.Reason, "refuses to settle order") {
		t.Fatalf("order %d: %s (%s); want failed, saying why", bad, o.State, o.Reason)
	}

	recs := r.settlementsOf(bad)
	if len(recs) != 5 {
		t.Fatalf("order %d was in %d settlements, want 5", bad, len(recs))
	}
	for i, rec := range recs {
		if rec.State != chain.Failed {
			t.Errorf("settlement %d (%s): %s, want failed", i, rec.Key, rec.State)
		}
		ids := settledIDs(rec.Data)
		if i == 0 && !slices.Equal(ids, []uint64{bad, good}) || i > 0 && !slices.Equal(ids, []uint64{bad}) {
			t.Errorf("settlement %d (%s) settles %v", i, rec.Key, ids)
		}
		if i == 0 {
			continue
		}
		if gap, want := rec.EnqueuedAt.Sub(recs[i-1].EnqueuedAt), backoff<<(i-1); gap < want {
			t.Errorf("settlement %d sent %s after the one before, want at least %s", i, gap, want)
		}
	}

	// Given up is final: with the contract willing again, nothing is sent.
	f.order.Store(0)
	time.Sleep(2 * time.Second)
	if n := len(r.settlementsOf(bad)); n != 5 {
		t.Errorf("order %d: %d settlements after it was given up, want still 5", bad, n)
	}
	if o, _ := r.m.Order(bad); o.State != api.OrderFailed {
		t.Errorf("order %d: %s after it was given up, want still failed", bad, o.State)
	}
	if c := r.onChain(bad); c.Status != contracts.StatusAccepted {
		t.Errorf("order %d on chain: status %d, want still accepted (its requester reclaims it)", bad, c.Status)
	}
}
