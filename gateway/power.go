package gateway

import (
	"cmp"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/internal/identity"
	"github.com/hearth-home/hearth/power/policy"
	"github.com/hearth-home/hearth/store"
)

// The gateway's part of power budgets: the owner's budgets (per device,
// and a pool total shared out among the ready devices), signals posted to
// the gateway, the devices' one-second samples of the last hour, and
// energy per device and day. Agents do the enforcing; the gateway tells
// them, in each heartbeat's answer, what the owner asked.

const (
	bucketEnergy = "energy" // day + "/" + node ID -> energyRecord
	keyPoolTotal = "power_total_w"

	// historySpan is how much of the devices' samples the gateway keeps.
	historySpan = time.Hour
)

// powerState is guarded by Gateway.mu.
type powerState struct {
	totalW float64 // the pool's total; 0: none
	// signals posted for one device, and for the pool (shared out).
	signals map[identity.NodeID][]policy.Signal
	pool    []policy.Signal
	recent  map[identity.NodeID]*secondsAcc // the minute that runs (power_seconds.go)
	// signalLog is the signals' state at each change, for the last
	// historySpan (and the one in force at its start).
	signalLog []api.SignalPoint
	minutes   map[identity.NodeID]*minuteAcc // the minute that runs (power_minutes.go)
	// readyVer counts changes to what the pool's watts are shared out by;
	// shares holds the splits made at one count (sharesLocked).
	readyVer uint64
	shares   shareCache
}

// energyRecord is one device's energy on one day.
type energyRecord struct {
	TaskWh   float64 `json:"task_wh"`
	Tasks    int     `json:"tasks"`
	DeviceWh float64 `json:"device_wh"`
	SampleS  int     `json:"sample_s"`
}

func dayOf(t time.Time) string { return t.Local().Format("2006-01-02") }

func energyKey(day string, node identity.NodeID) string { return day + "/" + node.String() }

func (g *Gateway) loadPower(tx *store.Tx) error {
	g.power = powerState{signals: map[identity.NodeID][]policy.Signal{}}
	if raw := tx.Get(bucketMeta, keyPoolTotal); raw != nil {
		if _, err := fmt.Sscan(string(raw), &g.power.totalW); err != nil {
			return fmt.Errorf("gateway: stored pool total %q: %w", raw, err)
		}
	}
	return nil
}

// findMemberLocked finds a member by its ID, a unique prefix of it (at
// least seven characters) or its unique name.
func (g *Gateway) findMemberLocked(ref string) (*member, error) {
	var found []*member
	for _, m := range g.members {
		if m.ID.Matches(ref) || ref != "" && m.Node.Name == ref {
			found = append(found, m)
		}
	}
	switch {
	case len(found) > 1:
		return nil, fmt.Errorf("%w: %q matches %d nodes; give more of the ID", ErrAmbiguousMember, ref, len(found))
	case len(found) == 0:
		return nil, fmt.Errorf("%w: %q (see `hearth pool ls`; give a name or at least 7 characters of the ID)", ErrUnknownMember, ref)
	}
	return found[0], nil
}

// maxW is what the member says its maximum draw is; 0 when unknown.
func (m *member) maxW() float64 {
	if p := m.health.Power; p != nil {
		return p.MaxW
	}
	return 0
}

