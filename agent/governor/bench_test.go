package governor

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hearth-home/hearth/internal/cpucap"
	"github.com/hearth-home/hearth/power"
	"github.com/hearth-home/hearth/power/policy"
	"github.com/hearth-home/hearth/power/sensor"
	"github.com/hearth-home/hearth/sandbox"
	"github.com/hearth-home/hearth/sandbox/containerd"
	"github.com/hearth-home/hearth/sandbox/runc"
	"github.com/hearth-home/hearth/sandbox/sandboxtest"
	"github.com/hearth-home/hearth/sandbox/wasm"
	"github.com/shirou/gopsutil/v3/process"
)

// The test binary is each container task's init, logger and monitor, as
// hearth-agent is: the power benchmark runs containers.
// With HEARTH_BURN set it is the benchmark's burner instead: another
// program of the device, which the governor does not control.
func TestMain(m *testing.M) {
	if level := os.Getenv(burnEnv); level != "" {
		burn(level)
		return
	}
	containerd.Reexec()
	runc.Reexec()
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
	// second, so a change takes up to a window to arrive and another to
	// show in full. How long it really takes is the settle figures' job.
	skipWindows = 2
	// benchTick is how often the benchmark reads the CPUs: fine enough
	// to time settling, coarse enough for /proc/stat's 10 ms ticks.
	benchTick = 250 * time.Millisecond
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

// weather is a background load the benchmark injects: a burner process
// beside the tasks, as Home Assistant or Pi-hole would be on a household
// device.
type weather struct {
	name  string  // in the BENCH names: "_bg<name>"
	level float64 // steady: the share of a core kept busy, duty-cycled so that its draw is known
	burst bool    // bursty: a whole core busy for 0.3-1.8 s, then idle for 1-3 s (a compile, a backup, a cron job)
}

// weathers are the background loads, in order: none, a quarter and half
// a core steady, then bursts.
var weathers = []weather{{name: "0"}, {name: "25", level: 0.25}, {name: "50", level: 0.5}, {name: "burst", burst: true}}

// TestPowerBench measures, on this machine with the generic profile, how
// well the governor holds saturating work in each runtime to its budget
// while other programs run beside it, in each weather (bg0, bg25, bg50:
// 0, 0.25 and 0.5 of a core of injected steady load; bgburst: a core busy
// in bursts of 0.3-1.8 s, 1-3 s apart, about a third of a core on average):
//
//	BENCH power.<rt>.within_budget_<pct>_bg<l> <share> %  feasible windows at most budget + 5% (goal >= 99%)
//	BENCH power.<rt>.budget_used_<pct>_bg<l> <share> %    mean power / feasible budget (goal >= 90%)
//	BENCH power.<rt>.settle_down_s_bg<l> <s> s           80% -> 30%: time to stay at most budget + 5% (goal <= 2 s)
//	BENCH power.<rt>.settle_up_s_bg<l> <s> s             30% -> 80%: time to stay at least 90% of it (goal <= 2 s)
//	BENCH power.<rt>.energy_error_bg<l> <err> %          tasks' Wh against their share of the energy above idle (goal <= 5%)
//	BENCH power.<rt>.energy_error_cpu_bg<l> <err> %      tasks' Wh against their CPU time at the model's per-core power
//	BENCH power.<rt>.agent_energy_share_bg<l> <share> %  energy above idle put down to the agent's own work (here the test process)
//	BENCH power.<rt>.other_cores_bg<l> <n> cores         what else kept the CPUs busy, injected load included
//	BENCH power.<rt>.injected_cores_bg<l> <n> cores      of that, what the burner used (its process's CPU time)
//	BENCH power.<rt>.uncontrolled_cores_bg<l> <n> cores  and the rest, what the benchmark did not inject
//	BENCH power.<rt>.infeasible_windows_bg<l> <share> %  windows where other load alone left no room for tasks
//	BENCH power.<rt>.surge_windows_bg<l> <share> %       windows over budget because other load rose within them
//	BENCH power.within_budget <share> %                  every feasible scored window of every run
//	BENCH power.within_budget_incl_surges <share> %      the same, with the surge windows counted as misses
//
// for rt wasm, container (through containerd) and runc (containers
// through runc alone), and budgets (pct) of 30, 50 and 80% of the
// modeled maximum. The goals are not asserted: the figures show a miss.
//
// The power is the model's, as the governor's, but from the benchmark's
// own readings of /proc/stat, so it counts everything the machine runs.
// Each window is scored against what was feasible beside the other load
// measured in it (injected and uncontrolled): the tasks' room is the
// budget less the other load's power; a window where that room is less
// than the least share worth giving a task is infeasible, not a miss. So
// the benchmark does not need a quiet machine.
//
// It runs for about ten minutes, with HEARTH_POWER_BENCH=1 and, for the
// containers, a containerd (see benchContainerd) and a static test binary
// (CGO_ENABLED=0). HEARTH_POWER_BENCH_WEATHER=burst (or 0, 25, 50) runs
// one weather only, to compare changes.
func TestPowerBench(t *testing.T) {
	if os.Getenv("HEARTH_POWER_BENCH") != "1" {
		t.Skip("the power benchmark runs with HEARTH_POWER_BENCH=1")
	}
	model := genericModel(t)
	only := os.Getenv("HEARTH_POWER_BENCH_WEATHER")
	if only != "" && !slices.ContainsFunc(weathers, func(w weather) bool { return w.name == only }) {
		t.Fatalf("HEARTH_POWER_BENCH_WEATHER=%q: want one of 0, 25, 50, burst", only)
	}
	var results []*figures
	for _, name := range []string{"wasm", "container", "runc"} {
		t.Run(name, func(t *testing.T) {
			var rt sandbox.Runtime
			var app sandbox.App
			switch name {
			case "wasm":
				rt, app = benchWasm(t)
			case "container":
				rt, app = benchContainerd(t)
			case "runc":
				rt, app = benchRunc(t)
			}
			for _, w := range weathers {
				if only != "" && only != w.name {
					continue
				}
				b := startBurner(t, w)
				f := runSchedule(t, model, rt, app, b)
				b.stop()
				f.rt, f.bg = name, w.name
				results = append(results, f)
			}
		})
	}
	// Printed at the end, each on a line of its own.
	windows, within, surges := 0, 0, 0
	for _, f := range results {
		f.print()
		windows += f.windows
		within += f.within
		surges += f.surges
	}
	if windows > 0 {
		fmt.Printf("BENCH power.within_budget %.1f %%\n", 100*float64(within)/float64(windows))
		fmt.Printf("BENCH power.within_budget_incl_surges %.1f %%\n", 100*float64(within)/float64(windows+surges))
	}
}

// benchWasm is a wasm runtime whose tasks' threads can be capped, and the
// test app, compiled.
func benchWasm(t *testing.T) (sandbox.Runtime, sandbox.App) {
	t.Helper()
	if os.Getuid() != 0 {
		t.Skip("CPU caps need root")
	}
	caps, err := cpucap.New(fmt.Sprintf("hearth-powerbench-wasm-%d", os.Getpid()))
	if err != nil {
		t.Fatal(err)
	}
	rt, err := wasm.New(wasm.Config{CPUCaps: caps})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		rt.Close()
		if err := caps.Remove(); err != nil {
			t.Logf("removing the CPU caps: %v", err)
		}
	})
	app := sandboxtest.WasmTestApp(t)
	if err := rt.Prepare(context.Background(), app); err != nil {
		t.Fatal(err)
	}
	return rt, app
}

