package market_test

import (
	"errors"
	"math/big"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/core/types"

	"github.com/hearth-home/hearth/gateway"
	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/gateway/contracts"
	"github.com/hearth-home/hearth/gateway/market"
	"github.com/hearth-home/hearth/sandbox/sandboxtest"
)

// cancelingPool is the gateway as the market sees it, noting the jobs the
// market cancels before passing each cancel on to the gateway.
type cancelingPool struct {
	*gateway.Gateway
	mu       sync.Mutex
	canceled []string
}

func (p *cancelingPool) CancelJob(id string) error {
	p.mu.Lock()
	p.canceled = append(p.canceled, id)
	p.mu.Unlock()
	return p.Gateway.CancelJob(id)
}

func (p *cancelingPool) jobsCanceled() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.canceled)
}

// An order that its requester reclaims while its job runs has its job
// canceled in the gateway, ends reclaimed, and is never settled.
func TestReclaimStopsJob(t *testing.T) {
	var pool *cancelingPool
	r := newRigPool(t, market.Config{}, nil, func(g *gateway.Gateway) market.Pool {
		pool = &cancelingPool{Gateway: g}
		return pool
	})
	app, err := os.ReadFile(sandboxtest.WasmTestApp(t).Path)
	if err != nil {
		t.Fatal(err)
	}
	// Its one task sleeps until its timeout (a minute), well past the
	// order's deadline.
	id := r.post(order{price: 10, tasks: 1, app: app, args: []string{"sleep"}, deadline: 25 * time.Second})
	o := r.waitFor(id, "running", 30*time.Second, func(o api.MarketOrder) bool { return o.State != api.OrderSeen && o.State != api.OrderAccepting })
	if o.State != api.OrderRunning || o.Job == "" {
		t.Fatalf("order %d: %s (%s), want running", id, o.State, o.Reason)
	}

	r.reclaim(id, o.Deadline)
	o = r.wait(id, 30*time.Second)
	if o.State != api.OrderReclaimed {
		t.Fatalf("order %d after its reclaim: %s (%s), want reclaimed", id, o.State, o.Reason)
	}
	if got := pool.jobsCanceled(); !slices.Equal(got, []string{o.Job}) {
		t.Errorf("jobs canceled: %v, want the order's, %s", got, o.Job)
	}
	if c := r.onChain(id); c.Status != contracts.StatusReclaimed {
		t.Errorf("on chain: status %d, want reclaimed", c.Status)
	}
	if keys := r.settlementsOf(id); len(keys) != 0 {
		t.Errorf("settlements of the reclaimed order: %v, want none", keys)
	}
	// The market cancels before it stores the order reclaimed: the job is
	// canceled by now, its sleeping task with it, without a result.
	d, err := r.g.Job(o.Job)
	if err != nil {
		t.Fatal(err)
	}
	if d.State != api.JobCanceled || d.Counts != (api.TaskCounts{Canceled: 1}) ||
		d.Tasks[0].State != api.TaskCanceled || d.Tasks[0].Result != nil {
		t.Fatalf("job %s of the reclaimed order: %s %+v, task %+v; want canceled", o.Job, d.State, d.Counts, d.Tasks[0])
	}
	// A second cancel, as after a crash between the cancel and the write
	// of the order, finds the job ended.
	if err := r.g.CancelJob(o.Job); !errors.Is(err, gateway.ErrJobFinished) {
		t.Errorf("second cancel of job %s: %v, want ErrJobFinished", o.Job, err)
	}
}

// reclaim reclaims order id as its requester once the chain's clock is
// past its deadline.
func (r *rig) reclaim(id uint64, deadline time.Time) {
	r.t.Helper()
	time.Sleep(time.Until(deadline))
	var err error
	for start := time.Now(); time.Since(start) < 30*time.Second; time.Sleep(500 * time.Millisecond) {
		// A block now: estimates run on the latest block's time, and an
		// idle chain seals none.
		r.chain.Commit()
		var rc *types.Receipt
		if rc, err = r.send(r.req, r.abi.PackReclaim(new(big.Int).SetUint64(id)), nil); err == nil {
			if rc.Status != types.ReceiptStatusSuccessful {
				r.t.Fatalf("reclaim of order %d reverted", id)
			}
			return
		}
	}
	r.t.Fatalf("reclaim of order %d: %v", id, err)
}