// setBudget sets or clears a device's budget or the pool's total.
func (g *Gateway) setBudget(req api.BudgetRequest) (api.Budgets, error) {
	if req.Device == "" {
		total := 0.0
		if p := req.Policy; p != nil {
			if p.Schedule != "" || p.SoftC != 0 || p.HardC != 0 {
				return api.Budgets{}, fmt.Errorf("%w: a pool total is a number of watts; schedules and temperatures are set per device", policy.ErrBadPolicy)
			}
			if err := policy.CheckWatts(p.Watts, 0); err != nil {
				return api.Budgets{}, fmt.Errorf("%w: pool total: %w", policy.ErrBadPolicy, err)
			}
			total = p.Watts
		}
		if err := g.db.Update(func(tx *store.Tx) error {
			if total == 0 {
				return tx.Delete(bucketMeta, keyPoolTotal)
			}
			return tx.Put(bucketMeta, keyPoolTotal, []byte(fmt.Sprint(total)))
		}); err != nil {
			return api.Budgets{}, err
		}
		g.mu.Lock()
		g.power.totalW = total
		g.mu.Unlock()
		g.log.Info("pool power total set by owner", "watts", total)
		return g.budgets(), nil
	}
	g.mu.Lock()
	m, err := g.findMemberLocked(req.Device)
	if err == nil && req.Policy != nil {
		err = req.Policy.Check(m.maxW())
	}
	if err != nil {
		g.mu.Unlock()
		return api.Budgets{}, err
	}
	if req.Policy != nil {
		p := *req.Policy
		m.Budget = &p
	} else {
		m.Budget = nil
	}
	rec := m.snapshot()
	g.mu.Unlock()
	if err := g.db.Update(func(tx *store.Tx) error { return putMember(tx, rec) }); err != nil {
		return api.Budgets{}, err
	}
	g.log.Info("device power budget set by owner", "node", rec.ID.Short(), "name", rec.Node.Name, "policy", rec.Budget)
	return g.budgets(), nil
}

func (g *Gateway) budgets() api.Budgets {
	g.mu.Lock()
	defer g.mu.Unlock()
	b := api.Budgets{TotalW: g.power.totalW}
	for id, m := range g.members {
		if m.Budget != nil {
			if b.Devices == nil {
				b.Devices = map[string]policy.Policy{}
			}
			b.Devices[id.String()] = *m.Budget
		}
	}
	return b
}

// signal records a signal for a device or the pool.
func (g *Gateway) signal(req api.SignalRequest) error {
	now := time.Now()
	g.mu.Lock()
	defer g.mu.Unlock()
	if req.Device == "" {
		s, err := req.Signal(now)
		if err != nil {
			return err
		}
		g.power.pool = replaceSignal(g.power.pool, s, now)
		g.noteSignalsLocked(now)
		g.log.Info("pool power signal", "kind", s.Kind, "watts", s.Watts, "demand", s.Demand, "source", s.Source, "expires", s.Expires.Format(time.TimeOnly))
		return nil
	}
	m, err := g.findMemberLocked(req.Device)
	if err != nil {
		return err
	}
	s, err := req.Signal(now)
	if err != nil {
		return err
	}
	g.power.signals[m.ID] = replaceSignal(g.power.signals[m.ID], s, now)
	g.noteSignalsLocked(now)
	g.log.Info("device power signal", "node", m.ID.Short(), "kind", s.Kind, "watts", s.Watts, "demand", s.Demand, "source", s.Source)
	return nil
}

// signalPointLocked is the state of the signals that hold at now.
func (g *Gateway) signalPointLocked(now time.Time) api.SignalPoint {
	p := api.SignalPoint{T: now}
	add := func(s policy.Signal) {
		if !now.Before(s.Expires) {
			return
		}
		switch s.Kind {
		case policy.KindSolar:
			w := s.Watts
			if p.SolarW != nil {
				w += *p.SolarW
			}
			p.SolarW = &w
		case policy.KindHeat:
			if p.Heat == nil || s.Demand > *p.Heat {
				d := s.Demand
				p.Heat = &d
			}
		}
	}
	for _, s := range g.power.pool {
		add(s)
	}
	for _, ss := range g.power.signals {
		for _, s := range ss {
			add(s)
		}
	}
	return p
}

// noteSignalsLocked logs the signals' state when it changed since the last
// note (a signal posted, or one that expired: heartbeats note that), and
// forgets what is older than the history kept.
func (g *Gateway) noteSignalsLocked(now time.Time) {
	p := g.signalPointLocked(now)
	log := g.power.signalLog
	same := func(a, b *float64) bool { return a == nil && b == nil || a != nil && b != nil && *a == *b }
	if n := len(log); n > 0 && same(log[n-1].SolarW, p.SolarW) && same(log[n-1].Heat, p.Heat) || n == 0 && p.SolarW == nil && p.Heat == nil {
		return
	}
	log = append(log, p)
	cut := 0
	for cut+1 < len(log) && !log[cut+1].T.After(now.Add(-historySpan)) {
		cut++
	}
	g.power.signalLog = slices.Clip(log[cut:])
}

