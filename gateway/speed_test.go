package gateway

import (
	"context"
	"testing"
	"time"

	"github.com/hearth-home/hearth/gateway/api"
)

// speedNode is a paired wasm device with slots that reports a wasm speed
// (none when ops is 0).
func speedNode(t *testing.T, tg *testGateway, slots int, ops float64) *testNode {
	t.Helper()
	n := newNode(t, tg.Gateway)
	_, err := n.c.Hello(context.Background(), api.HelloRequest{JoinToken: tg.JoinToken().String(),
		Node: api.NodeInfo{Name: n.id.ID.Short(), Runtimes: []string{"wasm"}, Slots: slots}})
	if err != nil {
		t.Fatal(err)
	}
	hb := api.Heartbeat{}
	if ops > 0 {
		hb.Speed = &api.Speed{WasmOps: ops, NativeOps: 3 * ops}
	}
	n.beat(t, hb)
	return n
}

// take asks for up to max leases, waiting at most wait for them.
func (n *testNode) take(t *testing.T, max int, wait time.Duration) []api.Lease {
	t.Helper()
	ls, err := n.c.Lease(context.Background(), api.LeaseRequest{Runtimes: []string{"wasm"}, Max: max, Wait: api.Duration(wait)})
	if err != nil {
		t.Fatalf("lease: %v", err)
	}
	return ls
}

func submitTasks(t *testing.T, tg *testGateway, n int) string {
	t.Helper()
	return submit(t, tg, n, 3).ID
}

// A device a hundred times slower gets no task while a fast one would
// finish the whole queue first, before and after the job's work is known;
// with --placement=fifo it takes one at once. The pool's members show the
// speeds.
func TestSpeedHoldsBackSlowDevice(t *testing.T) {
	for _, placement := range []string{PlacementSpeed, PlacementFIFO} {
		t.Run(placement, func(t *testing.T) {
			tg := startGateway(t, t.TempDir(), Config{Placement: placement})
			fast, slow := speedNode(t, tg, 1, 100e6), speedNode(t, tg, 1, 1e6)
			submitTasks(t, tg, 4)
			first := fast.take(t, 1, time.Second)
			if len(first) != 1 {
				t.Fatalf("the fast device got %d leases, want 1", len(first))
			}
			got := slow.take(t, 1, 300*time.Millisecond)
			if placement == PlacementFIFO {
				if len(got) != 1 {
					t.Fatalf("fifo: the slow device got %d leases, want 1", len(got))
				}
				return
			}
			if len(got) != 0 {
				t.Fatalf("the slow device got %d leases while the fast one would finish all first", len(got))
			}
			// The fast device's result makes the work known: 1 s there.
			r := fast.result(t, first[0], "", "")
			r.WallMilli = 1000
			r.Digest = api.ResultDigest(&r)
			fast.report(t, r)
			if got := slow.take(t, 1, 300*time.Millisecond); len(got) != 0 {
				t.Fatalf("the slow device got %d leases once the work was known", len(got))
			}
			ms, err := tg.admin.Members(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range ms {
				if m.Speed == nil || m.Speed.WasmOps != 100e6 && m.Speed.WasmOps != 1e6 {
					t.Errorf("member %s speed %+v, want the reported one", m.Node.Name, m.Speed)
				}
			}
		})
	}
}

// A slower device takes what the faster one would not finish before it
// finished a task, and no more: with a fast device four times faster and
// five tasks queued, the fast one finishes two of them (after its running
// one) in the time the slow one takes for one, so the slow one gets three;
// a second slow device then gets none, as the fast one finishes the last
// two first.
func TestSpeedShareOfDeepQueue(t *testing.T) {
	tg := startGateway(t, t.TempDir(), Config{})
	fast, slow, slow2 := speedNode(t, tg, 1, 4e6), speedNode(t, tg, 1, 1e6), speedNode(t, tg, 1, 1e6)
	submitTasks(t, tg, 6)
	if got := fast.take(t, 1, time.Second); len(got) != 1 {
		t.Fatalf("fast: %d leases, want 1", len(got))
	}
	if got := slow.take(t, 8, time.Second); len(got) != 3 {
		t.Fatalf("slow: %d leases, want 3", len(got))
	}
	if got := slow2.take(t, 8, 300*time.Millisecond); len(got) != 0 {
		t.Fatalf("second slow device: %d leases, want none", len(got))
	}
}

// Placement as today when speeds are unknown, or the faster device is
// paused by its power budget: the slow device takes the task.
func TestSpeedUnknownOrPaused(t *testing.T) {
	t.Run("unknown", func(t *testing.T) {
		tg := startGateway(t, t.TempDir(), Config{})
		fast, slow := speedNode(t, tg, 1, 100e6), speedNode(t, tg, 1, 0)
		submitTasks(t, tg, 3)
		fast.take(t, 1, time.Second)
		if got := slow.take(t, 1, time.Second); len(got) != 1 {
			t.Fatalf("a device of unknown speed got %d leases, want 1", len(got))
		}
	})
	t.Run("paused", func(t *testing.T) {
		tg := startGateway(t, t.TempDir(), Config{})
		fast, slow := speedNode(t, tg, 2, 100e6), speedNode(t, tg, 1, 1e6)
		submitTasks(t, tg, 3)
		fast.take(t, 1, time.Second)
		fast.beat(t, api.Heartbeat{Power: &api.PowerStatus{Paused: true, Source: "model rpi4"}})
		if got := slow.take(t, 1, time.Second); len(got) != 1 {
			t.Fatalf("the slow device got %d leases while the fast one is paused, want 1", len(got))
		}
	})
}

// A held-back request is given work as soon as the faster device stops
// counting: here it goes lost (its slot's task overruns too, but lost
// comes first with these timings).
func TestSpeedHoldEndsWhenFastDeviceLeaves(t *testing.T) {
	tg := startGateway(t, t.TempDir(), Config{Heartbeat: 100 * time.Millisecond})
	fast, slow := speedNode(t, tg, 1, 100e6), speedNode(t, tg, 1, 1e6)
	submitTasks(t, tg, 2)
	fast.take(t, 1, time.Second)
	start := time.Now()
	stop := make(chan struct{})
	defer close(stop)
	go func() { // the slow device stays alive; the fast one falls silent
		tick := time.NewTicker(50 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				slow.c.Heartbeat(context.Background(), api.Heartbeat{})
			}
		}
	}()
	got := slow.take(t, 1, 5*time.Second)
	if len(got) != 1 {
		t.Fatalf("the slow device got %d leases after the fast one went silent, want 1", len(got))
	}
	t.Logf("held for %v", time.Since(start).Round(time.Millisecond))
}

