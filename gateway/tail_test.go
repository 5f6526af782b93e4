package gateway

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hearth-home/hearth/gateway/api"
)

// timedNode is a device that takes one task at a time and takes per to run
// it (sleeping), reporting an honest result; it stops when stop closes.
func timedNode(t *testing.T, tg *testGateway, name string, per time.Duration, stop chan struct{}, wg *sync.WaitGroup) *certNode {
	n := newCertNode(t, tg, name, "amd64")
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			ls, err := n.c.Lease(context.Background(), api.LeaseRequest{Runtimes: []string{"wasm"}, Max: 1, Wait: api.Duration(20 * time.Millisecond)})
			if err != nil || len(ls) == 0 {
				continue
			}
			time.Sleep(per)
			l := ls[0]
			r := n.certResult(t, l, honest(l.Index))
			if l.Replica == 0 {
				r.Seal = ""
			}
			if _, err := n.c.Report(context.Background(), []api.TaskResult{r}); err != nil {
				t.Errorf("%s: report: %v", name, err)
				return
			}
		}
	}()
	return n
}

// tailRun runs a job of tasks on three devices that take unit per task and
// one ten times slower, and returns how long the job took and its detail.
func tailRun(t *testing.T, copies bool, tasks int, unit time.Duration, certify *api.CertifySpec) (time.Duration, api.JobDetail) {
	tg := startGateway(t, t.TempDir(), Config{NoTailCopies: !copies})
	stop := make(chan struct{})
	var wg sync.WaitGroup
	defer func() { close(stop); wg.Wait() }()
	// The slow device asks first, as the device that happens to be
	// throttled would.
	slow := timedNode(t, tg, "slow", 10*unit, stop, &wg)
	_ = slow
	time.Sleep(50 * time.Millisecond)
	start := time.Now()
	var j api.Job
	if certify != nil {
		j = submitCertified(t, tg, tasks, *certify)
	} else {
		j = submit(t, tg, tasks, 3)
	}
	for i := range 3 {
		timedNode(t, tg, fmt.Sprint("fast-", i), unit, stop, &wg)
	}
	for {
		d, err := tg.admin.Job(context.Background(), j.ID)
		if err != nil {
			t.Fatal(err)
		}
		if d.State.Final() {
			return time.Since(start), d
		}
		if time.Since(start) > time.Minute {
			t.Fatalf("job stuck: %+v", d.Counts)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestTailCopies: with one device ten times slower, the job's last task
// is copied to an idle device and the job ends sooner than without.
func TestTailCopies(t *testing.T) {
	unit := 100 * time.Millisecond
	without, _ := tailRun(t, false, 12, unit, nil)
	with, d := tailRun(t, true, 12, unit, nil)
	if d.State != api.JobDone {
		t.Fatalf("job %s %+v", d.State, d.Counts)
	}
	copied := slices.ContainsFunc(d.Tasks, func(tk api.Task) bool {
		return slices.ContainsFunc(tk.History, func(h string) bool { return strings.HasPrefix(h, "tail copy") })
	})
	t.Logf("job took %s without tail copies, %s with", without.Round(time.Millisecond), with.Round(time.Millisecond))
	if !copied || with > without*3/4 {
		t.Fatalf("tail copies: copied %v; %s against %s without", copied, with, without)
	}
	// A certified job's straggling replica gets one more replica.
	_, c := tailRun(t, true, 6, unit, &api.CertifySpec{MinReplicas: 2})
	if c.State != api.JobDone || wrongAccepted(c) != 0 {
		t.Fatalf("certified job with tail copies: %s", c.State)
	}
}

// TestTailBench prints cert.tail_completion_ratio (make bench): a job's
// completion time with one device of four ten times slower, with tail
// copies over without, the median of three runs of each.
func TestTailBench(t *testing.T) {
	if os.Getenv("HEARTH_CERT_BENCH") == "" {
		t.Skip("set HEARTH_CERT_BENCH=1 (make bench)")
	}
	unit := 100 * time.Millisecond
	var ratios []float64
	for range 3 {
		without, _ := tailRun(t, false, 12, unit, nil)
		with, _ := tailRun(t, true, 12, unit, nil)
		ratios = append(ratios, with.Seconds()/without.Seconds())
		t.Logf("without %s, with %s", without.Round(time.Millisecond), with.Round(time.Millisecond))
	}
	slices.Sort(ratios)
	fmt.Printf("BENCH cert.tail_completion_ratio %.2f ratio\n", ratios[1])
}

// TestTailCopyFailures: when a tail copy or the attempt it copies fails
// for a reason of its device's (lost, killed, out of time), the other goes
// on, and its result is the task's.
func TestTailCopyFailures(t *testing.T) {
	for _, tc := range []struct {
		name    string
		failing string // "copy" or "earlier"
		failure string
	}{{"copy killed", "copy", "killed"}, {"earlier timed out", "earlier", "timeout"}} {
		t.Run(tc.name, func(t *testing.T) {
			tg := startGateway(t, t.TempDir(), Config{})
			slow, fast, idle := newCertNode(t, tg, "slow", "amd64"), newCertNode(t, tg, "fast", "amd64"), newCertNode(t, tg, "idle", "amd64")
			j := submit(t, tg, 4, 0) // no retries: a failure would end the task
			ls := fast.lease(t, 3)
			held := slow.lease(t, 1)
			for _, l := range ls {
				fast.report(t, fast.result(t, l, "ok", ""))
			}
			time.Sleep(100 * time.Millisecond) // far past the others' time
			cp := idle.lease(t, 1)
			if len(cp) != 1 || cp[0].Index != held[0].Index || cp[0].Attempt != 2 {
				t.Fatalf("tail copy: %+v", cp)
			}
			// The earlier attempt is still its device's.
			if hb, err := slow.c.Heartbeat(context.Background(), api.Heartbeat{Running: []string{held[0].ID}}); err != nil || len(hb.Revoked) != 0 {
				t.Fatalf("earlier attempt revoked: %+v %v", hb.Revoked, err)
			}
			failer, fl, winner, wl := idle, cp[0], slow, held[0]
			if tc.failing == "earlier" {
				failer, fl, winner, wl = slow, held[0], idle, cp[0]
			}
			failer.report(t, failer.result(t, fl, "", tc.failure))
			if tk := memTask(tg.Gateway, j.ID, wl.Index); tk.State != api.TaskLeased || tk.Attempt != wl.Attempt {
				t.Fatalf("after the %s failed: %s attempt %d, want leased attempt %d", tc.failing, tk.State, tk.Attempt, wl.Attempt)
			}
			// Attempts are numbered by the nodes that held them: the next
			// lease of the task must get the next number.
			tg.mu.Lock()
			n := len(tg.jobs[j.ID].tasks[wl.Index].Nodes)
			tg.mu.Unlock()
			if n != wl.Attempt {
				t.Fatalf("task has %d nodes for attempt %d", n, wl.Attempt)
			}
			if got := winner.report(t, winner.result(t, wl, "right", "")); got[0] != api.AckAccepted {
				t.Fatalf("the other attempt's result: %s", got[0])
			}
			d, _ := tg.admin.Job(context.Background(), j.ID)
			if d.State != api.JobDone || string(d.Tasks[wl.Index].Result.Stdout) != "right" {
				t.Fatalf("job %s, task %+v", d.State, d.Tasks[wl.Index])
			}
			tg.mu.Lock()
			defer tg.mu.Unlock()
			if len(tg.leased) != 0 {
				t.Fatalf("%d leases left", len(tg.leased))
			}
		})
	}
}
