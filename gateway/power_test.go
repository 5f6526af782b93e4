package gateway

import (
	"context"
	"errors"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/internal/identity"
	"github.com/hearth-home/hearth/power/policy"
)

// beat sends a heartbeat, with a power status like a Pi 4's unless hb has one.
func (n *testNode) beat(t *testing.T, hb api.Heartbeat) api.HeartbeatResponse {
	t.Helper()
	if hb.Power == nil {
		hb.Power = &api.PowerStatus{Watts: 3, BudgetW: 6.4, IdleW: 2.7, MaxW: 6.4, Source: "model rpi4"}
	}
	resp, err := n.c.Heartbeat(context.Background(), hb)
	if err != nil {
		t.Fatalf("heartbeat: %v", err)
	}
	return resp
}

func signalOf(c *api.PowerControl, kind string) *policy.Signal {
	if c == nil {
		return nil
	}
	for i := range c.Signals {
		if c.Signals[i].Kind == kind {
			return &c.Signals[i]
		}
	}
	return nil
}

// The owner's budgets reach the devices in heartbeat answers: a device's
// own budget as its policy, the pool's total and a pool's solar surplus
// shared out among the ready devices by policy.Split, a heat demand as it
// is. Budgets survive a restart; bad ones are refused and change nothing.
func TestBudgetsAndSignalsReachDevices(t *testing.T) {
	dir := t.TempDir()
	tg := startGateway(t, dir, Config{})
	ctx := context.Background()
	a, b := newNode(t, tg.Gateway), newNode(t, tg.Gateway)
	for _, n := range []*testNode{a, b} {
		n.hello(t, tg.JoinToken().String())
	}
	if resp := a.beat(t, api.Heartbeat{}); resp.Power != nil {
		t.Fatalf("nothing set, yet the gateway asks %+v", resp.Power)
	}
	b.beat(t, api.Heartbeat{Power: &api.PowerStatus{IdleW: 3, MaxW: 8, BudgetW: 8}})

	// 10 W among a Pi 4 (2.7-6.4 W) and a Pi 5 (3-8 W): idle first, the
	// rest by range (3.7:5).
	if _, err := tg.admin.SetBudget(ctx, api.BudgetRequest{Policy: &policy.Policy{Watts: 10}}); err != nil {
		t.Fatal(err)
	}
	wantA := 2.7 + 4.3*3.7/8.7
	s := signalOf(a.beat(t, api.Heartbeat{}).Power, policy.KindShare)
	if s == nil || math.Abs(s.Watts-wantA) > 1e-9 {
		t.Fatalf("device a's share of 10 W: %+v, want %.3f W", s, wantA)
	}

	// A device budget is sent as the policy; the share still caps it.
	sched := "mon-fri 23:00-07:00 6W\n* 13:00-15:00 off\n"
	if _, err := tg.admin.SetBudget(ctx, api.BudgetRequest{Device: a.id.ID.Short(), Policy: &policy.Policy{Watts: 4, Schedule: sched}}); err != nil {
		t.Fatal(err)
	}
	resp := a.beat(t, api.Heartbeat{})
	if resp.Power == nil || resp.Power.Policy == nil || resp.Power.Policy.Watts != 4 || resp.Power.Policy.Schedule != sched {
		t.Fatalf("device budget: %+v", resp.Power)
	}
	if signalOf(resp.Power, policy.KindShare) == nil {
		t.Errorf("the pool's share is gone once the device has its own budget")
	}

	// Signals: a pool's solar surplus is split, a heat demand passed on, a
	// device's own signal only to it.
	for _, req := range []api.SignalRequest{
		{Kind: "solar", Watts: 7, Source: "inverter"},
		{Kind: "heat", Demand: 0.25, Source: "thermostat", TTL: api.Duration(time.Minute)},
		{Kind: "heat", Demand: 0.5, Source: "bedroom", Device: b.id.ID.String()},
	} {
		if err := tg.admin.Signal(ctx, req); err != nil {
			t.Fatalf("signal %+v: %v", req, err)
		}
	}
	got := a.beat(t, api.Heartbeat{}).Power
	solar, heat := signalOf(got, "solar"), signalOf(got, "heat")
	wantSolar := 2.7 + 1.3*3.7/8.7
	if solar == nil || math.Abs(solar.Watts-wantSolar) > 1e-9 || solar.Source != "pool inverter" {
		t.Errorf("device a's part of a 7 W surplus: %+v, want %.3f W", solar, wantSolar)
	}
	if heat == nil || heat.Demand != 0.25 || time.Until(heat.Expires) > time.Minute {
		t.Errorf("heat demand for the pool: %+v", heat)
	}
	if n := len(got.Signals); n != 3 {
		t.Errorf("device a got %d signals, want share, solar and heat: %+v", n, got.Signals)
	}
	if bs := b.beat(t, api.Heartbeat{Power: &api.PowerStatus{IdleW: 3, MaxW: 8}}).Power; len(bs.Signals) != 4 {
		t.Errorf("device b got %+v, want share, its heat and the pool's solar and heat", bs.Signals)
	}

	// Bad input: refused with a reason, nothing changed.
	bad := []struct {
		req  api.BudgetRequest
		want string
	}{
		{api.BudgetRequest{Device: a.id.ID.Short(), Policy: &policy.Policy{Watts: -1}}, "negative"},
		{api.BudgetRequest{Device: a.id.ID.Short(), Policy: &policy.Policy{Watts: 65}}, "ten times"},
		{api.BudgetRequest{Device: a.id.ID.Short(), Policy: &policy.Policy{Schedule: "mon 09:00-10:00 3W\nmnd 10:00-11:00 1W"}}, "line 2"},
		{api.BudgetRequest{Device: "nosuchdevice", Policy: &policy.Policy{Watts: 3}}, "nosuchdevice"},
		{api.BudgetRequest{Policy: &policy.Policy{Schedule: "default 3W"}}, "per device"},
		{api.BudgetRequest{Policy: &policy.Policy{Watts: -5}}, "negative"},
	}
	for _, c := range bad {
		_, err := tg.admin.SetBudget(ctx, c.req)
		if !errors.Is(err, api.ErrBadRequest) && !errors.Is(err, api.ErrNotFound) || err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("budget %+v: %v, want a refusal saying %q", c.req, err, c.want)
		}
	}
	for _, req := range []api.SignalRequest{
		{Kind: "wind", Watts: 3},
		{Kind: "heat", Demand: 1.5},
		{Kind: "solar", Watts: 2, TTL: api.Duration(48 * time.Hour)},
		{Kind: "solar", Watts: 2, Demand: 0.5},
	} {
		if err := tg.admin.Signal(ctx, req); !errors.Is(err, api.ErrBadRequest) {
			t.Errorf("signal %+v: %v, want ErrBadRequest", req, err)
		}
	}
	budgets, err := tg.admin.Budgets(ctx)
	if err != nil || budgets.TotalW != 10 || budgets.Devices[a.id.ID.String()].Watts != 4 || len(budgets.Devices) != 1 {
		t.Fatalf("after refusals: %+v, %v", budgets, err)
	}

	// A restart keeps the budgets (signals expire anyway, and are not kept).
	tg.stop()
	tg = startGateway(t, dir, Config{})
	if budgets, err := tg.admin.Budgets(ctx); err != nil || budgets.TotalW != 10 || budgets.Devices[a.id.ID.String()].Schedule != sched {
		t.Fatalf("after a restart: %+v, %v", budgets, err)
	}
	// Cleared: the device gets its own budget back.
	if _, err := tg.admin.SetBudget(ctx, api.BudgetRequest{Device: a.id.ID.Short()}); err != nil {
		t.Fatal(err)
	}
	if _, err := tg.admin.SetBudget(ctx, api.BudgetRequest{}); err != nil {
		t.Fatal(err)
	}
	a = &testNode{id: a.id}
	if a.c, err = api.NewAgentClient(tg.Addr().String(), a.id, identity.Pin(tg.ID())); err != nil {
		t.Fatal(err)
	}
	a.hello(t, "")
	if resp := a.beat(t, api.Heartbeat{}); resp.Power != nil {
		t.Errorf("after clearing: %+v", resp.Power)
	}
}