// signalsSince is the signals' steps from since on, the first clamped to
// since; none when no signal was posted in the history kept.
func (g *Gateway) signalsSinceLocked(since time.Time) []api.SignalPoint {
	log := g.power.signalLog
	i, _ := slices.BinarySearchFunc(log, since, func(p api.SignalPoint, t time.Time) int { return p.T.Compare(t) })
	var out []api.SignalPoint
	if i > 0 && (i == len(log) || log[i].T.After(since)) {
		first := log[i-1]
		first.T = since
		out = append(out, first)
	}
	return append(out, log[i:]...)
}

// replaceSignal adds s in place of the signal of the same kind and source,
// and drops expired ones.
func replaceSignal(ss []policy.Signal, s policy.Signal, now time.Time) []policy.Signal {
	ss = slices.DeleteFunc(ss, func(o policy.Signal) bool {
		return o.Kind == s.Kind && o.Source == s.Source || !now.Before(o.Expires)
	})
	return append(ss, s)
}

// sharesLocked is total shared out (policy.Split) over the ready members
// that report power; ok is false when it cannot be. The split is kept
// until the members' readiness or power ranges change (readyChangedLocked)
// and worked out at most once per total, not at every heartbeat.
func (g *Gateway) sharesLocked(total float64) (map[identity.NodeID]float64, bool) {
	c := &g.power.shares
	// A few totals at once (the pool's, a solar signal's): past that the
	// solar figure moves, and the old splits go.
	if c.ver != g.power.readyVer || c.byTotal == nil || len(c.byTotal) > 8 {
		*c = shareCache{ver: g.power.readyVer, byTotal: map[float64]map[identity.NodeID]float64{}}
	}
	if got, ok := c.byTotal[total]; ok {
		return got, got != nil
	}
	type ready struct {
		m  *member
		id string
	}
	var rs []ready
	for _, m := range g.members {
		if m.state == api.MemberReady && m.memberRecord.State != api.MemberPending && m.health.Power != nil {
			rs = append(rs, ready{m, m.ID.String()})
		}
	}
	slices.SortFunc(rs, func(a, b ready) int { return strings.Compare(a.id, b.id) })
	shares := make([]policy.Share, len(rs))
	for i, r := range rs {
		p := r.m.health.Power
		shares[i] = policy.Share{ID: r.id, IdleW: p.IdleW, MaxW: p.MaxW}
	}
	split, err := policy.Split(total, shares)
	if err != nil {
		g.log.Warn("sharing out the pool's watts", "err", err)
		c.byTotal[total] = nil
		return nil, false
	}
	got := make(map[identity.NodeID]float64, len(rs))
	for _, r := range rs {
		got[r.m.ID] = split[r.id]
	}
	c.byTotal[total] = got
	return got, true
}

// shareCache holds sharesLocked's splits, by total, for readyVer ver.
type shareCache struct {
	ver     uint64
	byTotal map[float64]map[identity.NodeID]float64 // nil value: Split failed
}

// readyChangedLocked says that a member's readiness or power range may
// have changed: the pool's watts are shared out again.
func (g *Gateway) readyChangedLocked() { g.power.readyVer++ }

// shareKey is what of m sharesLocked depends on.
type shareKey struct {
	state, paired api.MemberState
	power         bool
	idleW, maxW   float64
}

func shareKeyOf(m *member) shareKey {
	k := shareKey{state: m.state, paired: m.memberRecord.State}
	if p := m.health.Power; p != nil {
		k.power, k.idleW, k.maxW = true, p.IdleW, p.MaxW
	}
	return k
}

// controlLocked is what the owner asks of m's governor now: its own
// budget, its share of the pool's total, and the signals for it.
func (g *Gateway) controlLocked(m *member, now time.Time) *api.PowerControl {
	c := &api.PowerControl{Policy: m.Budget}
	for _, s := range g.power.signals[m.ID] {
		if now.Before(s.Expires) {
			c.Signals = append(c.Signals, s)
		}
	}
	// A share lasts a few heartbeats: a device that loses its gateway
	// falls back to its own budget rather than keep an old share.
	shareTTL := 3 * g.cfg.Heartbeat
	split := func(total float64) (float64, bool) {
		got, ok := g.sharesLocked(total)
		if !ok {
			return 0, false
		}
		w, ok := got[m.ID]
		return w, ok
	}
	if g.power.totalW > 0 {
		if w, ok := split(g.power.totalW); ok {
			c.Signals = append(c.Signals, policy.Signal{Kind: policy.KindShare, Watts: w, Expires: now.Add(shareTTL), Source: "pool total"})
		}
	}
	for _, s := range g.power.pool {
		if !now.Before(s.Expires) {
			continue
		}
		if s.Kind == policy.KindSolar {
			w, ok := split(s.Watts)
			if !ok {
				continue
			}
			s.Watts = w
		}
		s.Source = strings.TrimSpace("pool " + s.Source)
		c.Signals = append(c.Signals, s)
	}
	if c.Policy == nil && len(c.Signals) == 0 {
		return nil
	}
	return c
}

