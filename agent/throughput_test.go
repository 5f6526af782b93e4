package agent

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/hearth-home/hearth/gateway"
	"github.com/hearth-home/hearth/gateway/api"
)

// tinyModule is a WASI command, hand assembled, that writes "ok\n" to
// stdout and returns: the cheapest task there is (after sandbox/wasm's
// test of the same name).
func tinyModule() []byte {
	uleb := func(v uint32) []byte {
		var b []byte
		for {
			c := byte(v & 0x7f)
			if v >>= 7; v != 0 {
				b = append(b, c|0x80)
				continue
			}
			return append(b, c)
		}
	}
	str := func(s string) []byte { return append(uleb(uint32(len(s))), s...) }
	section := func(id byte, parts ...[]byte) []byte {
		var payload []byte
		for _, p := range parts {
			payload = append(payload, p...)
		}
		return append(append([]byte{id}, uleb(uint32(len(payload)))...), payload...)
	}
	const i32 = 0x7f
	m := []byte("\x00asm\x01\x00\x00\x00")
	m = append(m, section(1, uleb(2), []byte{0x60, 4, i32, i32, i32, i32, 1, i32}, []byte{0x60, 0, 0})...)
	m = append(m, section(2, uleb(1), str("wasi_snapshot_preview1"), str("fd_write"), []byte{0x00, 0})...)
	m = append(m, section(3, uleb(1), uleb(1))...)
	m = append(m, section(5, uleb(1), []byte{0x00}, uleb(1))...)
	m = append(m, section(7, uleb(2), str("memory"), []byte{0x02, 0}, str("_start"), []byte{0x00, 1})...)
	body := []byte{0x00, 0x41, 1, 0x41, 0, 0x41, 1, 0x41, 16, 0x10, 0, 0x1a, 0x0b}
	m = append(m, section(10, uleb(1), uleb(uint32(len(body))), body)...)
	data := []byte{8, 0, 0, 0, 3, 0, 0, 0, 'o', 'k', '\n'}
	m = append(m, section(11, uleb(1), []byte{0x00, 0x41, 0, 0x0b}, uleb(uint32(len(data))), data)...)
	return m
}

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