// benchContainerd is a runtime on the containerd at
// HEARTH_CONTAINERD_SOCKET (scripts/containerd.sh start runs a private
// one), in a namespace of its own that goes with everything in it when
// the test ends, and the test app's image, imported.
func benchContainerd(t *testing.T) (sandbox.Runtime, sandbox.App) {
	t.Helper()
	sock := os.Getenv(containerd.SocketEnv)
	if sock == "" {
		t.Skipf("%s is not set: start a private containerd with scripts/containerd.sh start", containerd.SocketEnv)
	}
	if os.Getuid() != 0 {
		t.Skip("containerd tasks need root")
	}
	ctx := context.Background()
	ns := fmt.Sprintf("hearth-powerbench-ctr-%d", os.Getpid())
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
	return rt, app
}

// benchRunc is containers through runc alone, as on a device without
// containerd, with the test app's image unpacked.
func benchRunc(t *testing.T) (sandbox.Runtime, sandbox.App) {
	t.Helper()
	if os.Getuid() != 0 {
		t.Skip("runc tasks need root")
	}
	ns := fmt.Sprintf("hearth-powerbench-runc-%d", os.Getpid())
	rt, err := runc.New(runc.Config{Namespace: ns, StateDir: t.TempDir()})
	if errors.Is(err, runc.ErrNoRunc) {
		t.Skipf("%v: install runc", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		rt.Sweep(context.Background(), func(string) bool { return false })
		rt.Close()
	})
	app := sandboxtest.OCITestApp(t, sandboxtest.HostPlatform())
	if err := rt.Prepare(context.Background(), app); err != nil {
		t.Fatal(err)
	}
	return rt, app
}