// The rule's edges, looked at directly: a suspect fast device still
// holds a slow one back and a lost one does not; a busy slot whose task
// overruns its expected time by far is not counted on.
func TestSpeedAllowanceEdges(t *testing.T) {
	tg := startGateway(t, t.TempDir(), Config{})
	fast, slow := speedNode(t, tg, 1, 100e6), speedNode(t, tg, 1, 1e6)
	submitTasks(t, tg, 3)
	first := fast.take(t, 1, time.Second)
	if len(first) != 1 {
		t.Fatalf("fast: %d leases", len(first))
	}
	g := tg.Gateway
	// The fast device's state is set under the same lock as the look, as
	// the sweeper sets it back from the device's last heartbeat.
	allowanceIf := func(s api.MemberState) int {
		g.mu.Lock()
		defer g.mu.Unlock()
		f := g.members[fast.id.ID]
		was := f.state
		defer func() { f.state = was }()
		f.state = s
		req := api.LeaseRequest{Runtimes: []string{"wasm"}, Max: 1}
		allow, _ := g.speedAllowanceLocked(g.members[slow.id.ID], req, time.Now())
		for _, n := range allow { // one job
			return n
		}
		return -1
	}
	allowance := func() int { return allowanceIf(api.MemberReady) }
	if n := allowance(); n != 0 {
		t.Fatalf("ready fast device: allowance %d, want 0", n)
	}
	if n := allowanceIf(api.MemberSuspect); n != 0 {
		t.Errorf("suspect fast device: allowance %d, want 0", n)
	}
	if n := allowanceIf(api.MemberLost); n != 2 {
		t.Errorf("lost fast device: allowance %d, want both queued tasks", n)
	}

	// Known work, 1 s on the fast device; its running task leased long
	// ago, and the device not polling: nothing of it counts.
	g.mu.Lock()
	j := g.jobs[first[0].JobID]
	j.work, j.worked = 100e6, 1
	for _, tk := range g.leased {
		tk.LeasedAt = time.Now().Add(-time.Minute)
	}
	g.members[fast.id.ID].polled = time.Time{}
	g.mu.Unlock()
	if n := allowance(); n != 2 {
		t.Errorf("overrunning task: allowance %d, want both queued tasks", n)
	}
	g.mu.Lock()
	for _, tk := range g.leased {
		tk.LeasedAt = time.Now().Add(-500 * time.Millisecond)
	}
	g.mu.Unlock()
	if n := allowance(); n != 0 {
		t.Errorf("task half done: allowance %d, want 0", n)
	}
}

