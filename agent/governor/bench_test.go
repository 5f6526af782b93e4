package governor

import (
	"context"
	"fmt"
	"math"
	"os"
	"testing"
	"time"

	"github.com/hearth-home/hearth/internal/power"
	"github.com/hearth-home/hearth/internal/power/policy"
	"github.com/hearth-home/hearth/internal/power/sensor"
	"github.com/hearth-home/hearth/sandbox"
	"github.com/hearth-home/hearth/sandbox/containerd"
	"github.com/hearth-home/hearth/sandbox/sandboxtest"
)

// The test binary is each container task's init and logger, as
// hearth-agent is: the power benchmark runs containers.
func TestMain(m *testing.M) {
	containerd.Reexec()
	os.Exit(m.Run())
}

// Tolerances and pace of the power benchmark (issue 4).
const (
	// overTol is how far above its budget a one-second window may draw
	// and still count as within it.
	overTol = 0.05
	// upFloor is the share of a raised budget the power must reach to
	// have settled.
	upFloor = 0.90
	// skipWindows are the first one-second windows after a budget change
	// left out of the within and used figures: the governor acts once a
	// second, so the change takes up to a window to arrive and another to
	// show in full. How long it really takes is the settle figures' job.
	skipWindows = 2
	// benchTick is how often the benchmark reads the CPUs: fine enough
	// to time settling, coarse enough for /proc/stat's 10 ms ticks.
	benchTick = 250 * time.Millisecond
	// perWindow is the number of readings in a one-second window.
	perWindow = int(time.Second / benchTick)
)

// benchPhase is a stretch of the benchmark under one budget.
type benchPhase struct {
	name  string        // in the BENCH names: the budget's percent, or the step's leg
	share float64       // of the modeled maximum
	d     time.Duration // a whole number of seconds
	step  string        // "down" or "up" for the legs of the step, "" for a steady budget
}

// benchSchedule holds three steady budgets, then steps 80% -> 30% -> 80%:
// the steady 80% is the step's first leg.
var benchSchedule = []benchPhase{
	{name: "30", share: 0.3, d: 9 * time.Second},
	{name: "50", share: 0.5, d: 9 * time.Second},
	{name: "80", share: 0.8, d: 9 * time.Second},
	{name: "down", share: 0.3, d: 6 * time.Second, step: "down"},
	{name: "up", share: 0.8, d: 6 * time.Second, step: "up"},
}

// TestPowerBench measures, on this machine with the generic profile, how
// well the governor holds saturating work in each runtime to its budget:
//
//	BENCH power.<rt>.within_budget_<pct> <share> %  windows at most budget + 5% (goal >= 99%)
//	BENCH power.<rt>.budget_used_<pct> <share> %    mean power / budget (goal >= 90%)
//	BENCH power.<rt>.settle_down_s <s> s           80% -> 30%: time to stay at most budget + 5% (goal <= 2 s)
//	BENCH power.<rt>.settle_up_s <s> s             30% -> 80%: time to stay at least 90% of it (goal <= 2 s)
//	BENCH power.<rt>.energy_error <err> %          tasks' Wh against measured energy above idle (goal <= 5%)
//	BENCH power.within_budget <share> %            every scored window of both runtimes
//
// for rt wasm and container and budgets of 30, 50 and 80% of the modeled
// maximum. The power is the model's, as the governor's, but from the
// benchmark's own readings of /proc/stat, so it counts everything the
// machine runs: run it on a quiet machine. The goals are not asserted:
// the figures show a miss. It runs for about a minute and a half, with
// HEARTH_POWER_BENCH=1 and, for the containers, a containerd (see
// containerSpinning) and a static test binary (CGO_ENABLED=0).
func TestPowerBench(t *testing.T) {
	if os.Getenv("HEARTH_POWER_BENCH") != "1" {
		t.Skip("the power benchmark runs with HEARTH_POWER_BENCH=1")
	}
	model := genericModel(t)
	var run time.Duration
	for _, ph := range benchSchedule {
		run += ph.d
	}
	// The tasks spin a little longer than the schedule: saturating to
	// its end.
	spin := run + time.Second
	var results []*figures
	var names []string
	for _, name := range []string{"wasm", "container"} {
		t.Run(name, func(t *testing.T) {
			var rt sandbox.Runtime
			var tasks []sandbox.Task
			if name == "wasm" {
				rt, tasks = spinning(t, model.Cores, spin)
			} else {
				rt, tasks = containerSpinning(t, model.Cores, spin)
			}
			f := runSchedule(t, model, rt, tasks)
			results = append(results, f)
			names = append(names, name)
		})
	}
	// Printed at the end, each on a line of its own.
	windows, within := 0, 0
	for i, f := range results {
		f.print(names[i])
		windows += f.windows
		within += f.within
	}
	if windows > 0 {
		fmt.Printf("BENCH power.within_budget %.1f %%\n", 100*float64(within)/float64(windows))
	}
}