// benchInterval is the governor's step for rt: the agent's choice
// (cmd/hearth-agent's governorInterval), four times a second where a cap
// change is a cgroup write, once a second where it costs containerd a
// process; HEARTH_POWER_BENCH_INTERVAL compares another step (e.g. 1s)
// in the same conditions.
func benchInterval(rt sandbox.Runtime) time.Duration {
	if iv, err := time.ParseDuration(os.Getenv("HEARTH_POWER_BENCH_INTERVAL")); err == nil && iv > 0 {
		return iv
	}
	if q, ok := rt.(sandbox.QuickThrottler); ok && q.QuickThrottle() {
		return QuickInterval
	}
	return DefaultInterval
}

// figures are one runtime's results.
type figures struct {
	rt              string             // in the BENCH names
	bg              string             // the weather's name, in the BENCH names
	injected        float64            // the background load the burner used over the scored phases, in cores
	windows, within int                // scored feasible one-second windows, and those at most budget + overTol
	infeasible      int                // windows where other load alone left the tasks no room
	surges          int                // windows over the budget because other load rose within them
	withinBy        map[string]float64 // steady phase: share of its scored windows within, in %
	usedBy          map[string]float64 // steady phase: mean power over the budget, in %
	settle          map[string]float64 // step leg: seconds to settle
	taskJ           float64            // energy the governor attributed to the tasks
	measuredJ       float64            // energy above idle the benchmark measured
	shareJ          float64            // of that, the tasks' share by CPU time
	agentJ          float64            // energy the governor put down to the agent's own work
	cpuJ            float64            // the tasks' CPU time at the model's per-core power
	otherCores      float64            // mean cores busy with other work than the tasks'
}

// suffix names the weather in BENCH names: "_bg25" for a quarter of a core.
func (f *figures) suffix() string { return "_bg" + f.bg }

