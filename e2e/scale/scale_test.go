// Package scale measures one gateway under thousands of simulated devices
// (`make bench-scale`, docs/scale.md): the gateway and hearth-sim are
// processes of their own, each pinned to a core of its own when the
// machine has two (taskset), talking TLS over loopback.
package scale

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/hearthtest/benchstat"
	"github.com/hearth-home/hearth/store"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"github.com/shirou/gopsutil/v3/process"
)

var root = func() string { wd, _ := os.Getwd(); return filepath.Dir(filepath.Dir(wd)) }()

// TestScale runs the gateway against HEARTH_SCALE_DEVICES simulated
// devices (default 100; a list such as "100 300 1000 3000" runs each in
// turn) and prints each run's figures as BENCH lines. It fails when the
// run cannot be made (devices that never pair, tasks never done), not on
// the figures: they are measured, and compared with the goals in
// docs/scale.md.
func TestScale(t *testing.T) {
	ns := []int{100}
	if s := os.Getenv("HEARTH_SCALE_DEVICES"); s != "" {
		ns = nil
		for _, f := range strings.Fields(strings.ReplaceAll(s, ",", " ")) {
			n, err := strconv.Atoi(f)
			if err != nil || n <= 0 {
				t.Fatalf("HEARTH_SCALE_DEVICES=%q: want device counts, e.g. \"100 300 1000 3000\"", s)
			}
			ns = append(ns, n)
		}
	}
	for _, b := range []string{"hearth", "hearth-gateway", "hearth-sim"} {
		if _, err := os.Stat(filepath.Join(root, "bin", b)); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("bin/%s not built: make build", b)
			}
			t.Skipf("bin/%s not built: run make build", b)
		}
	}
	for _, n := range ns {
		t.Run(strconv.Itoa(n), func(t *testing.T) { runScale(t, n) })
	}
}

// pinned runs a command on one core when the machine has more than one.
func pinned(core int, name string, args ...string) *exec.Cmd {
	if runtime.NumCPU() > 1 {
		if ts, err := exec.LookPath("taskset"); err == nil {
			return exec.Command(ts, append([]string{"-c", strconv.Itoa(core), name}, args...)...)
		}
	}
	return exec.Command(name, args...)
}

// gatewayCmd runs the gateway on core 0, with HEARTH_SCALE_GATEWAY_ENV
// (space-separated KEY=VALUE, e.g. "GOMEMLIMIT=300MiB") added to its
// environment only.
func gatewayCmd(args []string) *exec.Cmd {
	cmd := pinned(0, bin("hearth-gateway"), args...)
	if extra := strings.Fields(os.Getenv("HEARTH_SCALE_GATEWAY_ENV")); len(extra) > 0 {
		cmd.Env = append(os.Environ(), extra...)
	}
	return cmd
}

type proc struct {
	cmd *exec.Cmd
	log *os.File
}

func start(t *testing.T, cmd *exec.Cmd, logPath string) *proc {
	t.Helper()
	f, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = f, f
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &proc{cmd: cmd, log: f}
	t.Cleanup(func() { p.kill(); f.Close() })
	return p
}

func (p *proc) kill() {
	if p.cmd.Process != nil && p.cmd.ProcessState == nil {
		syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
		p.cmd.Wait()
	}
}

// pid is the process's own pid: taskset execs it, so the same.
func (p *proc) pid() int { return p.cmd.Process.Pid }

// procStat is a process's CPU time (user + system) and RSS in KiB, by
// gopsutil; zero when it cannot be read.
func procStat(pid int) (cpu time.Duration, rssKB int64) {
	p, err := process.NewProcess(int32(pid))
	if err != nil {
		return 0, 0
	}
	if ts, err := p.Times(); err == nil {
		cpu = time.Duration((ts.User + ts.System) * float64(time.Second))
	}
	if m, err := p.MemoryInfo(); err == nil {
		rssKB = int64(m.RSS >> 10)
	}
	return cpu, rssKB
}

// writeBytes is what a process wrote to storage so far, by gopsutil.
func writeBytes(pid int) int64 {
	p, err := process.NewProcess(int32(pid))
	if err != nil {
		return 0
	}
	io, err := p.IOCounters()
	if err != nil {
		return 0
	}
	return int64(io.WriteBytes)
}