// containerSpinning starts n containers of the test app, each spinning
// one core for d, on the containerd at HEARTH_CONTAINERD_SOCKET
// (scripts/containerd.sh start runs a private one), in a namespace of
// their own that goes with everything in it when the test ends.
func containerSpinning(t *testing.T, n int, d time.Duration) (*containerd.Runtime, []sandbox.Task) {
	t.Helper()
	sock := os.Getenv(containerd.SocketEnv)
	if sock == "" {
		t.Skipf("%s is not set: start a private containerd with scripts/containerd.sh start", containerd.SocketEnv)
	}
	if os.Getuid() != 0 {
		t.Skip("containerd tasks need root")
	}
	ctx := context.Background()
	ns := fmt.Sprintf("hearth-powerbench-%d", os.Getpid())
	rt, err := containerd.New(ctx, containerd.Config{Socket: sock, Namespace: ns, StateDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		rt.Close()
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if _, _, err := containerd.RemoveNamespace(ctx, sock, ns); err != nil {
			t.Logf("removing namespace %s: %v", ns, err)
		}
	})
	app := sandboxtest.OCITestApp(t, sandboxtest.HostPlatform())
	if err := rt.Prepare(ctx, app); err != nil {
		t.Fatal(err)
	}
	var ts []sandbox.Task
	for i := range n {
		task, err := rt.Start(ctx, sandbox.Spec{ID: fmt.Sprintf("power-%d", i), App: app,
			Args: []string{"spin", d.String()}, Limits: sandbox.Limits{CPU: 1, Timeout: d + time.Minute}})
		if err != nil {
			t.Fatal(err)
		}
		ts = append(ts, task)
	}
	return rt, ts
}

// figures are one runtime's results.
type figures struct {
	windows, within int                // scored one-second windows, and those at most budget + overTol
	withinBy        map[string]float64 // steady phase: share of its scored windows within, in %
	usedBy          map[string]float64 // steady phase: mean power over the budget, in %
	settle          map[string]float64 // step leg: seconds to settle
	taskJ           float64            // energy the governor attributed to the tasks
	measuredJ       float64            // energy above idle the benchmark measured
}

func (f *figures) print(rt string) {
	for _, ph := range benchSchedule {
		if v, ok := f.withinBy[ph.name]; ok {
			fmt.Printf("BENCH power.%s.within_budget_%s %.1f %%\n", rt, ph.name, v)
		}
	}
	for _, ph := range benchSchedule {
		if v, ok := f.usedBy[ph.name]; ok {
			fmt.Printf("BENCH power.%s.budget_used_%s %.1f %%\n", rt, ph.name, v)
		}
	}
	for _, leg := range []string{"down", "up"} {
		if v, ok := f.settle[leg]; ok {
			fmt.Printf("BENCH power.%s.settle_%s_s %.2f s\n", rt, leg, v)
		}
	}
	if f.measuredJ > 0 {
		fmt.Printf("BENCH power.%s.energy_error %.1f %%\n", rt, 100*math.Abs(f.taskJ-f.measuredJ)/f.measuredJ)
	}
}

