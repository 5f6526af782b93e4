package gateway

import (
	"cmp"
	"maps"
	"math"
	"slices"
	"time"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/internal/identity"
)

// Placement policies (Config.Placement).
const (
	// PlacementSpeed: a device takes a task only when the devices that
	// report a faster speed would not finish the queue before it finished
	// that one task (earliest finish time, in a pull model).
	PlacementSpeed = "speed"
	// PlacementFIFO: the oldest task that fits goes to whichever device
	// asks first (only the power headroom deferral applies).
	PlacementFIFO = "fifo"
)

const (
	// speedMargin is how much sooner the other devices must finish the
	// queue than a device would finish one task for it to hold back: a
	// device only a little slower keeps working, as the estimates are
	// rough.
	speedMargin = 1.25
	// speedRecheck is how often a held-back lease request looks again
	// (slots free up without waking lease requests).
	speedRecheck = 250 * time.Millisecond
	// pollGrace is how long after a device last asked for work (or
	// reported results) its free slots count as ready to take work.
	pollGrace = time.Second
	// A running task past overrun times its expected time, plus
	// overrunGrace, says that the estimate is wrong or the task stuck: its
	// slot is not counted on. Generous, as a busy device's tasks vary.
	overrun      = 4
	overrunGrace = 10 * time.Second
)

// validSpeed reports whether s holds finite, non-negative figures.
func validSpeed(s api.Speed) bool {
	ok := func(f float64) bool { return f >= 0 && !math.IsInf(f, 0) && !math.IsNaN(f) && f < 1e15 }
	return ok(s.WasmOps) && ok(s.NativeOps)
}

// speedOfLocked is how fast a task of runtime rt runs in one of m's slots,
// in kernel iterations a second: the speed m measured, scaled down when
// its power budget allows fewer cores than it has slots; 0 when unknown or
// when m runs nothing now (paused by its budget).
func speedOfLocked(m *member, rt string) float64 {
	s := m.health.Speed.For(rt)
	if p := m.health.Power; s > 0 && p != nil {
		slots := float64(max(m.Node.Slots, 1))
		switch {
		case p.Paused:
			return 0
		case p.AllowedCores > 0 && p.AllowedCores < slots:
			s *= p.AllowedCores / slots
		}
	}
	return s
}

// workLocked is a task of j's expected work in kernel iterations, the mean
// of its finished tasks'; 0 while none has finished on a device of known
// speed.
func (j *job) workLocked() float64 {
	if j.worked == 0 {
		return 0
	}
	return j.work / float64(j.worked)
}

// noteWorkLocked adds a finished task's work to its job's estimate; rt is
// the runtime it ran in.
func (g *Gateway) noteWorkLocked(j *job, node identity.NodeID, rt string, r *api.TaskResult) {
	m := g.members[node]
	if m == nil || r.WallMilli <= 0 {
		return
	}
	if rt == "" { // leased before the gateway restarted
		rt = runtimeFor(&j.Spec, m.Node.Runtimes, m.Node.Platforms)
	}
	if s := m.health.Speed.For(rt); s > 0 {
		j.work += float64(r.WallMilli) / 1000 * s
		j.worked++
	}
}

// speedAllowanceLocked is how many queued tasks of each job device d may
// take now under speed-aware placement: nil sets no limit; a job absent
// from the map has none either; 0 holds the job's tasks back from d. held
// is true when every job d could run is held back from it.
//
// Each job is looked at on its own (jobAllowanceLocked), so that a slow
// device that faster ones would beat to one job's tasks still takes the
// tasks of a later job that only it runs, or that the others would not
// reach in time.
func (g *Gateway) speedAllowanceLocked(d *member, req api.LeaseRequest, now time.Time) (allow map[*job]int, held bool) {
	if g.cfg.Placement == PlacementFIFO {
		return nil, false
	}
	allow = map[*job]int{}
	held = true
	var busy map[identity.NodeID][]*task // built when a faster device needs it
	running := func() map[identity.NodeID][]*task {
		if busy == nil {
			busy = make(map[identity.NodeID][]*task, len(g.members))
			for _, t := range g.leased {
				busy[t.Node] = append(busy[t.Node], t)
			}
		}
		return busy
	}
	// The queue holds runs of one job's tasks: each job is looked at
	// once, at the start of each of its runs.
	var last *job
	runs := false
	for _, t := range g.queue {
		if t.job != last {
			last = t.job
			runs = runtimeFor(&t.job.Spec, req.Runtimes, req.Platforms) != ""
			if _, seen := allow[t.job]; runs && !seen {
				n := g.jobAllowanceLocked(d, req, t.job, running, now)
				allow[t.job] = n
				if n != 0 {
					held = false
				}
			}
		}
		if runs && t.Replica > 0 {
			// A replica is never held back (pickLocked takes it past the
			// allowance): the faster device may be the one that ran its
			// sibling and so cannot take it.
			held = false
		}
	}
	if len(allow) == 0 {
		return nil, false
	}
	return allow, held
}

