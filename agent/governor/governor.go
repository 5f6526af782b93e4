// Package governor keeps a device within its power budget. Once a second
// it reads how busy the CPUs are, the device's power (a meter's reading,
// or the board's model of the work it runs), its temperature and the
// budget the owner's policy gives now; it then decides how many cores
// Hearth's tasks may use together and shares them out: every task runs
// uncapped while the budget allows, is capped below its limit when it
// does not (containers through their cgroup's CFS quota, wasm tasks
// through the quota of their thread's cgroup), and the newest tasks are
// paused when what is left would give them almost nothing. Nothing is
// ever killed for power: paused tasks resume when the budget returns.
//
// The governor also attributes the power above idle to the tasks by the
// CPU time each used, so that every result carries its energy.
package governor

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"slices"
	"sync"
	"time"

	"github.com/hearth-home/hearth/power"
	"github.com/hearth-home/hearth/power/policy"
	"github.com/hearth-home/hearth/power/sensor"
	"github.com/hearth-home/hearth/sandbox"
)

// Config configures a Governor.
type Config struct {
	// Model is the board's power model.
	Model power.Model
	// Meters measure the device's power, best first; none: the model.
	Meters []sensor.Meter
	// SysRoot prefixes /proc and /sys (tests use fixture trees). Default "/".
	SysRoot string
	// Policy is the owner's budget policy. Default: the device's maximum.
	Policy policy.Policy
	// Interval is how often the governor acts: reads the CPUs and the
	// meter, and sets the tasks' caps. Default 1s: steps of 250 ms settle
	// a budget change within a quarter of a second, but each cap change
	// costs containerd a runc process, and the containers then kept less
	// of their budget (docs/power.md#benchmarks).
	Interval time.Duration
	// SampleEvery is how often the history keeps a sample: the mean of the
	// steps since the last one. Default (and at least) 1s, or Interval
	// when that is longer.
	SampleEvery time.Duration
	// History is how many samples are kept. Default 3600 (an hour of
	// one-second samples).
	History int
	// Logger receives the governor's logs. Default: discarded.
	Logger *slog.Logger
}

// Tuning.
const (
	// minShare is the least CPU worth giving a task: below it the newest
	// tasks are paused so that the others get more, and the agent asks
	// for no work.
	minShare = 0.05
	// minCap is the least cap the oldest task runs at rather than be
	// paused: the kernel's least CFS quota (1 ms in each 100 ms period).
	// A budget that other programs nearly fill still does that much work
	// (the device draws its idle power anyway).
	minCap = 0.01
	// capStep is the least change of a cap worth writing.
	capStep = 0.01
	// margin is the share of the budget kept back: CFS lets a capped task
	// overrun its quota a little at period boundaries.
	margin = 0.02
	// otherDecay is how much of the other load's estimate carries over a
	// second when that load falls (scaled to the step) while it keeps
	// coming back: half, so that a load that comes and goes each second
	// still counts.
	otherDecay = 0.5
	// burstDecay is how much carries over a second when a load that has
	// not come back falls by more than burstFall (a compile or a backup
	// ends): a sixteenth, half in each quick step, so that the tasks get
	// its room back within a second rather than three.
	burstDecay = 1.0 / 16
	// burstFall is the least fall of other load, in cores, that can be a
	// burst's end; smaller ones are the ordinary ups and downs of other
	// programs, followed slowly so that the estimate keeps above them
	// (followed at once, they put containers at 30% of the budget over
	// it in the benchmark). A burst's end leaves the estimate this far
	// above the load, and the rest falls slowly.
	burstFall = 0.1
	// recurWithin is how close the starts of two bursts of other load
	// must come for the load to count as one that comes and goes: a
	// burst that began within five seconds of the one before is held
	// after it ends, since it will likely come back again (in the
	// benchmark's bursty weather, bursts released at once put up to one
	// window in five over budget as the next began); a lone burst is
	// forgotten at its end.
	recurWithin = 5 * time.Second
	// tick is /proc/stat's resolution, in seconds (USER_HZ is 100).
	tick = 0.01
	// DefaultInterval is Config.Interval's default.
	DefaultInterval = time.Second
	// QuickInterval is the step for devices whose caps are cgroup writes
	// (wasm, runc): it halved the windows over budget beside bursty load
	// in the benchmark, and settles a budget change within 0.25-0.6 s.
	QuickInterval = 250 * time.Millisecond
)