// Samples sent in heartbeats make the pool's history, corrected for a
// device's clock and without repeats; they and accepted results make the
// energy per device and day.
func TestPowerHistoryAndEnergy(t *testing.T) {
	tg := startGateway(t, t.TempDir(), Config{})
	ctx := context.Background()
	a, b := newNode(t, tg.Gateway), newNode(t, tg.Gateway)
	for _, n := range []*testNode{a, b} {
		n.hello(t, tg.JoinToken().String())
	}
	now := time.Now().Truncate(time.Second)
	samples := func(from time.Time, n int, watts float64) []api.PowerSample {
		var out []api.PowerSample
		for i := range n {
			out = append(out, api.PowerSample{T: from.Add(time.Duration(i-n) * time.Second), Watts: watts, BudgetW: 5, Work: 1})
		}
		return out
	}
	// a's clock is an hour behind; b's is right. Each sends 10 seconds of
	// samples, a sends its own twice (an answer lost on the way).
	skewed := now.Add(-time.Hour)
	a.beat(t, api.Heartbeat{SentAt: skewed, Samples: samples(skewed, 10, 4)})
	a.beat(t, api.Heartbeat{SentAt: skewed, Samples: samples(skewed, 10, 4)})
	b.beat(t, api.Heartbeat{SentAt: now, Samples: append(samples(now, 10, 3),
		api.PowerSample{T: now.Add(-time.Second / 2), Watts: -1})})

	pp, err := tg.admin.Power(ctx, 5*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if len(pp.Devices) != 2 || len(pp.Devices[0].Samples) != 10 || len(pp.Devices[1].Samples) != 10 {
		t.Fatalf("devices: %+v", pp.Devices)
	}
	full := 0
	for _, s := range pp.Pool {
		if s.Devices == 2 {
			full++
			if s.Watts != 7 || s.BudgetW != 10 || s.Work != 2 {
				t.Errorf("pool second %v: %+v", s.T, s)
			}
		}
	}
	if full < 9 { // the correction for a's clock has a few milliseconds of network in it
		t.Errorf("%d seconds with both devices, want 10: %+v", full, pp.Pool)
	}

	// A task's energy counts for its device and day.
	submit(t, tg, 1, 0)
	ls := a.lease(t, 1)
	r := a.result(t, ls[0], "ok", "")
	r.EnergyWh = 0.25
	if st := a.report(t, r); st[0] != api.AckAccepted {
		t.Fatalf("report: %v", st)
	}
	days, err := tg.admin.Energy(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	byNode := map[string]api.EnergyDay{}
	for _, d := range days {
		byNode[d.Node] = d
	}
	ea, eb := byNode[a.id.ID.String()], byNode[b.id.ID.String()]
	if ea.Tasks != 1 || ea.TaskWh != 0.25 || ea.SampleS != 10 || math.Abs(ea.DeviceWh-40.0/3600) > 1e-9 {
		t.Errorf("device a: %+v", ea)
	}
	if eb.Tasks != 0 || eb.SampleS != 10 || math.Abs(eb.DeviceWh-30.0/3600) > 1e-9 {
		t.Errorf("device b: %+v", eb)
	}
	if code, body := rawAdmin(t, tg, "GET", "/v1/pool/energy?days=0", nil); code != 400 || !strings.Contains(body, "days") {
		t.Errorf("days=0: %d %s", code, body)
	}
	if code, body := rawAdmin(t, tg, "GET", "/v1/pool/power?since=yesterday", nil); code != 400 || !strings.Contains(body, "since") {
		t.Errorf("since=yesterday: %d %s", code, body)
	}
}

// Of two devices waiting for work, the one with more power headroom gets
// it; the other takes what is left.
func TestPlacementPrefersHeadroom(t *testing.T) {
	tg := startGateway(t, t.TempDir(), Config{})
	low, high := newNode(t, tg.Gateway), newNode(t, tg.Gateway)
	for _, n := range []*testNode{low, high} {
		n.hello(t, tg.JoinToken().String())
	}
	ask := func(n *testNode, headroom float64, out *[]api.Lease, wg *sync.WaitGroup) {
		defer wg.Done()
		ls, err := n.c.Lease(context.Background(), api.LeaseRequest{Runtimes: []string{"wasm"}, Max: 1, FreeCPU: 1,
			HeadroomW: &headroom, Wait: api.Duration(time.Second)})
		if err != nil {
			t.Error(err)
		}
		*out = ls
	}
	for round := range 3 {
		var lowGot, highGot []api.Lease
		var wg sync.WaitGroup
		wg.Add(2)
		go ask(low, 0.8, &lowGot, &wg)
		go ask(high, 3.5, &highGot, &wg)
		waitFor(t, "both devices waiting", func() bool {
			tg.mu.Lock()
			defer tg.mu.Unlock()
			return len(tg.waiting) == 2
		})
		submit(t, tg, 1, 0)
		wg.Wait()
		if len(highGot) != 1 || len(lowGot) != 0 {
			t.Fatalf("round %d: the device with 3.5 W of headroom got %d tasks, the one with 0.8 W %d", round, len(highGot), len(lowGot))
		}
	}
}

// TestPowerSignalsInHistory: the power history carries the signals as
// steps (the dashboard draws them on the power plot): a pool's and a
// device's solar surplus summed, the strongest heat demand; a span that
// starts after a change begins with the state then in force.
func TestPowerSignalsInHistory(t *testing.T) {
	tg := startGateway(t, t.TempDir(), Config{})
	ctx := context.Background()
	a := newNode(t, tg.Gateway)
	a.hello(t, tg.JoinToken().String())
	if pp, err := tg.admin.Power(ctx, time.Minute); err != nil || len(pp.Signals) != 0 {
		t.Fatalf("no signal posted: %+v %v", pp.Signals, err)
	}
	for _, req := range []api.SignalRequest{
		{Kind: "solar", Watts: 300, Source: "inverter"},
		{Kind: "solar", Watts: 20, Source: "panel", Device: a.id.ID.String()},
		{Kind: "heat", Demand: 0.25, Source: "hall"},
		{Kind: "heat", Demand: 0.5, Source: "bedroom", Device: a.id.ID.String()},
	} {
		if err := tg.admin.Signal(ctx, req); err != nil {
			t.Fatalf("signal %+v: %v", req, err)
		}
	}
	pp, err := tg.admin.Power(ctx, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	n := len(pp.Signals)
	if n != 4 {
		t.Fatalf("signals: %d steps, want one per change (4): %+v", n, pp.Signals)
	}
	last := pp.Signals[n-1]
	if last.SolarW == nil || *last.SolarW != 320 || last.Heat == nil || *last.Heat != 0.5 {
		t.Fatalf("the last step: %+v, want 320 W of solar surplus and a heat demand of 0.5", last)
	}
	if first := pp.Signals[0]; first.SolarW == nil || *first.SolarW != 300 || first.Heat != nil {
		t.Fatalf("the first step: %+v, want the inverter's 300 W alone", first)
	}
	// A heartbeat with nothing new notes nothing; a span that starts now
	// holds the state in force, from its start.
	a.beat(t, api.Heartbeat{})
	since := time.Now()
	pp, err = tg.admin.Power(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(pp.Signals) != 1 || pp.Signals[0].T.Before(since.Add(-time.Second)) || *pp.Signals[0].SolarW != 320 {
		t.Fatalf("a span from now: %+v, want the state in force", pp.Signals)
	}
}
