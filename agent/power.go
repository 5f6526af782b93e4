package agent

import (
	"math"
	"strings"
	"sync"
	"time"

	"github.com/hearth-home/hearth/agent/governor"
	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/power/policy"
)

// powerLink carries the governor's samples to the gateway in heartbeats,
// and the owner's budget and signals from the gateway's answers to the
// governor.
type powerLink struct {
	g   *governor.Governor
	own policy.Policy // the device's own policy, from its flags

	mu       sync.Mutex
	applied  *policy.Policy // the gateway's, in force; nil: own
	sentUpTo time.Time      // samples up to here reached the gateway
}

func newPowerLink(g *governor.Governor) *powerLink {
	if g == nil {
		return nil
	}
	return &powerLink{g: g, own: g.Policy()}
}

// samples are the samples the gateway has not had yet, at most
// api.MaxHeartbeatSamples, the newest kept.
func (l *powerLink) samples() []api.PowerSample {
	l.mu.Lock()
	since := l.sentUpTo
	l.mu.Unlock()
	hist := l.g.History(since)
	if len(hist) > api.MaxHeartbeatSamples {
		hist = hist[len(hist)-api.MaxHeartbeatSamples:]
	}
	out := make([]api.PowerSample, len(hist))
	for i, s := range hist {
		out[i] = PowerSample(s)
	}
	return out
}

// PowerSample is a governor's sample as the gateway and the local API
// take it.
func PowerSample(s governor.Sample) api.PowerSample {
	w := api.PowerSample{T: s.Time, Watts: s.Watts, BudgetW: s.BudgetW, Busy: s.Busy, Work: s.Work}
	if !math.IsNaN(s.TempC) {
		t := s.TempC
		w.TempC = &t
	}
	return w
}

// sent records that the gateway answered a heartbeat with these samples.
func (l *powerLink) sent(ss []api.PowerSample) {
	if len(ss) == 0 {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if t := ss[len(ss)-1].T; t.After(l.sentUpTo) {
		l.sentUpTo = t
	}
}

// control applies what the gateway asks: its budget in place of the
// device's own (the device's thermal limits stay unless it sets them),
// and its signals. A control without a policy gives the device its own
// budget back. A policy the governor refuses is logged and the one in
// force stays.
func (a *Agent) control(c *api.PowerControl) {
	l := a.power
	if l == nil {
		return
	}
	var want *policy.Policy
	if c != nil && c.Policy != nil {
		p := *c.Policy
		if p.SoftC == 0 {
			p.SoftC = l.own.SoftC
		}
		if p.HardC == 0 {
			p.HardC = l.own.HardC
		}
		want = &p
	}
	l.mu.Lock()
	same := want == nil && l.applied == nil || want != nil && l.applied != nil && *want == *l.applied
	l.mu.Unlock()
	if !same {
		p := l.own
		if want != nil {
			p = *want
		}
		if err := l.g.SetPolicy(p); err != nil {
			a.log.Warn("the gateway's power budget was refused; the budget in force stays", "err", err)
		} else {
			l.mu.Lock()
			l.applied = want
			l.mu.Unlock()
			if want != nil {
				a.log.Info("power budget from the gateway", "watts", p.Watts, "schedule", p.Schedule != "")
			} else {
				a.log.Info("power budget: the device's own again", "watts", p.Watts, "schedule", p.Schedule != "")
			}
		}
	}
	if c == nil {
		return
	}
	for _, s := range c.Signals {
		s.Source = GatewaySourcePrefix + s.Source
		if err := l.g.Signal(s); err != nil {
			a.log.Warn("a power signal from the gateway was refused", "kind", s.Kind, "source", s.Source, "err", err)
		}
	}
}

// GatewaySourcePrefix starts the source of every signal the gateway
// sends, so that a program posting to the local API cannot replace one.
const GatewaySourcePrefix = "gateway: "

// GatewaySource reports whether a signal's source is the gateway's.
func GatewaySource(source string) bool {
	return strings.HasPrefix(source, strings.TrimSpace(GatewaySourcePrefix))
}

// headroomW is how many watts the budget leaves now; nil when there is
// no limit (no governor, or a budget at the device's maximum).
func (a *Agent) headroomW() *float64 {
	if a.power == nil {
		return nil
	}
	s := a.power.g.Status()
	if !s.Paused && s.BudgetW >= s.MaxW {
		return nil
	}
	h := math.Max(0, s.BudgetW-s.Watts)
	return &h
}

// PowerStatus is a governor's status as heartbeats and the local API
// carry it.
func PowerStatus(s governor.Status) *api.PowerStatus {
	return &api.PowerStatus{
		Watts: s.Watts, BudgetW: s.BudgetW, Source: s.Source, Measured: s.Measured,
		SensorError: s.SensorError, IdleW: s.IdleW, MaxW: s.MaxW, Paused: s.Paused,
		Reasons: s.Reasons, AllowedCores: s.Allowed, WorkCores: s.Work, AgentWh: s.AgentWh,
	}
}