// Sample is one interval's reading.
type Sample struct {
	Time time.Time `json:"t"`
	// Watts is the device's power: measured, or modeled.
	Watts float64 `json:"watts"`
	// BudgetW is the budget in force.
	BudgetW float64 `json:"budget_w"`
	// TempC is the hottest thermal zone; NaN when unknown (null in JSON).
	TempC float64 `json:"-"`
	// Busy is how many cores were busy, whatever ran on them.
	Busy float64 `json:"busy"`
	// Work is how many cores Hearth's tasks used.
	Work float64 `json:"work"`
	// Allowed is how many cores the tasks may use after this sample.
	Allowed float64 `json:"allowed"`
}

// Status is what the governor says of the device now.
type Status struct {
	Sample
	// Source says where Watts comes from: a meter's name, or "model <profile>".
	Source   string `json:"source"`
	Measured bool   `json:"measured"`
	// SensorError says why a meter that exists could not be read (the
	// model stands in meanwhile).
	SensorError string  `json:"sensor_error,omitempty"`
	Profile     string  `json:"profile"`
	IdleW       float64 `json:"idle_w"`
	MaxW        float64 `json:"max_w"`
	Paused      bool    `json:"paused"`
	// Reasons explain the budget.
	Reasons []string `json:"reasons,omitempty"`
	// Tasks running, and how many of them are paused.
	Tasks       int `json:"tasks"`
	PausedTasks int `json:"paused_tasks"`
	// Crowded says why the budget leaves no room for tasks when other
	// programs alone use it up (the tasks are paused meanwhile, and the
	// agent asks for no work); empty otherwise.
	Crowded string `json:"crowded,omitempty"`
	// AgentWh is the energy above idle put down to the agent's own work
	// (its process's CPU less its wasm tasks') since the governor
	// started: overhead, charged to no task.
	AgentWh float64 `json:"agent_wh"`
}

// Governor is safe for concurrent use.
type Governor struct {
	cfg Config
	log *slog.Logger

	// stepMu is held by Step and Remove: a step reads and writes the
	// tracked tasks' counters outside mu.
	stepMu sync.Mutex

	mu      sync.Mutex
	policy  policy.Policy
	signals []policy.Signal
	tasks   map[string]*tracked
	prevCPU sensor.CPUSample
	prevAt  time.Time
	correct float64 // integral correction from a meter, in cores
	// other is what other programs keep busy, in cores (the agent's own
	// work is not in it): it follows a rise at once, the end of a lone
	// burst within a second, and any other fall slowly, so that a load
	// that comes and goes does not push the device over its budget each
	// time it comes back.
	other float64
	// dynPerCore is the last step's power above idle per busy core.
	dynPerCore float64
	history    []Sample
	next       int // ring position
	// acc sums the steps since the last history sample, each weighted
	// by its length in seconds.
	acc struct{ dt, watts, busy, work, allowed float64 }
	// decay is otherDecay per step: otherDecay^(Interval in seconds);
	// burst is burstDecay per step.
	decay, burst float64
	// burstAt and prevBurstAt are when the last two bursts of other load
	// (rises of more than burstFall) began (zero: none yet). inBurst says
	// the last has not ended: the load has not come back to within
	// burstFall of base, what it was before, and has not stayed up for
	// recurWithin (a load that stays that long is a new level).
	burstAt, prevBurstAt time.Time
	inBurst              bool
	base                 float64

	status   Status
	warnedAt map[string]time.Time
	// selfCPU is the agent's process CPU at the last step; agentJ the
	// energy above idle put down to its own work so far.
	selfCPU time.Duration
	agentJ  float64
}

// tracked is a running task under the governor.
type tracked struct {
	id      string
	rt      sandbox.Runtime
	want    float64 // cores the task may use at most
	started time.Time
	cpu     time.Duration // CPU used at the last step
	unseen  time.Duration // CPU no step charged: before Add, before the first step
	joules  float64
	cap     float64 // cores given at the last step; NaN: uncapped
	paused  bool
}