// print writes f's BENCH lines.
func (f *figures) print() {
	bg := f.suffix()
	for _, ph := range benchSchedule {
		if v, ok := f.withinBy[ph.name]; ok {
			fmt.Printf("BENCH power.%s.within_budget_%s%s %.1f %%\n", f.rt, ph.name, bg, v)
		}
	}
	for _, ph := range benchSchedule {
		if v, ok := f.usedBy[ph.name]; ok {
			fmt.Printf("BENCH power.%s.budget_used_%s%s %.1f %%\n", f.rt, ph.name, bg, v)
		}
	}
	for _, leg := range []string{"down", "up"} {
		if v, ok := f.settle[leg]; ok {
			fmt.Printf("BENCH power.%s.settle_%s_s%s %.2f s\n", f.rt, leg, bg, v)
		}
	}
	if f.shareJ > 0 {
		fmt.Printf("BENCH power.%s.energy_error%s %.1f %%\n", f.rt, bg, 100*math.Abs(f.taskJ-f.shareJ)/f.shareJ)
	}
	if f.cpuJ > 0 {
		fmt.Printf("BENCH power.%s.energy_error_cpu%s %.1f %%\n", f.rt, bg, 100*math.Abs(f.taskJ-f.cpuJ)/f.cpuJ)
	}
	if f.measuredJ > 0 {
		fmt.Printf("BENCH power.%s.agent_energy_share%s %.1f %%\n", f.rt, bg, 100*f.agentJ/f.measuredJ)
	}
	fmt.Printf("BENCH power.%s.other_cores%s %.2f cores\n", f.rt, bg, f.otherCores)
	fmt.Printf("BENCH power.%s.injected_cores%s %.2f cores\n", f.rt, bg, f.injected)
	fmt.Printf("BENCH power.%s.uncontrolled_cores%s %.2f cores\n", f.rt, bg, math.Max(0, f.otherCores-f.injected))
	if n := f.windows + f.infeasible + f.surges; n > 0 {
		fmt.Printf("BENCH power.%s.infeasible_windows%s %.1f %%\n", f.rt, bg, 100*float64(f.infeasible)/float64(n))
		fmt.Printf("BENCH power.%s.surge_windows%s %.1f %%\n", f.rt, bg, 100*float64(f.surges)/float64(n))
	}
}