// jobAllowanceLocked is how many of job j's queued tasks device d may take
// now: 0 holds them back from d, -1 sets no limit.
//
// It asks how many of j's queued tasks the other devices would finish
// within D = W/(s_d·speedMargin), W being j's work per task and s_d d's
// speed: each slot of another device f finishes floor((D - free)·s_f/W) of
// them, free being when the slot frees up (now for a free slot of a device
// that polls; the expected remainder of its task for a busy one). The
// tasks beyond those are d's to take. While W is unknown (no task of j
// finished yet) it is taken as one unit, and a busy slot as busy for a
// whole task. A device that reports no speed is neither held back nor
// counted on.
//
// Only a device with s_f·D >= W can finish one task in time, so the
// devices are looked at fastest first (bySpeedLocked) and the look ends at
// the first too slow: in a pool of devices of one speed, at once.
func (g *Gateway) jobAllowanceLocked(d *member, req api.LeaseRequest, j *job, running func() map[identity.NodeID][]*task, now time.Time) int {
	queued := j.queued()
	spec := &j.Spec
	sd := speedOfLocked(d, runtimeFor(spec, req.Runtimes, req.Platforms))
	if sd <= 0 {
		return -1
	}
	w := j.workLocked()
	known := w > 0
	if !known {
		w = 1
	}
	deadline := w / (sd * speedMargin)

	done := 0 // j's tasks the others finish by the deadline
	order := speedOrderFor(spec)
	for _, f := range g.bySpeedLocked(order) {
		if deadline*order.of(f)/w < 1 {
			break // nor any after it: a free slot would finish nothing
		}
		// A suspect device (late heartbeats) still counts: it may only be
		// busy; once lost it does not, nor one not heard from since the
		// gateway started.
		live := f.state == api.MemberReady || f.state == api.MemberSuspect
		if f == d || f.State == api.MemberPending || !live || f.health.Refusing != "" {
			continue
		}
		rt := runtimeFor(spec, f.Node.Runtimes, f.Node.Platforms)
		if rt == "" {
			continue
		}
		sf := speedOfLocked(f, rt)
		if sf <= 0 {
			continue
		}
		// finishes counts what n slots free at free finish by the
		// deadline; the figures come from agents, so the count is capped
		// before it becomes an int.
		finishes := func(free float64, n int) {
			if free < deadline && n > 0 {
				k := math.Floor((deadline - free) * sf / w)
				done += int(min(k*float64(n), float64(queued)))
			}
		}
		busy := running()[f.ID]
		for _, t := range busy {
			wt, elapsed := t.job.workLocked(), now.Sub(t.LeasedAt).Seconds()
			if !known || wt <= 0 {
				finishes(w/sf, 1)
				continue
			}
			if expect := wt / sf; elapsed < overrun*expect+overrunGrace.Seconds() {
				finishes(max(expect-elapsed, 0), 1)
			}
		}
		if g.pollingLocked(f, now) {
			finishes(0, f.Node.Slots-len(busy))
		}
		if done >= queued {
			return 0
		}
	}
	return queued - done
}

// speedOrder names a speed the members are sorted by: for one runtime
// ("wasm", "oci"), or "" for the fastest of the two.
type speedOrder string

// speedOrderFor is the speed that bounds how fast a task of spec runs on
// a device: its runtime's, or for a prefer-native job (which may run as
// wasm) the faster of the two. speedOfLocked only scales it down.
func speedOrderFor(spec *api.JobSpec) speedOrder {
	if spec.Prefer == api.PreferNative && spec.Runtime != "wasm" {
		return ""
	}
	return speedOrder(spec.Runtime)
}

func (o speedOrder) of(m *member) float64 {
	s := m.health.Speed
	if s == nil || !validSpeed(*s) {
		return 0
	}
	if o == "" {
		return max(s.WasmOps, s.NativeOps)
	}
	return s.For(string(o))
}

// bySpeedLocked lists the members fastest first by o, sorted again only
// after a member came or went or reported another speed
// (speedChangedLocked).
func (g *Gateway) bySpeedLocked(o speedOrder) []*member {
	ms := g.bySpeed[o]
	if ms == nil || len(ms) != len(g.members) {
		if g.bySpeed == nil {
			g.bySpeed = map[speedOrder][]*member{}
		}
		ms = slices.Collect(maps.Values(g.members))
		slices.SortFunc(ms, func(a, b *member) int { return cmp.Compare(o.of(b), o.of(a)) })
		g.bySpeed[o] = ms
	}
	return ms
}

// speedChangedLocked has bySpeedLocked sort the members again.
func (g *Gateway) speedChangedLocked() { clear(g.bySpeed) }

// pollingLocked reports whether m asks for work now or did a moment ago.
func (g *Gateway) pollingLocked(m *member, now time.Time) bool {
	// By the count of its waiting requests, not a scan of them all: this
	// runs for every member at every lease (docs/scale.md).
	return now.Sub(m.polled) < pollGrace || g.waitingBy[m.ID] > 0
}

// runtimeFor is the runtime a task of spec runs in on a device that offers
// runtimes and runs platforms: the job's own when the device has it (and,
// for a job with platforms, runs one of them), else wasm for a
// prefer-native job on a device with wasm; "" when the device cannot run
// it. Resources are pickLocked's to check.
func runtimeFor(spec *api.JobSpec, runtimes, platforms []string) string {
	switch {
	case slices.Contains(runtimes, spec.Runtime) && (len(spec.Platforms) == 0 || runsOne(platforms, spec.Platforms)):
		return spec.Runtime
	case spec.Prefer == api.PreferNative && slices.Contains(runtimes, "wasm"):
		return "wasm"
	}
	return ""
}