// New makes a Governor; Run drives it.
func New(cfg Config) (*Governor, error) {
	if cfg.SysRoot == "" {
		cfg.SysRoot = "/"
	}
	if cfg.Interval <= 0 {
		cfg.Interval = DefaultInterval
	}
	if cfg.SampleEvery <= 0 {
		cfg.SampleEvery = time.Second
	}
	cfg.SampleEvery = max(cfg.SampleEvery, cfg.Interval)
	if cfg.History <= 0 {
		cfg.History = 3600
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Model.Cores == 0 {
		return nil, errors.New("governor: no power model")
	}
	if err := cfg.Policy.Check(cfg.Model.MaxW); err != nil {
		return nil, err
	}
	g := &Governor{cfg: cfg, log: cfg.Logger, decay: math.Pow(otherDecay, cfg.Interval.Seconds()),
		burst: math.Pow(burstDecay, cfg.Interval.Seconds()), policy: cfg.Policy, tasks: map[string]*tracked{},
		warnedAt: map[string]time.Time{}}
	g.status = Status{Profile: cfg.Model.Name, IdleW: cfg.Model.IdleW, MaxW: cfg.Model.MaxW,
		Sample: Sample{BudgetW: cfg.Model.MaxW, TempC: math.NaN(), Allowed: float64(cfg.Model.Cores)}}
	return g, nil
}

// SetPolicy replaces the owner's policy; a bad one is refused and the old
// one stays.
func (g *Governor) SetPolicy(p policy.Policy) error {
	if err := p.Check(g.cfg.Model.MaxW); err != nil {
		return err
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	g.policy = p
	return nil
}

// Policy is the policy in force.
func (g *Governor) Policy() policy.Policy {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.policy
}

// Signal records an external signal (solar surplus, heat demand). A
// signal of the same kind and source replaces the earlier one. Watts are
// not held to ten times the device's maximum, as budgets are: a solar
// surplus measured for the whole house is a cap that does not bind.
func (g *Governor) Signal(s policy.Signal) error {
	if err := s.Check(0); err != nil {
		return err
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	g.signals = slices.DeleteFunc(g.signals, func(o policy.Signal) bool {
		return o.Kind == s.Kind && o.Source == s.Source || o.Expires.Before(time.Now().Add(-time.Hour))
	})
	g.signals = append(g.signals, s)
	return nil
}

// Add puts a started task under the governor; it may use up to cores.
// The task gets the cap the current budget leaves at the next step.
func (g *Governor) Add(id string, rt sandbox.Runtime, cores float64) {
	if !(cores > 0) {
		cores = 1
	}
	if rt.Name() == "wasm" {
		cores = min(cores, 1) // one goroutine
	}
	t := &tracked{id: id, rt: rt, want: cores, started: time.Now(), cap: math.NaN()}
	if m, ok := rt.(sandbox.CPUMeter); ok {
		t.cpu, _ = m.CPUUsage(id)
		t.unseen = t.cpu
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	g.tasks[id] = t
}

// Remove takes a finished task from the governor and returns the energy
// attributed to it in watt-hours. cpu is the task's whole CPU time as its
// result says (0: unknown): what it used since the last step, and before
// the governor first saw it, which no step measured, is charged at the
// last step's power per busy core.
func (g *Governor) Remove(id string, cpu time.Duration) (wh float64) {
	g.stepMu.Lock()
	defer g.stepMu.Unlock()
	g.mu.Lock()
	t := g.tasks[id]
	delete(g.tasks, id)
	delete(g.warnedAt, id)
	perCore := g.dynPerCore
	g.mu.Unlock()
	if t == nil {
		return 0
	}
	if !(perCore > 0) {
		perCore = g.cfg.Model.PerCoreW()
	}
	if tail := cpu - t.cpu; tail > 0 && tail < 10*max(g.cfg.Interval, time.Second) {
		t.unseen += tail
	}
	t.joules += t.unseen.Seconds() * perCore
	return t.joules / 3600
}

// Status is the latest status.
func (g *Governor) Status() Status {
	g.mu.Lock()
	defer g.mu.Unlock()
	s := g.status
	s.Reasons = slices.Clone(s.Reasons)
	return s
}

// History returns the samples taken after since, oldest first.
func (g *Governor) History(since time.Time) []Sample {
	g.mu.Lock()
	defer g.mu.Unlock()
	out := make([]Sample, 0, len(g.history))
	n := len(g.history)
	for i := range n {
		s := g.history[(g.next+i)%n]
		if s.Time.After(since) {
			out = append(out, s)
		}
	}
	return out
}

// Headroom is how many more cores of tasks the budget has room for now:
// the agent leases only work that fits it.
func (g *Governor) Headroom() float64 {
	g.mu.Lock()
	defer g.mu.Unlock()
	used := 0.0
	for _, t := range g.tasks {
		used += t.want
	}
	return math.Max(0, g.status.Allowed-used)
}

// Run steps the governor every Interval until ctx ends, then lifts every
// cap and pause it set, and returns nil.
func (g *Governor) Run(ctx context.Context) error {
	tick := time.NewTicker(g.cfg.Interval)
	defer tick.Stop()
	g.Step(ctx)
	for {
		select {
		case <-ctx.Done():
			g.release()
			return nil
		case <-tick.C:
			g.Step(ctx)
		}
	}
}

// release resumes and uncaps every task.
func (g *Governor) release() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	g.mu.Lock()
	ts := make([]*tracked, 0, len(g.tasks))
	for _, t := range g.tasks {
		ts = append(ts, t)
	}
	g.mu.Unlock()
	for _, t := range ts {
		g.apply(ctx, t, t.want, false)
	}
}

// Step takes one reading and acts on it, and returns the reading; the
// history keeps the mean of the steps once a second (SampleEvery).
func (g *Governor) Step(ctx context.Context) Sample {
	g.stepMu.Lock()
	defer g.stepMu.Unlock()
	now := time.Now()
	cpu, cpuErr := sensor.ReadCPU(g.cfg.SysRoot)
	freq, ok := sensor.Frequency(g.cfg.SysRoot)
	if !ok {
		freq = 1
	}
	temp, _, tempErr := sensor.Temperature(g.cfg.SysRoot)
	if tempErr != nil {
		temp = math.NaN()
	}
	measured, meterName, meterErr := g.readMeter()
	self, selfOK := processCPU()

	g.mu.Lock()
	dt := now.Sub(g.prevAt).Seconds()
	first := g.prevAt.IsZero()
	busy := 0.0
	if cpuErr == nil && !first {
		busy = cpu.BusyCores(g.prevCPU)
	}
	if cpuErr == nil {
		g.prevCPU = cpu
	}
	g.prevAt = now
	ts := make([]*tracked, 0, len(g.tasks))
	for _, t := range g.tasks {
		ts = append(ts, t)
	}
	slices.SortFunc(ts, func(a, b *tracked) int { return a.started.Compare(b.started) })
	pol, signals := g.policy, slices.Clone(g.signals)
	g.mu.Unlock()

	// What each task used since the last step; of that, what ran inside
	// the agent's own process.
	used := make([]float64, len(ts))
	work, inProcess := 0.0, 0.0
	for i, t := range ts {
		m, ok := t.rt.(sandbox.CPUMeter)
		if !ok {
			continue
		}
		c, ok := m.CPUUsage(t.id)
		if !ok {
			continue
		}
		if c > t.cpu && (first || dt <= 0) {
			t.unseen += c - t.cpu
		} else if c > t.cpu {
			used[i] = (c - t.cpu).Seconds()
			work += used[i] / dt
			if ip, ok := t.rt.(sandbox.InProcess); ok && ip.InProcess() {
				inProcess += used[i]
			}
		}
		t.cpu = c
	}
	busy = math.Max(busy, work) // counters read a moment apart

	model := g.cfg.Model
	watts := model.Watts(busy, freq)
	source := "model " + model.Name
	if meterName != "" {
		watts, source = measured, meterName
	}
	b := pol.Evaluate(policy.Inputs{Now: now, MaxW: model.MaxW, IdleW: model.IdleW, TempC: temp, Signals: signals})

	// Energy: the power above idle, shared by CPU time among the tasks,
	// the agent's own work and everything else.
	// own is the agent's own work since the last step, in cores: its
	// process's CPU less its wasm tasks'.
	own := 0.0
	if selfOK && !first && dt > 0 && self > g.selfCPU {
		own = math.Max(0, (self-g.selfCPU).Seconds()-inProcess) / dt
	}
	dynPerCore := 0.0
	agentJ := 0.0
	if !first && dt > 0 && busy > 0 {
		dynPerCore = math.Max(0, watts-model.IdleW) / busy
		for i, t := range ts {
			t.joules += dynPerCore * used[i]
		}
		agentJ = dynPerCore * own * dt
	}

	// Cores the tasks may use: what the budget leaves after idle and after
	// what else runs on the device, at this frequency.
	g.mu.Lock()
	if dynPerCore > 0 {
		g.dynPerCore = dynPerCore
	}
	if selfOK {
		g.selfCPU = self
	}
	g.agentJ += agentJ
	agentWh := g.agentJ / 3600
	// Other programs' load. A rise beyond what /proc/stat's 10 ms ticks
	// can blur in one step is followed at once; a smaller one is
	// averaged, so that the tick noise of quick steps does not bias the
	// estimate upwards. The end of a lone burst (the load back to within
	// burstFall of what it was before, with no other burst in the
	// recurWithin before it began: a compile, a backup that ended), and a
	// fall of more than burstFall of a load that had stayed up, are
	// followed within a second, down to burstFall above the load; any
	// other fall by otherDecay a second, so that a load that comes and
	// goes is not given to the tasks in each of its pauses, nor a dip
	// within a burst. The agent's own work is measured, not guessed: it
	// counts as it was in the last step, so that a burst of it
	// (compiling a module, starting tasks) stops holding the tasks back
	// as soon as it ends.
	now1 := math.Max(0, busy-work-own)
	noise := float64(g.cfg.Model.Cores) * tick / g.cfg.Interval.Seconds()
	if g.inBurst && (now1 < g.base+burstFall || now.Sub(g.burstAt) > recurWithin) {
		g.inBurst = false
	}
	recurs := !g.prevBurstAt.IsZero() && g.burstAt.Sub(g.prevBurstAt) <= recurWithin
	switch {
	case now1 > g.other+noise:
		if now1 > g.other+burstFall && !g.inBurst { // a burst, not the ups and downs of other programs
			g.prevBurstAt, g.burstAt, g.base, g.inBurst = g.burstAt, now, g.other, true
		}
		g.other = now1
	case now1 < g.other-math.Max(noise, burstFall) && !g.inBurst && !recurs:
		g.other = math.Max(g.burst*g.other+(1-g.burst)*now1, now1+burstFall)
	default:
		g.other = g.decay*g.other + (1-g.decay)*now1
	}
	other := g.other + math.Min(own, math.Max(0, busy-work))
	g.mu.Unlock()
	perCore := model.PerCoreW() * freq
	allowed := 0.0
	crowded := ""
	if !b.Paused && perCore > 0 {
		room := (b.Watts*(1-margin) - model.IdleW) / perCore
		allowed = room - other
		if allowed < minShare && b.Watts < model.MaxW {
			crowded = fmt.Sprintf("other programs use %.2f cores, and the %.1f W budget leaves room for %.2f", other, b.Watts, math.Max(0, room))
		}
	}
	g.mu.Lock()
	if meterName != "" && !first && !b.Paused {
		// A meter sees what the model cannot: correct slowly towards it.
		g.correct = clampf(g.correct+0.5*(b.Watts-watts)/perCore, -float64(model.Cores), float64(model.Cores))
		allowed += g.correct
	} else {
		g.correct = 0
	}
	g.mu.Unlock()
	allowed = clampf(allowed, 0, float64(model.Cores))
	if !b.Paused && b.Watts >= model.MaxW {
		// No limit in force: the device may draw all it can, whatever
		// else runs on it.
		allowed = float64(model.Cores)
	}

	caps, paused := share(ts, allowed)
	for i, t := range ts {
		g.apply(ctx, t, caps[i], paused[i])
	}

	s := Sample{Time: now, Watts: watts, BudgetW: b.Watts, TempC: temp, Busy: busy, Work: work, Allowed: allowed}
	st := Status{Sample: s, Source: source, Measured: meterName != "", Profile: model.Name,
		IdleW: model.IdleW, MaxW: model.MaxW, Paused: b.Paused, Reasons: b.Reasons, Tasks: len(ts), Crowded: crowded, AgentWh: agentWh}
	if meterErr != nil {
		st.SensorError = meterErr.Error()
	}
	for _, p := range paused {
		if p {
			st.PausedTasks++
		}
	}
	g.mu.Lock()
	if !first && dt > 0 {
		a := &g.acc
		a.dt += dt
		a.watts += watts * dt
		a.busy += busy * dt
		a.work += work * dt
		a.allowed += allowed * dt
		// A sample once SampleEvery has passed, give or take half a step.
		if a.dt >= (g.cfg.SampleEvery - g.cfg.Interval/2).Seconds() {
			h := Sample{Time: now, Watts: a.watts / a.dt, BudgetW: b.Watts, TempC: temp,
				Busy: a.busy / a.dt, Work: a.work / a.dt, Allowed: a.allowed / a.dt}
			if len(g.history) < g.cfg.History {
				g.history = append(g.history, h)
			} else {
				g.history[g.next] = h
				g.next = (g.next + 1) % len(g.history)
			}
			*a = struct{ dt, watts, busy, work, allowed float64 }{}
		}
	}
	g.status = st
	g.mu.Unlock()
	return s
}

// readMeter reads the first meter that answers. A meter that fails is
// reported (the model stands in) but tried again next time.
func (g *Governor) readMeter() (float64, string, error) {
	var errs []error
	for _, m := range g.cfg.Meters {
		w, err := m.Watts()
		if err == nil {
			return w, m.Name(), nil
		}
		if !errors.Is(err, sensor.ErrNotReady) {
			errs = append(errs, fmt.Errorf("%s: %w", m.Name(), err))
		}
	}
	return 0, "", errors.Join(errs...)
}

// share divides allowed cores among tasks, oldest first: every task gets
// all it may use when they fit; otherwise each gets a share in proportion
// to what it may use, and while the newest would get less than minShare
// it is paused instead. The oldest, left alone, runs at what is allowed
// down to minCap.
func share(ts []*tracked, allowed float64) (caps []float64, paused []bool) {
	caps = make([]float64, len(ts))
	paused = make([]bool, len(ts))
	n := len(ts)
	for n > 0 {
		want := 0.0
		for _, t := range ts[:n] {
			want += t.want
		}
		if want <= allowed {
			for i, t := range ts[:n] {
				caps[i] = t.want
			}
			break
		}
		if allowed*ts[n-1].want/want >= minShare || n == 1 && allowed >= minCap {
			for i, t := range ts[:n] {
				caps[i] = allowed * t.want / want
			}
			break
		}
		n--
		paused[n] = true
	}
	return caps, paused
}

// apply gives a task its cap, pausing or resuming it as needed, and
// writes only what changed.
func (g *Governor) apply(ctx context.Context, t *tracked, cores float64, pause bool) {
	if pause && !t.paused {
		if p, ok := t.rt.(sandbox.Pauser); ok {
			if err := p.Pause(ctx, t.id); err != nil {
				g.warn(t.id, "pausing a task", err)
				return
			}
			t.paused = true
			g.log.Info("task paused for power", "task", t.id)
		}
		return
	}
	if pause {
		return
	}
	uncapped := cores >= t.want
	if uncapped {
		cores = t.want
	}
	if th, ok := t.rt.(sandbox.Throttler); ok {
		changed := math.IsNaN(t.cap) && !uncapped ||
			!math.IsNaN(t.cap) && (uncapped || math.Abs(cores-t.cap) >= capStep)
		if changed {
			if err := th.SetCPU(ctx, t.id, cores); err != nil && !errors.Is(err, sandbox.ErrNotFound) {
				g.warn(t.id, "capping a task's CPU", err)
			} else if uncapped {
				t.cap = math.NaN()
			} else {
				t.cap = cores
			}
		}
	}
	if t.paused {
		if p, ok := t.rt.(sandbox.Pauser); ok {
			if err := p.Resume(ctx, t.id); err != nil && !errors.Is(err, sandbox.ErrNotFound) {
				g.warn(t.id, "resuming a task", err)
				return
			}
		}
		t.paused = false
		g.log.Info("task resumed", "task", t.id)
	}
}

// warn logs a failure once a minute per task.
func (g *Governor) warn(id, what string, err error) {
	g.mu.Lock()
	last := g.warnedAt[id]
	if time.Since(last) < time.Minute {
		g.mu.Unlock()
		return
	}
	g.warnedAt[id] = time.Now()
	g.mu.Unlock()
	g.log.Warn(what, "task", id, "err", err)
}

func clampf(x, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, x)) }