func freePort(t *testing.T) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// initGateway makes a gateway's data in dir/gateway, listening on a free
// loopback port: its directory, address, join token and the owner's
// credentials.
func initGateway(ctx context.Context, t *testing.T, dir string) (gwDir, addr, token string, creds api.Credentials) {
	t.Helper()
	gwDir = filepath.Join(dir, "gateway")
	addr = fmt.Sprintf("127.0.0.1:%d", freePort(t))
	out, err := exec.CommandContext(ctx, bin("hearth-gateway"), "init", "--data-dir", gwDir, "--listen", addr, "--advertise", addr).CombinedOutput()
	if err != nil {
		t.Fatalf("hearth-gateway init: %v\n%s", err, out)
	}
	for _, line := range strings.Split(string(out), "\n") {
		if v, ok := strings.CutPrefix(line, "Join token:"); ok {
			token = strings.TrimSpace(v)
		}
	}
	creds, err = api.LoadCredentials(filepath.Join(gwDir, "credentials.json"))
	if err != nil {
		t.Fatal(err)
	}
	return gwDir, addr, token, creds
}

// waitReady waits until want devices are ready and have been heard from
// since it was called (a restarted gateway loads its members as they
// were).
func waitReady(ctx context.Context, cl *api.Admin, want int, within time.Duration) (time.Duration, error) {
	start := time.Now()
	for {
		ms, err := cl.Members(ctx)
		ready := 0
		var others []string // the first few not ready, to say which
		for _, m := range ms {
			switch {
			case m.State == api.MemberReady && m.LastSeen.After(start):
				ready++
			case len(others) < 5:
				others = append(others, fmt.Sprintf("%s %s, last seen %v before", m.Node.Name, m.State, start.Sub(m.LastSeen).Round(time.Millisecond)))
			}
		}
		if err == nil && ready >= want {
			return time.Since(start), nil
		}
		if time.Since(start) > within {
			return 0, fmt.Errorf("%d of %d devices ready after %v (%v); not ready: %s", ready, want, within, err, strings.Join(others, "; "))
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func bin(name string) string { return filepath.Join(root, "bin", name) }

func runScale(t *testing.T, n int) {
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Minute)
	defer cancel()
	dir := t.TempDir()
	gwDir, addr, token, creds := initGateway(ctx, t, dir)
	metricsAddr := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	gwArgs := []string{"--data-dir", gwDir, "--listen", addr, "--no-mdns", "--dashboard", "off", "--metrics", metricsAddr}
	// HEARTH_SCALE_PROFILE=DIR keeps the gateway's CPU profiles of the
	// idle and busy phases and its heap after the work there.
	profDir, pprofAddr := os.Getenv("HEARTH_SCALE_PROFILE"), ""
	if profDir != "" {
		if err := os.MkdirAll(profDir, 0o755); err != nil {
			t.Fatal(err)
		}
		pprofAddr = fmt.Sprintf("127.0.0.1:%d", freePort(t))
		gwArgs = append(gwArgs, "--pprof", pprofAddr)
	}
	profile := func(name, path string) func() {
		if profDir == "" {
			return func() {}
		}
		done := make(chan struct{})
		go func() {
			defer close(done)
			resp, err := http.Get("http://" + pprofAddr + "/debug/pprof/" + path)
			if err != nil {
				t.Logf("profile %s: %v", name, err)
				return
			}
			defer resp.Body.Close()
			f, err := os.Create(filepath.Join(profDir, fmt.Sprintf("%d-%s.pprof", n, name)))
			if err == nil {
				io.Copy(f, resp.Body)
				f.Close()
			}
		}()
		return func() { <-done }
	}
	gw := start(t, gatewayCmd(gwArgs), filepath.Join(dir, "gateway.log"))
	cl, err := api.NewAdminClient(creds)
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	waitReady := func(want int, within time.Duration) (time.Duration, error) { return waitReady(ctx, cl, want, within) }
	simArgs := []string{"--gateway", addr, "--token", token, "--dir", filepath.Join(dir, "devices"), "--devices", strconv.Itoa(n),
		"--start-over", fmt.Sprintf("%dms", n*3), "--task-time", "1s", "--output-bytes", "100", "-v"}
	sim := start(t, pinned(1, bin("hearth-sim"), simArgs...), filepath.Join(dir, "sim.log"))
	took, err := waitReady(n, time.Duration(n)*10*time.Millisecond+60*time.Second)
	if err != nil {
		t.Fatalf("%v\n%s", err, tail(filepath.Join(dir, "gateway.log")))
	}
	t.Logf("%d devices paired and ready in %v", n, took.Round(time.Millisecond))

	// Idle: heartbeats only, for 10 s.
	time.Sleep(3 * time.Second)
	hb0 := heartbeatBuckets(t, metricsAddr)
	cpu0, _ := procStat(gw.pid())
	idle := 10 * time.Second
	profiled := profile("idle-cpu", "profile?seconds=9")
	time.Sleep(idle)
	profiled()
	cpu1, rssIdle := procStat(gw.pid())
	hbs := float64(n) * idle.Seconds() / 2 // the gateway's default heartbeat: 2 s
	heartbeatCPU := float64((cpu1 - cpu0).Microseconds()) / hbs

	// Dispatch: one task per device, all waiting: the time from the
	// job's submission to each task's lease.
	app := filepath.Join(dir, "app.wasm")
	os.WriteFile(app, []byte("\x00asm\x01\x00\x00\x00"), 0o644)
	submit := func(tasks int, args ...string) (api.Job, time.Time) {
		t.Helper()
		spec := filepath.Join(dir, "job.json")
		raw, _ := json.Marshal(map[string]any{"name": "scale", "runtime": "wasm", "app": app, "tasks": tasks, "args": args,
			"resources": map[string]any{"memory": "16Mi", "timeout": "60s"}})
		os.WriteFile(spec, raw, 0o644)
		cmd := exec.CommandContext(ctx, bin("hearth"), "--credentials", filepath.Join(gwDir, "credentials.json"), "job", "submit", spec, "-o", "json")
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("hearth job submit: %v\n%s", err, out)
		}
		var j api.Job
		if err := json.Unmarshal(out, &j); err != nil {
			t.Fatalf("hearth job submit: %v\n%s", err, out)
		}
		// From the gateway's clock: the job as it was created to each
		// lease, not the CLI's start.
		return j, j.Created
	}
	// waitJob polls the job list (small), not the job's detail: that
	// lists every task, and reading it ten times a second would load the
	// gateway more than the devices do.
	waitJob := func(id string, within time.Duration) {
		t.Helper()
		deadline := time.Now().Add(within)
		for {
			js, err := cl.Jobs(ctx)
			for _, j := range js {
				switch {
				case j.ID != id:
				case j.State == api.JobDone:
					return
				case j.State != api.JobRunning:
					// Tasks that ran out of attempts: devices were
					// taken for lost, or results were refused.
					t.Errorf("job %s ended %s: %+v (see the gateway's log)", id, j.State, j.Counts)
					if d, err := cl.Job(ctx, id); err == nil {
						for _, task := range d.Tasks {
							if task.State == api.TaskFailed {
								t.Logf("task %d failed on attempt %d (%s): %+v; earlier attempts: %q", task.Index, task.Attempt, task.Node, task.Result, task.History)
							}
						}
					}
					return
				}
			}
			if time.Now().After(deadline) {
				t.Fatalf("job %s not done within %v (%v)", id, within, err)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	profiled = profile("lease-cpu", "profile?seconds=5")
	j, at := submit(n, "sleep=2s")
	waitJob(j.ID, 2*time.Minute)
	d, err := cl.Job(ctx, j.ID)
	if err != nil {
		t.Fatal(err)
	}
	// A task leased again (its device taken for lost) counts by its
	// last lease; those leased once are the gateway's dispatch alone.
	var lease, once []time.Duration
	again := 0
	for _, task := range d.Tasks {
		if task.LeasedAt == nil {
			continue
		}
		lease = append(lease, task.LeasedAt.Sub(at))
		if len(task.History) == 0 { // no attempt given up
			once = append(once, task.LeasedAt.Sub(at))
		} else {
			again++
		}
	}

	// Dispatch at a steady rate: jobs of 10 tasks of 100 ms, 30 a second
	// for 10 s (300 tasks/s, the dispatch goal, which keeps about 30
	// devices busy), submitted through the API on a clock (open loop: a
	// slow answer does not slow the next submission), to devices that
	// mostly wait. The latency of each task from its
	// job's creation to its lease is the gateway's dispatch, not a queue
	// behind thousands of others as in the burst above.
	waitPolling(t, metricsAddr, n*95/100, 20*time.Second)
	profiled()
	profiled = profile("steady-cpu", "profile?seconds=10")
	steady := steadyDispatch(ctx, t, cl, app, waitJob)
	profiled()
	profiled = func() {}
	profile("steady-mutex", "mutex")()

	// Throughput: many short tasks, every device busy.
	w0 := writeBytes(gw.pid())
	simCPU0, _ := procStat(sim.pid())
	gwCPU0, _ := procStat(gw.pid())
	tasks := 10 * n
	began := time.Now()
	profiled()
	profiled = profile("busy-cpu", "profile?seconds=15")
	j, _ = submit(tasks, "sleep=100ms")
	waitJob(j.ID, 10*time.Minute)
	// Measured before waiting for the profile, which may outlast the job.
	elapsed := time.Since(began)
	written := writeBytes(gw.pid()) - w0
	gwCPU1, rssBusy := procStat(gw.pid())
	simCPU1, _ := procStat(sim.pid())
	profiled()
	profile("heap", "heap")()
	mem := memBreakdown(t, metricsAddr)
	hbLatency := quantileOf(subtract(heartbeatBuckets(t, metricsAddr), hb0), 0.99)

	// The gateway killed with SIGKILL in the middle of a job and started
	// again: every device back, ready, and every result of the job in
	// the end, none lost and none failed (results acknowledged before
	// the kill were stored; the devices keep the others until the
	// gateway is back).
	j, _ = submit(2*n, "sleep=1s")
	for {
		js, _ := cl.Jobs(ctx)
		done := 0
		for _, job := range js {
			if job.ID == j.ID {
				done = job.Counts.Done
			}
		}
		if done >= n/2 || ctx.Err() != nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	gw.kill()
	gw = start(t, gatewayCmd(gwArgs), filepath.Join(dir, "gateway-2.log"))
	profiled = func() {}
	if profDir != "" {
		waitListening(pprofAddr, 10*time.Second)
		profiled = profile("recover-cpu", "profile?seconds=15")
	}
	back, err := waitReady(n, 2*time.Minute)
	profiled()
	if err != nil {
		t.Errorf("after the gateway's restart: %v", err)
	}
	waitJob(j.ID, 5*time.Minute)
	lost := 2 * n
	if d, err := cl.Job(ctx, j.ID); err == nil {
		lost = 2*n - d.Counts.Done
	}
	if lost != 0 {
		t.Errorf("%d of the %d results of the job the gateway was killed in are missing", lost, 2*n)
	}

	// Every device gone at once: how long until the gateway says so.
	sim.kill()
	lostStart := time.Now()
	var detect time.Duration
	for {
		ms, err := cl.Members(ctx)
		lost := 0
		for _, m := range ms {
			if m.State == api.MemberLost {
				lost++
			}
		}
		if err == nil && lost >= n {
			detect = time.Since(lostStart)
			break
		}
		if time.Since(lostStart) > 2*time.Minute {
			t.Errorf("%d of %d devices marked lost after 2 minutes", lost, n)
			break
		}
		time.Sleep(100 * time.Millisecond)
	}

	if profDir != "" { // the logs beside the profiles
		for _, name := range []string{"gateway.log", "gateway-2.log", "sim.log"} {
			if raw, err := os.ReadFile(filepath.Join(dir, name)); err == nil {
				os.WriteFile(filepath.Join(profDir, fmt.Sprintf("%d-%s", n, name)), raw, 0o644)
			}
		}
	}
	fmt.Printf("BENCH scale.devices %d\n", n)
	fmt.Printf("BENCH scale.ready_s %.1f s\n", took.Seconds())
	fmt.Printf("BENCH scale.heartbeat_us_p99 %.0f us\n", hbLatency*1e6)
	fmt.Printf("BENCH scale.heartbeat_cpu_us %.0f us\n", heartbeatCPU)
	fmt.Printf("BENCH scale.lease_ms_p50 %.0f ms\n", benchstat.MS(benchstat.Quantile(steady, 0.5)))
	fmt.Printf("BENCH scale.lease_ms_p99 %.0f ms\n", benchstat.MS(benchstat.Quantile(steady, 0.99)))
	fmt.Printf("BENCH scale.burst_lease_ms_p50 %.0f ms\n", benchstat.MS(benchstat.Quantile(lease, 0.5)))
	fmt.Printf("BENCH scale.burst_lease_ms_p90 %.0f ms\n", benchstat.MS(benchstat.Quantile(lease, 0.9)))
	fmt.Printf("BENCH scale.burst_lease_ms_p99 %.0f ms\n", benchstat.MS(benchstat.Quantile(lease, 0.99)))
	fmt.Printf("BENCH scale.burst_lease_ms_p99_leased_once %.0f ms\n", benchstat.MS(benchstat.Quantile(once, 0.99)))
	fmt.Printf("BENCH scale.tasks_leased_again %d tasks\n", again)
	fmt.Printf("BENCH scale.tasks_per_s %.0f tasks/s\n", float64(tasks)/elapsed.Seconds())
	fmt.Printf("BENCH scale.bytes_written_per_result %.0f bytes\n", float64(written)/float64(tasks))
	fmt.Printf("BENCH scale.gateway_rss_mb %.1f MB\n", float64(max(rssIdle, rssBusy))/1024)
	fmt.Printf("BENCH scale.gateway_rss_idle_mb %.1f MB\n", float64(rssIdle)/1024)
	// Where the resident memory at work is: the Go heap's spans in use,
	// the goroutines' stacks, and how many goroutines.
	fmt.Printf("BENCH scale.gateway_heap_inuse_mb %.1f MB\n", mem.heapInuse/(1<<20))
	fmt.Printf("BENCH scale.gateway_stacks_mb %.1f MB\n", mem.stacks/(1<<20))
	fmt.Printf("BENCH scale.gateway_goroutines %.0f goroutines\n", mem.goroutines)
	// The simulator's own load: near one core, it and not the gateway
	// would be what the figures measure.
	fmt.Printf("BENCH scale.gateway_cpu_cores %.2f cores\n", (gwCPU1-gwCPU0).Seconds()/elapsed.Seconds())
	fmt.Printf("BENCH scale.sim_cpu_cores %.2f cores\n", (simCPU1-simCPU0).Seconds()/elapsed.Seconds())
	fmt.Printf("BENCH scale.recover_after_kill9_s %.1f s\n", back.Seconds())
	fmt.Printf("BENCH scale.results_lost_after_kill9 %d results\n", lost)
	fmt.Printf("BENCH scale.detect_lost_s %.1f s\n", detect.Seconds())
}

// bucket is a histogram bucket: the count of observations <= le.
type bucket struct{ le, count float64 }

// heartbeatBuckets scrapes the gateway's hearth_heartbeat_seconds
// histogram (cumulative buckets, +Inf last).
func heartbeatBuckets(t *testing.T, addr string) []bucket {
	t.Helper()
	f := scrape(t, addr)["hearth_heartbeat_seconds"]
	if f == nil || len(f.Metric) != 1 || f.Metric[0].Histogram == nil {
		t.Fatalf("metrics: no hearth_heartbeat_seconds histogram")
	}
	h := f.Metric[0].Histogram
	var out []bucket
	for _, b := range h.Bucket {
		out = append(out, bucket{b.GetUpperBound(), float64(b.GetCumulativeCount())})
	}
	return append(out, bucket{math.Inf(1), float64(h.GetSampleCount())})
}

// scrape reads the gateway's metrics.
func scrape(t *testing.T, addr string) map[string]*dto.MetricFamily {
	t.Helper()
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatalf("metrics: %v", err)
	}
	defer resp.Body.Close()
	parser := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := parser.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("metrics: %v", err)
	}
	return fams
}

// waitListening waits up to within until addr accepts connections.
func waitListening(addr string, within time.Duration) {
	for deadline := time.Now().Add(within); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return
		}
	}
}

// memStats is the Go runtime's view of the gateway's memory.
type memStats struct{ heapInuse, stacks, goroutines float64 }

// memBreakdown reads it from the gateway's metrics (the Go collector's
// go_memstats_* and go_goroutines).
func memBreakdown(t *testing.T, addr string) memStats {
	t.Helper()
	fams := scrape(t, addr)
	value := func(name string) float64 {
		f := fams[name]
		if f == nil || len(f.Metric) == 0 {
			t.Errorf("metrics: no %s", name)
			return 0
		}
		m := f.Metric[0]
		if m.Gauge != nil {
			return m.GetGauge().GetValue()
		}
		return m.GetUntyped().GetValue()
	}
	return memStats{value("go_memstats_heap_inuse_bytes"), value("go_memstats_stack_inuse_bytes"), value("go_goroutines")}
}

// waitPolling waits up to within until at least want of the devices'
// requests for tasks wait at the gateway (hearth_lease_requests_waiting),
// so that a phase starts with the pool idle, not in the last one's wake.
func waitPolling(t *testing.T, addr string, want int, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		n := 0.0
		if f := scrape(t, addr)["hearth_lease_requests_waiting"]; f != nil {
			for _, m := range f.Metric {
				for _, l := range m.Label {
					if l.GetName() == "kind" && l.GetValue() == "tasks" {
						n = m.GetGauge().GetValue()
					}
				}
			}
		}
		if int(n) >= want {
			return
		}
		if time.Now().After(deadline) {
			t.Logf("only %.0f requests for tasks waiting after %v, want %d: going on", n, within, want)
			return
		}
		time.Sleep(500 * time.Millisecond)
	}
}