// runSchedule puts tasks, started moments ago and spinning to the end of
// benchSchedule, under a governor, takes them through the schedule while
// reading the device's power, and waits for them to end, removing each
// from the governor as the agent does.
func runSchedule(t *testing.T, model power.Model, rt sandbox.Runtime, tasks []sandbox.Task) *figures {
	g, err := New(Config{Model: model, Policy: policy.Policy{Watts: benchSchedule[0].share * model.MaxW}})
	if err != nil {
		t.Fatal(err)
	}
	meter, err := newPowerMeter(model)
	if err != nil {
		t.Fatal(err)
	}
	for _, task := range tasks {
		g.Add(task.ID(), rt, 1)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { g.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()

	tick := time.NewTicker(benchTick)
	defer tick.Stop()
	phases := make([][]point, len(benchSchedule))
	for i, ph := range benchSchedule {
		budget := ph.share * model.MaxW
		if err := g.SetPolicy(policy.Policy{Watts: budget}); err != nil {
			t.Fatal(err)
		}
		for n := range int(ph.d / benchTick) {
			<-tick.C
			p, err := meter.read()
			if err != nil {
				t.Fatal(err)
			}
			phases[i] = append(phases[i], p)
			if (n+1)%perWindow == 0 {
				w := meanW(phases[i][n+1-perWindow:])
				st := g.Status()
				t.Logf("%-9s %2d: %5.2f W of %5.2f W (%3.0f%%); governor: %5.2f W, busy %.2f, work %.2f, allowed %.2f, paused %d",
					rt.Name()+" "+ph.name, n/perWindow, w, budget, 100*w/budget, st.Watts, st.Busy, st.Work, st.Allowed, st.PausedTasks)
			}
		}
	}

	f := &figures{withinBy: map[string]float64{}, usedBy: map[string]float64{}, settle: map[string]float64{}}
	for _, task := range tasks {
		wctx, wcancel := context.WithTimeout(context.Background(), time.Minute)
		res, err := task.Wait(wctx)
		wcancel()
		if err != nil || res.Failure != "" {
			t.Errorf("task %s: %+v, %v", task.ID(), res, err)
		}
		f.taskJ += g.Remove(task.ID()) * 3600
		dctx, dcancel := context.WithTimeout(context.Background(), time.Minute)
		if err := task.Delete(dctx); err != nil {
			t.Logf("deleting task %s: %v", task.ID(), err)
		}
		dcancel()
	}
	tail, err := meter.read()
	if err != nil {
		t.Fatal(err)
	}

	for i, ph := range benchSchedule {
		f.score(t, ph, phases[i], ph.share*model.MaxW)
	}
	for _, ps := range append(phases, []point{tail}) {
		for _, p := range ps {
			f.measuredJ += (p.watts - model.IdleW) * p.to.Sub(p.from).Seconds()
		}
	}
	t.Logf("energy: tasks %.1f J, measured above idle %.1f J", f.taskJ, f.measuredJ)
	if f.windows == 0 || !(f.measuredJ > 0) {
		t.Errorf("%d windows scored and %.1f J measured: nothing to report", f.windows, f.measuredJ)
	}
	return f
}

// score adds a phase's windows to f: how many are within the budget and,
// for a steady budget, how much of it they used, or for a step's leg, how
// long the power took to settle.
func (f *figures) score(t *testing.T, ph benchPhase, ps []point, budget float64) {
	windows, within, used := 0, 0, 0.0
	for k := skipWindows; (k+1)*perWindow <= len(ps); k++ {
		w := meanW(ps[k*perWindow : (k+1)*perWindow])
		windows++
		if w <= budget*(1+overTol) {
			within++
		}
		used += w / budget
	}
	if windows == 0 {
		t.Errorf("phase %s: no window scored of %d readings", ph.name, len(ps))
		return
	}
	f.windows += windows
	f.within += within
	switch ph.step {
	case "":
		f.withinBy[ph.name] = 100 * float64(within) / float64(windows)
		f.usedBy[ph.name] = 100 * used / float64(windows)
	case "down":
		f.settle[ph.step] = settleTime(t, ph.name, ps, func(w float64) bool { return w <= budget*(1+overTol) })
	case "up":
		f.settle[ph.step] = settleTime(t, ph.name, ps, func(w float64) bool { return w >= budget*upFloor })
	}
}

// settleTime is how long after the budget changed (the start of ps) the
// power settled, in seconds: the start of the first one-second window,
// sliding a reading at a time, from which every later one is good. When
// even the last is not, it is the whole phase, and says so in the log.
func settleTime(t *testing.T, name string, ps []point, good func(w float64) bool) float64 {
	s := -1
	for i := len(ps) - perWindow; i >= 0 && good(meanW(ps[i:i+perWindow])); i-- {
		s = i
	}
	if s < 0 {
		d := ps[len(ps)-1].to.Sub(ps[0].from)
		t.Logf("%s: the power did not settle in %v", name, d.Round(time.Millisecond))
		return d.Seconds()
	}
	return ps[s].from.Sub(ps[0].from).Seconds()
}

// point is the device's modeled power between two readings of the CPUs.
type point struct {
	from, to time.Time
	watts    float64
}

// meanW is the mean power over ps.
func meanW(ps []point) float64 {
	var j, s float64
	for _, p := range ps {
		d := p.to.Sub(p.from).Seconds()
		j += p.watts * d
		s += d
	}
	if s == 0 {
		return 0
	}
	return j / s
}

// powerMeter models the device's power from readings of its own: the
// governor's model on what /proc/stat says of the CPUs, with none of
// the governor's bookkeeping.
type powerMeter struct {
	model power.Model
	prev  sensor.CPUSample
	at    time.Time
}

func newPowerMeter(model power.Model) (*powerMeter, error) {
	cpu, err := sensor.ReadCPU("/")
	if err != nil {
		return nil, err
	}
	return &powerMeter{model: model, prev: cpu, at: time.Now()}, nil
}

// read is the power since the previous reading.
func (m *powerMeter) read() (point, error) {
	cpu, err := sensor.ReadCPU("/")
	if err != nil {
		return point{}, err
	}
	now := time.Now()
	freq, ok := sensor.Frequency("/")
	if !ok {
		freq = 1
	}
	p := point{from: m.at, to: now, watts: m.model.Watts(cpu.BusyCores(m.prev), freq)}
	m.prev, m.at = cpu, now
	return p, nil
}
