package gateway

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/hearth-home/hearth/gateway/api"
)

// A new task wakes one of the devices waiting for work, not all of them;
// and when the woken one cannot take it (too little memory), the wake
// passes on until the one device that can is woken, long before its
// request's wait ends.
func TestLeaseWakesOneDevicePerTask(t *testing.T) {
	tg := startGateway(t, t.TempDir(), Config{})
	const small = 20
	var nodes []*testNode
	for range small + 1 {
		n := newNode(t, tg.Gateway)
		n.hello(t, tg.JoinToken().String())
		nodes = append(nodes, n)
	}
	got := make([][]api.Lease, len(nodes))
	var wg sync.WaitGroup
	ask := func(i int, mem int64) {
		defer wg.Done()
		ls, err := nodes[i].c.Lease(context.Background(), api.LeaseRequest{Runtimes: []string{"wasm"}, Max: 1, FreeCPU: 1,
			FreeMemory: mem, Wait: api.Duration(5 * time.Second)})
		if err != nil {
			t.Error(err)
		}
		got[i] = ls
	}
	parked := func(n int) func() bool {
		return func() bool {
			tg.mu.Lock()
			defer tg.mu.Unlock()
			return len(tg.waiting) == n && len(tg.parked.tried) == n
		}
	}
	// The small devices wait longest, so they are woken first.
	wg.Add(small)
	for i := range small {
		go ask(i, 32<<20)
	}
	waitFor(t, "the small devices parked", parked(small))
	wg.Add(1)
	go ask(small, 1<<30)
	waitFor(t, "every device parked", parked(small+1))

	// A default task (64 MiB) fits none of the small devices: the wake
	// passes through them to the big one.
	start := time.Now()
	submit(t, tg, 1, 0)
	waitFor(t, "the task leased", func() bool { return got[small] != nil })
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("the only device that fits got the task after %v; want it well before its 5 s wait ends", took)
	}
	tg.mu.Lock()
	woken := tg.parked.woken
	tg.mu.Unlock()
	if woken != small+1 {
		t.Errorf("%d wake-ups for a task that %d devices could not take; want each woken once, %d", woken, small, small+1)
	}

	// A task that fits them all wakes one of the small ones only.
	waitFor(t, "the small devices parked again", parked(small))
	before := woken
	j, err := tg.admin.SubmitJob(context.Background(), api.JobSpec{Name: "small", Runtime: "wasm", AppDigest: string(putDummyApp(t, tg)),
		Tasks: 1, Resources: api.Resources{Memory: 16 << 20}})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the small task leased", func() bool {
		d, err := tg.admin.Job(context.Background(), j.ID)
		return err == nil && d.Counts.Leased == 1
	})
	waitFor(t, "its device's request ended", func() bool {
		tg.mu.Lock()
		defer tg.mu.Unlock()
		return len(tg.waiting) == small-1
	})
	tg.mu.Lock()
	woken = tg.parked.woken - before
	tg.mu.Unlock()
	if woken != 1 {
		t.Errorf("one task that any device could take woke %d requests; want 1", woken)
	}
	wg.Wait()
	leased := 0
	for _, ls := range got {
		leased += len(ls)
	}
	if leased != 2 {
		t.Errorf("%d leases for 2 tasks", leased)
	}
}