// A slow device that a fast one beats to a job's tasks still takes the
// tasks of a later job that only it runs (the demo's Pi Zero: held back
// from the wasm job, it ran the arm/v6-only image at once, not after the
// wasm job had drained). Of the first job it still gets none.
func TestSpeedHoldsBackPerJob(t *testing.T) {
	tg := startGateway(t, t.TempDir(), Config{})
	fast := speedNode(t, tg, 1, 100e6)
	slow := newNode(t, tg.Gateway)
	_, err := slow.c.Hello(context.Background(), api.HelloRequest{JoinToken: tg.JoinToken().String(),
		Node: api.NodeInfo{Name: "pi-zero", Runtimes: []string{"wasm", "oci"}, Platforms: []string{"linux/arm/v6"}, Slots: 1}})
	if err != nil {
		t.Fatal(err)
	}
	slow.beat(t, api.Heartbeat{Speed: &api.Speed{WasmOps: 1e6, NativeOps: 100e6}})
	wasm := submitTasks(t, tg, 4)
	arm, err := tg.admin.SubmitJob(context.Background(), api.JobSpec{Name: "armv6", Runtime: "oci", AppDigest: packImage(t, tg, "linux/arm/v6"), Tasks: 2})
	if err != nil {
		t.Fatal(err)
	}
	if got := fast.take(t, 1, time.Second); len(got) != 1 || got[0].JobID != wasm {
		t.Fatalf("fast: %+v, want one task of the wasm job", got)
	}
	got, err := slow.c.Lease(context.Background(), api.LeaseRequest{Runtimes: []string{"wasm", "oci"},
		Platforms: []string{"linux/arm/v6"}, Max: 8, Wait: api.Duration(time.Second)})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("the slow device got %d leases, want the arm/v6 job's 2", len(got))
	}
	for _, l := range got {
		if l.JobID != arm.ID {
			t.Errorf("the slow device got a task of %s, which the fast one finishes first", l.JobID)
		}
	}
}

// TestSpeedNeverHoldsBackAReplica: a certified task's second replica must
// run on another device than its first. The device that ran the first is
// the fast one; the slow device is not held back from the second for it
// (it once was, and the task waited forever: seen in e2e's
// TestCertifiedGatewayCrash).
func TestSpeedNeverHoldsBackAReplica(t *testing.T) {
	tg := startGateway(t, t.TempDir(), Config{Placement: PlacementSpeed})
	fast, slow := speedNode(t, tg, 2, 100e6), speedNode(t, tg, 2, 1e6)
	j := submitCertified(t, tg, 1, api.CertifySpec{Trust: 0.9, MinReplicas: 2, MaxReplicas: 2})
	first := fast.take(t, 2, time.Second)
	if len(first) != 1 {
		t.Fatalf("the fast device got %d leases, want the first replica", len(first))
	}
	r := fast.result(t, first[0], "", "")
	r.WallMilli = 1000
	r.Digest = api.ResultDigest(&r)
	fast.report(t, r)
	if got := fast.take(t, 2, 200*time.Millisecond); len(got) != 0 {
		t.Fatalf("the fast device got the second replica of a task it ran: %+v", got)
	}
	got := slow.take(t, 2, time.Second)
	if len(got) != 1 || got[0].JobID != j.ID {
		t.Fatalf("the slow device got %+v, want the second replica", got)
	}
}
