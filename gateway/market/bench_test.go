package market_test

import (
	"fmt"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/gateway/market"
)

// TestMarketBench measures, on the dev chain with a real gateway and agent,
// how many blocks pass from an order's event to its acceptance (goal: at
// most 2) and what settling cost per task in the gateway's own batches. It
// prints BENCH lines; `make bench` runs it (HEARTH_MARKET_BENCH=1).
func TestMarketBench(t *testing.T) {
	if os.Getenv("HEARTH_MARKET_BENCH") == "" {
		t.Skip("a benchmark: HEARTH_MARKET_BENCH=1 (make bench) runs it")
	}
	const orders = 10
	r := newRig(t, market.Config{SettleBatch: orders, SettleAge: time.Minute}, nil)
	var blocks []float64
	ids := make([]uint64, orders)
	for i := range ids {
		ids[i] = r.post(order{price: 1000, tasks: 2})
		// Each order on its own: the figure is the watcher's and the
		// outbox's latency, not a batch's.
		deadline := time.Now().Add(30 * time.Second)
		for {
			o, err := r.m.Order(ids[i])
			if err == nil && o.AcceptedBlock > 0 {
				blocks = append(blocks, float64(o.AcceptedBlock-o.PostedBlock))
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("order %d not accepted within 30 s: %+v", ids[i], o)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	var settleTx string
	var settledGas float64
	for _, id := range ids {
		o := r.wait(id, 2*time.Minute)
		if o.State != api.OrderSettled {
			t.Fatalf("order %d: %s (%s)", id, o.State, o.Reason)
		}
		if settleTx == "" {
			settleTx = o.SettleTx
		} else if o.SettleTx != settleTx {
			t.Errorf("order %d settled in %s, order %d in %s: want one batch", id, o.SettleTx, ids[0], settleTx)
		}
	}
	recs, err := r.m.Outbox().List()
	if err != nil {
		t.Fatal(err)
	}
	for _, rec := range recs {
		if rec.TxHash.Hex() == settleTx {
			settledGas = float64(rec.GasUsed)
		}
	}
	slices.Sort(blocks)
	fmt.Printf("BENCH market.blocks_to_accept_median %.1f blocks\n", blocks[len(blocks)/2])
	fmt.Printf("BENCH market.blocks_to_accept_max %.1f blocks\n", blocks[len(blocks)-1])
	fmt.Printf("BENCH market.gateway_settle_gas_per_task_%dx2 %.1f gas\n", orders, settledGas/float64(orders*2))
	if blocks[len(blocks)-1] > 2 {
		t.Errorf("an order waited %.0f blocks for its acceptance: goal at most 2", blocks[len(blocks)-1])
	}
}