// recordSamples keeps a heartbeat's samples, corrected for the agent's
// clock, and returns the energy they add to the device's days and the
// minutes they end (for the minute tier). Samples less than half a second
// after the last kept one (sent again, in a heartbeat whose answer was
// lost) and nonsense values are dropped.
func (g *Gateway) recordSamplesLocked(m *member, hb api.Heartbeat, now time.Time) (map[string]energyRecord, []api.PowerSample, [][]api.PowerSample) {
	if len(hb.Samples) == 0 {
		return nil, nil, nil
	}
	skew := time.Duration(0)
	if !hb.SentAt.IsZero() {
		skew = now.Sub(hb.SentAt)
	}
	last := g.lastSampleLocked(m.ID)
	add := map[string]energyRecord{}
	var minutes []api.PowerSample
	var seconds [][]api.PowerSample
	samples := hb.Samples
	if len(samples) > api.MaxHeartbeatSamples {
		samples = samples[len(samples)-api.MaxHeartbeatSamples:]
	}
	for _, s := range samples {
		s.T = s.T.Add(skew)
		// A sample sent again comes back shifted by the difference
		// between the two heartbeats' corrections: milliseconds.
		if !last.IsZero() && s.T.Before(last.Add(time.Second/2)) || s.T.After(now.Add(time.Minute)) || !finite(s.Watts, s.BudgetW, s.Busy, s.Work) || s.Watts < 0 {
			continue
		}
		dt := time.Second
		if !last.IsZero() {
			dt = min(s.T.Sub(last), 2*time.Second)
		}
		day := dayOf(s.T)
		e := add[day]
		e.DeviceWh += s.Watts * dt.Hours()
		e.SampleS++
		add[day] = e
		last = s.T
		if done := g.addSecondLocked(m.ID, s); len(done) > 0 {
			seconds = append(seconds, done)
		}
		if done, ok := g.minuteOfLocked(m.ID, s); ok {
			minutes = append(minutes, done)
		}
	}
	g.noteSignalsLocked(now)
	return add, minutes, seconds
}

func finite(xs ...float64) bool {
	for _, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
	}
	return true
}

// addEnergy adds to node's energy by day and to its ended minutes. They
// are kept in memory and stored together every energyFlushEvery
// (flushEnergy), not at every heartbeat or result: a pool of thousands
// would otherwise write to disk thousands of times a second. A crash
// loses at most that long of the day's sums and minutes; the samples of
// the last hour are in memory anyway.
func (g *Gateway) addEnergy(node identity.NodeID, add map[string]energyRecord, minutes []api.PowerSample, seconds [][]api.PowerSample) {
	if len(add) == 0 && len(minutes) == 0 && len(seconds) == 0 {
		return
	}
	b := &g.energyBuf
	b.mu.Lock()
	defer b.mu.Unlock()
	b.init()
	for day, a := range add {
		key := energyKey(day, node)
		b.days[key] = b.days[key].plus(a)
	}
	if len(minutes) > 0 {
		b.minutes[node] = append(b.minutes[node], minutes...)
	}
	if len(seconds) > 0 {
		b.seconds[node] = append(b.seconds[node], seconds...)
	}
}

// energyFlushEvery is how often the energy kept in memory is stored.
const energyFlushEvery = 5 * time.Second