// runSchedule starts a task of app per core, each spinning one core, under
// a running governor as the agent does, takes them through benchSchedule
// while reading the device's power, and waits for them to end, removing
// each from the governor.
func runSchedule(t *testing.T, model power.Model, rt sandbox.Runtime, app sandbox.App, b *burner) *figures {
	iv := benchInterval(rt)
	g, err := New(Config{Model: model, Policy: policy.Policy{Watts: benchSchedule[0].share * model.MaxW}, Interval: iv})
	if err != nil {
		t.Fatal(err)
	}
	meter, err := newPowerMeter(model, rt)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	running := time.Now()
	go func() { g.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()
	writes := &counted{Runtime: rt}
	rt = writes

	// The tasks spin to the schedule's end and a little past it. The half
	// second puts their end, on average, half an interval after the
	// governor's last look at them, as for tasks that end when they will.
	var run time.Duration
	for _, ph := range benchSchedule {
		run += ph.d
	}
	spin := run + 2500*time.Millisecond
	var tasks []sandbox.Task
	for i := range model.Cores {
		task, err := rt.Start(context.Background(), sandbox.Spec{ID: fmt.Sprintf("power-%d", i), App: app,
			Args: []string{"spin", spin.String()}, Limits: sandbox.Limits{CPU: 1, Timeout: spin + time.Minute}})
		if err != nil {
			t.Fatal(err)
		}
		g.Add(task.ID(), rt, 1)
		meter.track(task.ID())
		tasks = append(tasks, task)
	}

	// Each budget arrives half an interval before the governor's next
	// step: the mean wait for one that comes at any time. Phases are timed
	// by the clock, not by counting readings, which a loaded machine
	// delays.
	iv = g.cfg.Interval
	time.Sleep((iv*3/2 - time.Since(running)%iv) % iv)
	head, err := meter.read()
	if err != nil {
		t.Fatal(err)
	}
	tick := time.NewTicker(benchTick)
	defer tick.Stop()
	burnCPU, burnFrom := b.cpu(), time.Now()
	phases := make([][]point, len(benchSchedule))
	for i, ph := range benchSchedule {
		if err := g.SetPolicy(policy.Policy{Watts: ph.share * model.MaxW}); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		for len(phases[i]) == 0 || phases[i][len(phases[i])-1].to.Sub(start) < ph.d-benchTick/2 {
			<-tick.C
			p, err := meter.read()
			if err != nil {
				t.Fatal(err)
			}
			p.gov, p.writes = g.Status().Sample, writes.n.Load()
			phases[i] = append(phases[i], p)
		}
	}
	burnCPU, burnFor := b.cpu()-burnCPU, time.Since(burnFrom)

	f := &figures{withinBy: map[string]float64{}, usedBy: map[string]float64{}, settle: map[string]float64{},
		injected: burnCPU.Seconds() / burnFor.Seconds()}
	var taskCPU time.Duration
	for _, task := range tasks {
		wctx, wcancel := context.WithTimeout(context.Background(), time.Minute)
		res, err := task.Wait(wctx)
		wcancel()
		if err != nil || res.Failure != "" {
			t.Errorf("task %s: %+v, %v", task.ID(), res, err)
		}
		taskCPU += res.CPU
		meter.final(task.ID(), res.CPU)
		f.taskJ += g.Remove(task.ID(), res.CPU) * 3600
		f.agentJ = g.Status().AgentWh * 3600
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

	var all []point
	for i, ph := range benchSchedule {
		f.score(t, rt.Name()+" "+ph.name, ph, phases[i], ph.share*model.MaxW, model, len(tasks))
		all = append(all, phases[i]...)
	}
	for _, p := range append(all, head, tail) {
		above := (p.watts - model.IdleW) * p.dt()
		f.measuredJ += above
		if p.busy > 0 {
			// The tasks' share of the power above idle, by CPU time: what
			// the governor should charge them, whatever else runs.
			f.shareJ += above * math.Min(1, p.work/p.busy)
		}
	}
	// The head and tail are left out: the tasks start and end there.
	avg := mean(all)
	f.otherCores = avg.other()
	// Where a gap between the energies comes from: other work's is no
	// task's, and CPU of the tasks that the governor did not see is energy
	// no task got. (At full frequency: the generic profile's machines
	// rarely tell theirs, and saturating work runs at the top anyway.)
	f.cpuJ = model.PerCoreW() * taskCPU.Seconds()
	t.Logf("energy above idle: tasks %.1f J by the governor; measured %.1f J, the tasks' share by CPU time %.1f J; the tasks' own CPU %.1f J (%v of CPU), other work's about %.1f J, and %.1f J before and %.1f J after the schedule (%v, %v)",
		f.taskJ, f.measuredJ, f.shareJ, f.cpuJ, taskCPU.Round(time.Millisecond), model.PerCoreW()*avg.other()*avg.dur,
		(head.watts-model.IdleW)*head.dt(), (tail.watts-model.IdleW)*tail.dt(),
		head.to.Sub(head.from).Round(time.Millisecond), tail.to.Sub(tail.from).Round(time.Millisecond))
	switch {
	case f.windows == 0 && f.infeasible > 0:
		// Other load alone broke every budget: nothing to score, and not
		// the governor's miss (the figures say so as infeasible_windows).
		t.Logf("every window infeasible beside %.2f cores of other load", f.otherCores)
	case f.windows == 0 || !(f.measuredJ > 0):
		t.Errorf("%d windows scored and %.1f J measured: nothing to report", f.windows, f.measuredJ)
	}
	return f
}

// score adds a phase's windows to f, and logs them: how many are within
// the budget and, for a steady budget, how much of it they used, or for a
// step's leg, how long the power took to settle.
func (f *figures) score(t *testing.T, name string, ph benchPhase, ps []point, budget float64, model power.Model, tasks int) {
	windows, within, infeasible, surges, used := 0, 0, 0, 0, 0.0
	var gap time.Duration
	for i, p := range ps {
		if i > 0 {
			gap = max(gap, p.to.Sub(ps[i-1].to))
		}
	}
	t.Logf("%s: %d readings in %v, at most %v apart", name, len(ps), ps[len(ps)-1].to.Sub(ps[0].from).Round(time.Millisecond), gap.Round(time.Millisecond))
	prev := ps[0].writes
	prevOther := math.NaN()
	for i, k := 0, 0; ; k++ {
		ws := span(ps, i, time.Second)
		if ws == nil {
			break
		}
		i += len(ws)
		w, gov := mean(ws), ws[len(ws)-1].gov
		wrote := ws[len(ws)-1].writes - prev
		prev += wrote
		mark := "skipped"
		// What was feasible beside the other load of this window: the
		// tasks' room is the budget less the other load's power, and the
		// most they can draw is all of their cores.
		other := w.other()
		room := roomFor(model, budget, other)
		feasibleW := feasibleWatts(model, budget, other, tasks)
		// A surge: the other load rose, within this window, by more than
		// the tolerance. The governor acts on what it has measured, so
		// it cannot have made room beforehand; the window is counted
		// apart when it went over, and the next must be within.
		surge := !math.IsNaN(prevOther) && (other-prevOther)*model.PerCoreW() > overTol*budget
		prevOther = other
		over := w.watts > budget*(1+overTol)
		switch {
		case k < skipWindows:
		case room < minShare:
			infeasible++
			mark = "infeasible"
		case over && surge:
			surges++
			mark = "surge"
		default:
			windows++
			mark = "over"
			if !over {
				within++
				mark = "within"
			}
			used += w.watts / feasibleW
		}
		t.Logf("%-9s %2d: %5.2f W of %5.2f W (%3.0f%%, %-7s) tasks %.2f cores, other %.2f; governor's last: %5.2f W, work %.2f, other %.2f, allowed %.2f; %d writes",
			name, k, w.watts, budget, 100*w.watts/budget, mark, w.work, w.other(), gov.Watts, gov.Work, gov.Busy-gov.Work, gov.Allowed, wrote)
	}
	f.infeasible += infeasible
	f.surges += surges
	f.windows += windows
	f.within += within
	switch ph.step {
	case "":
		if windows == 0 {
			t.Logf("phase %s: no feasible window of %d readings (%d infeasible)", name, len(ps), infeasible)
			return
		}
		f.withinBy[ph.name] = 100 * float64(within) / float64(windows)
		f.usedBy[ph.name] = 100 * used / float64(windows)
	case "down":
		// Where other load alone breaks the budget, the tasks are settled
		// once they are held (nearly) still.
		// A surge (other load that rose within the window, see above)
		// does not undo the settling: as in the score, it is counted
		// apart, and the windows after it must be within.
		f.settle[ph.step] = settleTime(t, name, ps, func(w meanPoint, prevOther float64) bool {
			surge := !math.IsNaN(prevOther) && (w.other()-prevOther)*model.PerCoreW() > overTol*budget
			return w.watts <= budget*(1+overTol) || roomFor(model, budget, w.other()) < minShare && w.work < minShare || surge
		})
	case "up":
		f.settle[ph.step] = settleTime(t, name, ps, func(w meanPoint, _ float64) bool {
			return w.watts >= math.Min(budget, feasibleWatts(model, budget, w.other(), tasks))*upFloor
		})
	}
}

// roomFor is how many cores of tasks a budget leaves beside other cores
// of other load: negative when the other load alone breaks it.
func roomFor(model power.Model, budget, other float64) float64 {
	return (budget - model.Watts(math.Min(other, float64(model.Cores)), 1)) / model.PerCoreW()
}

// feasibleWatts is the most the device can draw within the budget beside
// other cores of other load, with tasks tasks of a core each.
func feasibleWatts(model power.Model, budget, other float64, tasks int) float64 {
	return math.Min(budget, model.Watts(math.Min(float64(model.Cores), other+float64(tasks)), 1))
}

// settleTime is how long after the budget changed (the start of ps) the
// power settled, in seconds: the first reading from which on every
// one-second window, back to back to the phase's end, is good. good is
// given the window and the other load of the window before (NaN for the
// first). When none is, it is the whole phase, and the log says so.
func settleTime(t *testing.T, name string, ps []point, good func(w meanPoint, prevOther float64) bool) float64 {
	for s := range ps {
		settled, seen := true, false
		prevOther := math.NaN()
		for i := s; settled; {
			ws := span(ps, i, time.Second)
			if ws == nil {
				break
			}
			w := mean(ws)
			settled, seen = good(w, prevOther), true
			prevOther = w.other()
			i += len(ws)
		}
		if settled && seen {
			d := ps[s].from.Sub(ps[0].from)
			t.Logf("%s: settled after %v", name, d.Round(time.Millisecond))
			return d.Seconds()
		}
	}
	d := ps[len(ps)-1].to.Sub(ps[0].from)
	t.Logf("%s: the power did not settle in %v", name, d.Round(time.Millisecond))
	return d.Seconds()
}

// span is the readings from ps[i] on that cover d, give or take half a
// reading; nil when ps ends sooner.
func span(ps []point, i int, d time.Duration) []point {
	for j := i; j < len(ps); j++ {
		if ps[j].to.Sub(ps[i].from) >= d-benchTick/2 {
			return ps[i : j+1]
		}
	}
	return nil
}

// point is what the benchmark saw between two readings.
type point struct {
	from, to time.Time
	watts    float64 // the device's modeled power
	busy     float64 // cores busy, whatever ran on them
	work     float64 // cores the tasks used
	gov      Sample  // the governor's latest, for the log
	writes   int64   // the governor's writes to the runtime so far, for the log
}

func (p point) dt() float64 { return p.to.Sub(p.from).Seconds() }

// other is how many cores other work kept busy: anything but the tasks,
// the agent (here the test) and containerd's shims included.
func (p point) other() float64 { return math.Max(0, p.busy-p.work) }

// meanPoint is the time-weighted mean of points over dur seconds.
type meanPoint struct {
	point
	dur float64
}

// mean is the time-weighted mean of ps.
func mean(ps []point) meanPoint {
	var m meanPoint
	for _, p := range ps {
		d := p.dt()
		m.watts += p.watts * d
		m.busy += p.busy * d
		m.work += p.work * d
		m.dur += d
	}
	if m.dur > 0 {
		m.watts, m.busy, m.work = m.watts/m.dur, m.busy/m.dur, m.work/m.dur
	}
	return m
}

// powerMeter reads the device's power on its own, with none of the
// governor's bookkeeping: the model applied to what /proc/stat says of
// the CPUs. It also reads the tasks' CPU from their runtime, to tell
// their work from other work.
type powerMeter struct {
	model power.Model
	cpu   sensor.CPUSample
	at    time.Time
	meter sandbox.CPUMeter         // nil when the runtime cannot tell
	used  map[string]time.Duration // each task's CPU at its last reading
	sum   time.Duration            // of used, and of the tasks that ended
	read0 time.Duration            // sum at the last read
}

func newPowerMeter(model power.Model, rt sandbox.Runtime) (*powerMeter, error) {
	m := &powerMeter{model: model, used: map[string]time.Duration{}}
	m.meter, _ = rt.(sandbox.CPUMeter)
	var err error
	m.cpu, err = sensor.ReadCPU("/")
	m.at = time.Now()
	return m, err
}

// track counts the CPU of a task started after the meter from its start.
func (m *powerMeter) track(id string) { m.used[id] = 0 }

// final records the CPU a task reported as it ended: what it used after
// the last reading, which its runtime can no longer tell once the task is
// deleted, belongs to the next reading.
func (m *powerMeter) final(id string, cpu time.Duration) {
	if last, ok := m.used[id]; ok && cpu > last {
		m.sum += cpu - last
		m.used[id] = cpu
	}
	delete(m.used, id)
}

// read is what happened since the previous reading.
func (m *powerMeter) read() (point, error) {
	cpu, err := sensor.ReadCPU("/")
	if err != nil {
		return point{}, err
	}
	now := time.Now()
	before := m.read0
	used := m.taskCPU()
	m.read0 = used
	freq, ok := sensor.Frequency("/")
	if !ok {
		freq = 1
	}
	p := point{from: m.at, to: now, busy: cpu.BusyCores(m.cpu)}
	p.watts = m.model.Watts(p.busy, freq)
	if d := p.dt(); d > 0 {
		p.work = (used - before).Seconds() / d
	}
	m.cpu, m.at = cpu, now
	return p, nil
}

// taskCPU is the CPU the tasks used so far; a task that has ended keeps
// what it had at its last reading.
func (m *powerMeter) taskCPU() time.Duration {
	if m.meter == nil {
		return 0
	}
	for id, last := range m.used {
		if c, ok := m.meter.CPUUsage(id); ok && c > last {
			m.sum += c - last
			m.used[id] = c
		}
	}
	return m.sum
}

// counted counts the governor's writes to a runtime (caps, pauses and
// resumes): each costs some CPU (a runc update for a container), which
// the governor sees as other work. The runtime must be a Throttler, a
// Pauser and a CPUMeter, as both of Hearth's are.
type counted struct {
	sandbox.Runtime
	n atomic.Int64
}

func (c *counted) SetCPU(ctx context.Context, id string, cores float64) error {
	c.n.Add(1)
	return c.Runtime.(sandbox.Throttler).SetCPU(ctx, id, cores)
}

func (c *counted) Pause(ctx context.Context, id string) error {
	c.n.Add(1)
	return c.Runtime.(sandbox.Pauser).Pause(ctx, id)
}

func (c *counted) Resume(ctx context.Context, id string) error {
	c.n.Add(1)
	return c.Runtime.(sandbox.Pauser).Resume(ctx, id)
}

func (c *counted) CPUUsage(id string) (time.Duration, bool) {
	return c.Runtime.(sandbox.CPUMeter).CPUUsage(id)
}

// burnEnv makes the test binary a burner (see TestMain): its value is the
// share of one core to keep busy, or "burst".
const burnEnv = "HEARTH_BURN"

// burnPeriod is the steady burner's duty cycle: busy for level of it,
// asleep for the rest. Short enough that every one of the benchmark's
// readings sees its mean.
const burnPeriod = 20 * time.Millisecond

// burner is a running burner process.
type burner struct{ cmd *exec.Cmd }

// startBurner runs a burner process for w (none for no load) and returns
// it; stop ends it.
func startBurner(t *testing.T, w weather) *burner {
	t.Helper()
	b := &burner{}
	if w.level <= 0 && !w.burst {
		return b
	}
	arg := fmt.Sprintf("%g", w.level)
	if w.burst {
		arg = "burst"
	}
	b.cmd = exec.Command(os.Args[0])
	b.cmd.Env = append(os.Environ(), burnEnv+"="+arg)
	if err := b.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Second) // its load is there before the schedule starts
	t.Cleanup(b.stop)
	return b
}

// cpu is the CPU the burner used so far (0 when unknown or when there is
// no burner).
func (b *burner) cpu() time.Duration {
	if b.cmd == nil || b.cmd.Process == nil {
		return 0
	}
	p, err := process.NewProcess(int32(b.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	ts, err := p.Times()
	if err != nil {
		return 0
	}
	return time.Duration((ts.User + ts.System) * float64(time.Second))
}

// stop ends the burner; a second call does nothing.
func (b *burner) stop() {
	if b.cmd == nil || b.cmd.Process == nil {
		return
	}
	b.cmd.Process.Kill()
	b.cmd.Wait()
	b.cmd = nil
}

// burn keeps level of one core busy, duty-cycled, until it is killed; or,
// for "burst", a whole core busy for 0.3-1.8 s, then idle for 1-3 s, the
// same sequence every run.
func burn(level string) {
	spin := func(d time.Duration) {
		for start := time.Now(); time.Since(start) < d; {
		}
	}
	if level == "burst" {
		r := rand.New(rand.NewPCG(14, 1))
		for {
			spin(300*time.Millisecond + time.Duration(r.Int64N(int64(1500*time.Millisecond))))
			time.Sleep(time.Second + time.Duration(r.Int64N(int64(2*time.Second))))
		}
	}
	l, err := strconv.ParseFloat(level, 64)
	if err != nil || l <= 0 || l > 1 {
		fmt.Fprintf(os.Stderr, "%s=%q: want a share of a core in (0, 1], or burst\n", burnEnv, level)
		os.Exit(2)
	}
	busy := time.Duration(l * float64(burnPeriod))
	for {
		spin(busy)
		time.Sleep(burnPeriod - busy)
	}
}

func (c *counted) InProcess() bool {
	ip, ok := c.Runtime.(sandbox.InProcess)
	return ok && ip.InProcess()
}
