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