// energyBuf is the energy and minutes not stored yet (addEnergy).
type energyBuf struct {
	mu      sync.Mutex
	days    map[string]energyRecord // by energyKey: to add to the stored
	minutes map[identity.NodeID][]api.PowerSample
	seconds map[identity.NodeID][][]api.PowerSample // ended minutes of the seconds tier
	// flushing serializes flushes, so that one that failed and puts its
	// sums back cannot interleave with the next.
	flushing sync.Mutex
}

func (b *energyBuf) init() {
	if b.days == nil {
		b.days, b.minutes, b.seconds = map[string]energyRecord{}, map[identity.NodeID][]api.PowerSample{}, map[identity.NodeID][][]api.PowerSample{}
	}
}

// putSome stores up to room entries of m with put and returns their keys.
func putSome[K comparable, V any](m map[K]V, room int, put func(K, V) error) ([]K, error) {
	var done []K
	for k, v := range m {
		if len(done) == room {
			break
		}
		if err := put(k, v); err != nil {
			return nil, err
		}
		done = append(done, k)
	}
	return done, nil
}

// forget deletes keys from m.
func forget[K comparable, V any](m map[K]V, keys []K) {
	for _, k := range keys {
		delete(m, k)
	}
}

func (e energyRecord) plus(a energyRecord) energyRecord {
	e.TaskWh += a.TaskWh
	e.Tasks += a.Tasks
	e.DeviceWh += a.DeviceWh
	e.SampleS += a.SampleS
	return e
}

// flushEnergy stores the energy and minutes kept in memory, in
// transactions of flushChunk devices each. When a write fails, what it and
// the later ones would have stored is put back, to be stored with the next.
func (g *Gateway) flushEnergy() error {
	b := &g.energyBuf
	b.flushing.Lock()
	defer b.flushing.Unlock()
	b.mu.Lock()
	days, minutes, seconds := b.days, b.minutes, b.seconds
	b.days, b.minutes, b.seconds = nil, nil, nil
	b.mu.Unlock()
	if len(days) == 0 && len(minutes) == 0 && len(seconds) == 0 {
		return nil
	}
	now := time.Now()
	var err error
	for err == nil && len(days)+len(minutes)+len(seconds) > 0 {
		// A few hundred devices a transaction: bbolt has one writer, and
		// leases and submissions wait behind it (at 3,000 devices one
		// transaction for all held it for a tenth of a second or more).
		var doneM, doneS []identity.NodeID
		var doneD []string
		err = g.db.Update(func(tx *store.Tx) error {
			var err error
			doneM, err = putSome(minutes, flushChunk, func(node identity.NodeID, ms []api.PowerSample) error {
				return putMinutes(tx, node, ms, now)
			})
			if err != nil {
				return err
			}
			doneS, err = putSome(seconds, flushChunk-len(doneM), func(node identity.NodeID, ss [][]api.PowerSample) error {
				return putSeconds(tx, node, ss, now)
			})
			if err != nil {
				return err
			}
			doneD, err = putSome(days, flushChunk-len(doneM)-len(doneS), func(key string, a energyRecord) error {
				var e energyRecord
				if _, err := tx.GetJSON(bucketEnergy, key, &e); err != nil {
					return err
				}
				return tx.PutJSON(bucketEnergy, key, e.plus(a))
			})
			return err
		})
		if err == nil { // stored: what is left is for the next transaction
			forget(minutes, doneM)
			forget(seconds, doneS)
			forget(days, doneD)
		}
	}
	if err != nil {
		b.mu.Lock()
		b.init()
		for key, a := range days {
			b.days[key] = a.plus(b.days[key])
		}
		for node, ms := range minutes {
			b.minutes[node] = append(ms, b.minutes[node]...)
		}
		for node, ss := range seconds {
			b.seconds[node] = append(ss, b.seconds[node]...)
		}
		b.mu.Unlock()
	}
	return err
}

// flushChunk is how many devices' (or device-days') records one
// transaction of flushEnergy writes.
const flushChunk = 256

