package agent

import (
	"fmt"
	"github.com/hearth-home/hearth/sandbox/sandboxtest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/hearth-home/hearth/gateway"
	"github.com/hearth-home/hearth/gateway/api"
)

// tinyModule writes "ok\n" and returns: the cheapest task there is.
func tinyModule() []byte { return sandboxtest.TinyModule(1, true) }

// TestThroughput moves many trivial wasm tasks through a gateway and three
// agents, all in this process, and checks that every task is done once and
// that every agent took a share. Speed is not asserted here (a loaded CI
// machine is no place to time things): the test prints its figures as BENCH
// lines, which `make bench` collects with HEARTH_THROUGHPUT_TASKS=3000.
// HEARTH_THROUGHPUT_TASKS sets the number of tasks (default 600).
func TestThroughput(t *testing.T) {
	if testing.Short() {
		t.Skip("throughput run")
	}
	n := 600
	if raceEnabled {
		n = 500 // the race detector slows everything tenfold
	}
	if s := os.Getenv("HEARTH_THROUGHPUT_TASKS"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	gw := startGateway(t, t.TempDir(), gateway.Config{Heartbeat: 2 * time.Second})
	var agents []*testAgent
	for i := range 3 {
		agents = append(agents, startAgent(t, Config{
			DataDir: filepath.Join(t.TempDir(), strconv.Itoa(i)), Gateway: gw.addr(), JoinToken: gw.JoinToken().String(),
			Slots: 2,
		}))
	}
	for _, a := range agents {
		a.logs.waitLog(t, 5*time.Second, "paired with gateway")
	}
	// Warm up: compile the module on every agent.
	app := tinyModule()
	warm := gw.submit(app, api.JobSpec{Name: "warm", Tasks: 30})
	gw.waitJob(warm.ID, 30*time.Second)

	start := time.Now()
	j := gw.submit(app, api.JobSpec{Name: "many", Tasks: n})
	d := gw.waitJob(j.ID, 5*time.Minute)
	elapsed := time.Since(start)
	if d.State != api.JobDone {
		t.Fatalf("job %s: %+v", d.State, d.Counts)
	}
	lat := make([]time.Duration, 0, n)
	perNode := map[string]int{}
	for _, task := range d.Tasks {
		if task.LeasedAt == nil || task.DoneAt == nil {
			t.Fatalf("task %d lacks its times", task.Index)
		}
		lat = append(lat, task.DoneAt.Sub(*task.LeasedAt))
		perNode[task.Node]++
	}
	slices.Sort(lat)
	rate := float64(n) / elapsed.Seconds()
	median, p90, p99 := lat[len(lat)/2], lat[len(lat)*9/10], lat[len(lat)*99/100]
	t.Logf("%d tasks in %v: %.0f tasks/s; dispatch-to-result median %v, p90 %v, p99 %v; per agent %v",
		n, elapsed.Round(time.Millisecond), rate, median, p90, p99, slices.Sorted(mapValues(perNode)))
	if len(perNode) != 3 {
		t.Errorf("tasks ran on %d agents, want all 3: %v", len(perNode), perNode)
	}
	if !raceEnabled {
		fmt.Printf("BENCH agent.inprocess_pool_tasks_per_s %.1f tasks/s\n", rate)
		fmt.Printf("BENCH agent.inprocess_dispatch_to_result_median %.2f ms\n", float64(median.Microseconds())/1000)
	}
}

func mapValues(m map[string]int) func(func(int) bool) {
	return func(yield func(int) bool) {
		for _, v := range m {
			if !yield(v) {
				return
			}
		}
	}
}