func subtract(a, b []bucket) []bucket {
	out := slices.Clone(a)
	for i := range out {
		out[i].count -= b[i].count
	}
	return out
}

// quantileOf is the q quantile of cumulative buckets, interpolated within
// its bucket as Prometheus's histogram_quantile does; the last finite
// bound when it falls in +Inf.
func quantileOf(bs []bucket, q float64) float64 {
	total := bs[len(bs)-1].count
	if total == 0 {
		return 0
	}
	rank := q * total
	lo, below := 0.0, 0.0
	for _, b := range bs {
		if b.count >= rank {
			if math.IsInf(b.le, 1) {
				return lo
			}
			return lo + (b.le-lo)*(rank-below)/max(b.count-below, 1)
		}
		lo, below = b.le, b.count
	}
	return lo
}

func tail(path string) string {
	raw, _ := os.ReadFile(path)
	lines := strings.Split(string(raw), "\n")
	return strings.Join(lines[max(0, len(lines)-30):], "\n")
}

// steadyDispatch submits jobs of 10 tasks of 100 ms, 30 a second for 10 s, and
// returns each task's time from its job's creation to its lease.
func steadyDispatch(ctx context.Context, t *testing.T, cl *api.Admin, app string, waitJob func(string, time.Duration)) []time.Duration {
	t.Helper()
	const perJob, perSecond, jobs = 10, 30, 300
	raw, err := os.ReadFile(app)
	if err != nil {
		t.Fatal(err)
	}
	digest := store.DigestOf(raw)
	if err := cl.PutBlob(ctx, string(digest), bytes.NewReader(raw), int64(len(raw))); err != nil {
		t.Fatal(err)
	}
	spec := api.JobSpec{Name: "steady", Runtime: "wasm", AppDigest: string(digest), Tasks: perJob, Args: []string{"sleep=100ms"},
		Resources: api.Resources{Memory: 16 << 20, Timeout: api.Duration(time.Minute)}}
	ids := make([]string, jobs)
	var wg sync.WaitGroup
	tick := time.NewTicker(time.Second / perSecond)
	defer tick.Stop()
	for i := range jobs {
		<-tick.C
		wg.Add(1)
		go func() {
			defer wg.Done()
			j, err := cl.SubmitJob(ctx, spec)
			if err != nil {
				t.Errorf("submit: %v", err)
				return
			}
			ids[i] = j.ID
		}()
	}
	wg.Wait()
	var out []time.Duration
	var first time.Time
	slow := 0
	for _, id := range ids {
		if id == "" {
			continue
		}
		waitJob(id, 2*time.Minute)
		d, err := cl.Job(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if first.IsZero() {
			first = d.Created
		}
		for _, task := range d.Tasks {
			if task.LeasedAt == nil {
				continue
			}
			took := task.LeasedAt.Sub(d.Created)
			out = append(out, took)
			if took > 100*time.Millisecond && slow < 20 { // when, to set beside the gateway's log
				slow++
				t.Logf("steady: job %s created at +%v, task %d leased after %v", id, d.Created.Sub(first).Round(time.Millisecond), task.Index, took.Round(time.Millisecond))
			}
		}
	}
	if len(out) != perJob*jobs {
		t.Errorf("%d of %d tasks leased at a steady rate", len(out), perJob*jobs)
	}
	return out
}