// energy lists energy per device and day for the last days days, oldest
// day first.
func (g *Gateway) energy(days int) ([]api.EnergyDay, error) {
	if days <= 0 || days > 3660 {
		return nil, fmt.Errorf("%w: days %d: want 1 to 3660", ErrBadRequest, days)
	}
	first := dayOf(time.Now().AddDate(0, 0, -(days - 1)))
	if err := g.flushEnergy(); err != nil {
		return nil, err
	}
	var out []api.EnergyDay
	err := g.db.View(func(tx *store.Tx) error {
		return tx.Scan(bucketEnergy, "", func(key string, v []byte) error {
			day, node, _ := strings.Cut(key, "/")
			if day < first {
				return nil
			}
			var e energyRecord
			if err := json.Unmarshal(v, &e); err != nil {
				return fmt.Errorf("energy record %s: %w", key, err)
			}
			out = append(out, api.EnergyDay{Day: day, Node: node, TaskWh: e.TaskWh, Tasks: e.Tasks, DeviceWh: e.DeviceWh, SampleS: e.SampleS})
			return nil
		})
	})
	g.mu.Lock()
	for i := range out {
		if id, err := identity.ParseNodeID(out[i].Node); err == nil && g.members[id] != nil {
			out[i].Name = g.members[id].Node.Name
		}
	}
	g.mu.Unlock()
	slices.SortStableFunc(out, func(a, b api.EnergyDay) int {
		return cmp.Or(strings.Compare(a.Day, b.Day), strings.Compare(a.Name, b.Name), strings.Compare(a.Node, b.Node))
	})
	return out, err
}

// poolPower is the devices' samples since since, and their sum per second:
// from the last hour's samples, one a second, or, for a span that starts
// earlier, from the minute tier (one a minute, for seven days).
func (g *Gateway) poolPower(since time.Time, now time.Time) (api.PoolPower, error) {
	out := api.PoolPower{StepS: 1, Pool: []api.PoolSample{}, Devices: []api.DevicePower{}}
	g.mu.Lock()
	out.Signals = g.signalsSinceLocked(since)
	g.mu.Unlock()
	step := time.Second
	if since.Before(now.Add(-historySpan - time.Minute)) {
		step, out.StepS = time.Minute, 60
		byNode, err := g.minuteSamples(since)
		if err != nil {
			return out, err
		}
		g.mu.Lock()
		for node, ss := range byNode {
			d := api.DevicePower{ID: node, Samples: ss}
			if id, err := identity.ParseNodeID(node); err == nil && g.members[id] != nil {
				d.Name = g.members[id].Node.Name
			}
			out.Devices = append(out.Devices, d)
		}
		g.mu.Unlock()
	} else {
		byNode, err := g.secondSamples(since)
		if err != nil {
			return out, err
		}
		g.mu.Lock()
		for id, ss := range byNode {
			d := api.DevicePower{ID: id.String(), Samples: ss}
			if m := g.members[id]; m != nil {
				d.Name = m.Node.Name
			}
			out.Devices = append(out.Devices, d)
		}
		g.mu.Unlock()
	}
	slices.SortFunc(out.Devices, func(a, b api.DevicePower) int {
		return cmp.Or(strings.Compare(a.Name, b.Name), strings.Compare(a.ID, b.ID))
	})
	sums := map[time.Time]*api.PoolSample{}
	for _, d := range out.Devices {
		for _, s := range d.Samples {
			t := s.T.Truncate(step)
			p := sums[t]
			if p == nil {
				p = &api.PoolSample{T: t}
				sums[t] = p
			}
			p.Watts += s.Watts
			p.BudgetW += s.BudgetW
			p.Work += s.Work
			p.Devices++
		}
	}
	for _, p := range sums {
		out.Pool = append(out.Pool, *p)
	}
	slices.SortFunc(out.Pool, func(a, b api.PoolSample) int { return a.T.Compare(b.T) })
	return out, nil
}

// parseSince reads a span back from now ("10m", "7d") or a time (RFC
// 3339); empty means the whole hour kept. Spans beyond the hour come from
// the minute tier.
func parseSince(s string, now time.Time) (time.Time, error) {
	if s == "" {
		return now.Add(-historySpan), nil
	}
	if d, err := time.ParseDuration(s); err == nil && d >= 0 {
		return now.Add(-d), nil
	}
	var days int
	if n, err := fmt.Sscanf(s, "%dd", &days); err == nil && n == 1 && days >= 0 && days <= 3660 && s == fmt.Sprintf("%dd", days) {
		return now.AddDate(0, 0, -days), nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("%w: since %q: want a span like 10m or a time like 2026-11-21T08:00:00Z", ErrBadRequest, s)
}
