package policy

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestEvaluate(t *testing.T) {
	const sched = "mon-fri 23:00-07:00 12W\nsat,sun 00:00-24:00 5W\n* 13:00-15:00 off"
	nan := math.NaN()
	wed10 := on(wed, 10, 0)
	solar := func(w float64, source string) Signal {
		return Signal{Kind: "solar", Watts: w, Source: source, Expires: wed10.Add(5 * time.Minute)}
	}
	heat := func(d float64, source string) Signal {
		return Signal{Kind: "heat", Demand: d, Source: source, Expires: wed10.Add(5 * time.Minute)}
	}
	for _, c := range []struct {
		name    string
		p       Policy
		now     time.Time // wed10 when zero
		tempC   float64   // NaN: unknown
		maxW    float64   // 6.4 (a Pi 4) when 0
		idleW   float64   // 2.7 when 0; -1 for 0
		signals []Signal
		want    float64
		paused  bool
		reasons []string // each a prefix of the reason at its place
	}{
		{name: "zero policy", tempC: nan, want: 6.4,
			reasons: []string{"no budget set: this device's maximum of 6.4 W"}},
		{name: "constant", p: Policy{Watts: 5}, tempC: nan, want: 5,
			reasons: []string{"constant 5 W"}},
		{name: "constant above the maximum", p: Policy{Watts: 12}, tempC: nan, want: 6.4,
			reasons: []string{"constant 12 W", "capped at this device's maximum of 6.4 W"}},
		{name: "below idle", p: Policy{Watts: 2}, tempC: nan, want: 2, paused: true,
			reasons: []string{"constant 2 W", "budget 2 W is below this device's idle draw of 2.7 W: all work paused"}},
		{name: "at idle runs", p: Policy{Watts: 2.7}, tempC: nan, want: 2.7,
			reasons: []string{"constant 2.7 W"}},
		{name: "no idle draw: a small budget runs", p: Policy{Watts: 0.5}, idleW: -1, tempC: nan, want: 0.5,
			reasons: []string{"constant 0.5 W"}},
		{name: "invalid watts give 0", p: Policy{Watts: -3}, tempC: nan, want: 0, paused: true,
			reasons: []string{"watts ignored (budget -3 W is negative): 0 W", "budget 0 W is below"}},

		{name: "schedule across midnight", p: Policy{Watts: 4, Schedule: sched}, now: on(tue, 3, 0), tempC: nan, want: 6.4,
			reasons: []string{"schedule: mon-fri 23:00-07:00 12W", "capped at this device's maximum of 6.4 W"}},
		{name: "schedule: sunday night is not mon-fri", p: Policy{Watts: 4, Schedule: sched}, now: on(nextMon, 3, 0), tempC: nan, want: 4,
			reasons: []string{"constant 4 W (no schedule rule matches)"}},
		{name: "schedule without a match, no constant", p: Policy{Schedule: sched}, tempC: nan, want: 6.4,
			reasons: []string{"no budget set: this device's maximum of 6.4 W (no schedule rule matches)"}},
		{name: "schedule weekend", p: Policy{Watts: 4, Schedule: sched}, now: on(sat, 10, 0), tempC: nan, want: 5,
			reasons: []string{"schedule: sat,sun 00:00-24:00 5W"}},
		{name: "quiet hours pause", p: Policy{Watts: 4, Schedule: sched}, now: on(sat, 14, 0), tempC: nan, want: 0, paused: true,
			reasons: []string{"schedule: * 13:00-15:00 off", "budget 0 W is below this device's idle draw of 2.7 W: all work paused"}},
		{name: "quiet hours pause without an idle draw", p: Policy{Watts: 4, Schedule: sched}, idleW: -1, now: on(sat, 14, 0), tempC: nan, want: 0, paused: true,
			reasons: []string{"schedule: * 13:00-15:00 off", "budget 0 W: all work paused"}},
		{name: "schedule default", p: Policy{Watts: 4, Schedule: "default 3W\nmon 09:00-10:00 1W"}, tempC: nan, want: 3,
			reasons: []string{"schedule: default 3W"}},
		{name: "schedule below the constant", p: Policy{Watts: 6, Schedule: "wed 09:00-11:00 3.5W"}, tempC: nan, want: 3.5,
			reasons: []string{"schedule: wed 09:00-11:00 3.5W"}},
		{name: "bad schedule is ignored", p: Policy{Watts: 4, Schedule: "default 3W\nmnd 10:00-11:00 1W"}, tempC: nan, want: 4,
			reasons: []string{`schedule ignored (schedule line 2: unknown day "mnd"`, "constant 4 W"}},

		{name: "solar caps", tempC: nan, signals: []Signal{solar(4.2, "inverter")}, want: 4.2,
			reasons: []string{"no budget set", "solar surplus 4.2 W (inverter)"}},
		{name: "solar without source", tempC: nan, signals: []Signal{solar(4.2, "")}, want: 4.2,
			reasons: []string{"no budget set", "solar surplus 4.2 W"}},
		{name: "several solar: the lowest", tempC: nan, signals: []Signal{solar(5, "roof"), solar(3, "shed"), solar(4, "")}, want: 3,
			reasons: []string{"no budget set", "solar surplus 5 W (roof)", "solar surplus 3 W (shed)", "solar surplus 4 W"}},
		{name: "solar surplus above the budget", p: Policy{Watts: 5}, tempC: nan, signals: []Signal{solar(2000, "inverter")}, want: 5,
			reasons: []string{"constant 5 W", "solar surplus 2000 W (inverter)"}},
		{name: "the pool's share caps", p: Policy{Watts: 5}, tempC: nan,
			signals: []Signal{{Kind: KindShare, Watts: 4, Expires: wed10.Add(time.Minute)}}, want: 4,
			reasons: []string{"constant 5 W", "share of the pool's total: 4 W"}},
		{name: "no solar surplus pauses", tempC: nan, signals: []Signal{solar(0, "inverter")}, want: 0, paused: true,
			reasons: []string{"no budget set", "solar surplus 0 W (inverter)", "budget 0 W is below"}},
		{name: "heat demand", tempC: nan, signals: []Signal{heat(0.5, "thermostat")}, want: 3.2,
			reasons: []string{"no budget set", "heat demand 50% × 6.4 W = 3.2 W (thermostat)"}},
		{name: "heat demand above the constant", p: Policy{Watts: 3}, tempC: nan, signals: []Signal{heat(0.9, "")}, want: 3,
			reasons: []string{"constant 3 W", "heat demand 90% × 6.4 W = 5.76 W"}},
		{name: "several heat: the newest", tempC: nan, want: 1.6,
			signals: []Signal{
				{Kind: "heat", Demand: 0.9, Source: "old", Expires: wed10.Add(time.Minute)},
				{Kind: "heat", Demand: 0.25, Source: "new", Expires: wed10.Add(10 * time.Minute)},
				{Kind: "heat", Demand: 0.1, Source: "mid", Expires: wed10.Add(5 * time.Minute)},
			},
			reasons: []string{"no budget set",
				"signal heat (old) superseded by a newer heat signal, ignored",
				"signal heat (mid) superseded by a newer heat signal, ignored",
				"heat demand 25% × 6.4 W = 1.6 W (new)",
				"budget 1.6 W is below this device's idle draw of 2.7 W: all work paused"},
			paused: true},
		{name: "stale signal is ignored", p: Policy{Watts: 5}, tempC: nan, want: 5,
			signals: []Signal{{Kind: "solar", Watts: 1, Source: "inverter", Expires: wed10.Add(-3 * time.Minute)}},
			reasons: []string{"constant 5 W", "signal solar (inverter) expired 3m ago, ignored"}},
		{name: "a signal expires at Expires", p: Policy{Watts: 5}, tempC: nan, want: 5,
			signals: []Signal{{Kind: "heat", Demand: 0.1, Expires: wed10}},
			reasons: []string{"constant 5 W", "signal heat expired 0s ago, ignored"}},
		{name: "stale heat does not hide a live one", tempC: nan, want: 3.2,
			signals: []Signal{heat(0.5, "live"), {Kind: "heat", Demand: 0.1, Source: "stale", Expires: wed10.Add(-2 * time.Hour)}},
			reasons: []string{"no budget set", "signal heat (stale) expired 2h ago, ignored", "heat demand 50% × 6.4 W = 3.2 W (live)"}},
		{name: "malformed signal is ignored", p: Policy{Watts: 5}, tempC: nan, want: 5,
			signals: []Signal{heat(1.5, "thermostat"), {Kind: "wind", Watts: 1, Expires: wed10.Add(time.Hour)}, {Kind: "solar", Watts: 1}},
			reasons: []string{"constant 5 W",
				"signal heat (thermostat) ignored: signal demand 1.5 is outside 0..1",
				`signal wind ignored: signal kind "wind"`,
				"signal solar ignored: signal expires: missing"}},

		{name: "thermal below soft", tempC: 60, want: 6.4,
			reasons: []string{"no budget set"}},
		{name: "thermal at soft", tempC: 70, want: 6.4,
			reasons: []string{"no budget set"}},
		{name: "thermal between", tempC: 74, want: 3.84,
			reasons: []string{"no budget set", "thermal: 74.0 °C, derated to 60%"}},
		{name: "thermal between, below idle", tempC: 78, want: 1.28, paused: true,
			reasons: []string{"no budget set", "thermal: 78.0 °C, derated to 20%", "budget 1.28 W is below this device's idle draw of 2.7 W: all work paused"}},
		{name: "thermal at hard", tempC: 80, want: 0, paused: true,
			reasons: []string{"no budget set", "thermal: 80.0 °C is at or above the hard limit of 80 °C: work stops", "budget 0 W is below"}},
		{name: "thermal above hard", tempC: 95, want: 0, paused: true,
			reasons: []string{"no budget set", "thermal: 95.0 °C is at or above the hard limit of 80 °C: work stops", "budget 0 W is below"}},
		{name: "thermal with own limits", p: Policy{Watts: 6, SoftC: 60, HardC: 90}, tempC: 75, want: 3,
			reasons: []string{"constant 6 W", "thermal: 75.0 °C, derated to 50%"}},
		{name: "invalid thermal limits give the defaults", p: Policy{Watts: 6, SoftC: 90}, tempC: 75, want: 3,
			reasons: []string{"constant 6 W", "thermal limits ignored (soft_c 90 °C must be below hard_c 80 °C (the default)): 70 and 80 °C instead", "thermal: 75.0 °C, derated to 50%"}},

		{name: "combined", p: Policy{Watts: 4, Schedule: sched}, now: on(tue, 3, 0), tempC: 74, want: 3,
			signals: []Signal{
				{Kind: "solar", Watts: 5, Source: "inverter", Expires: on(tue, 3, 5)},
				{Kind: "heat", Demand: 0.9, Source: "thermostat", Expires: on(tue, 3, 5)},
			},
			reasons: []string{"schedule: mon-fri 23:00-07:00 12W", "solar surplus 5 W (inverter)", "heat demand 90% × 6.4 W = 5.76 W (thermostat)", "thermal: 74.0 °C, derated to 60%"}},
		{name: "combined, paused", p: Policy{Watts: 4, Schedule: sched}, tempC: 76, want: 1.6, paused: true,
			signals: []Signal{solar(4.5, "inverter")},
			reasons: []string{"constant 4 W (no schedule rule matches)", "solar surplus 4.5 W (inverter)", "thermal: 76.0 °C, derated to 40%", "budget 1.6 W is below this device's idle draw of 2.7 W: all work paused"}},
		{name: "unknown maximum pauses", p: Policy{Watts: 4}, maxW: -1, tempC: nan, want: 0, paused: true,
			reasons: []string{"this device's maximum draw is unknown (-1 W): all work paused"}},
		{name: "NaN maximum pauses", p: Policy{Watts: 4}, maxW: nan, tempC: nan, want: 0, paused: true,
			reasons: []string{"this device's maximum draw is unknown (NaN W)"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := Inputs{Now: c.now, MaxW: c.maxW, IdleW: c.idleW, TempC: c.tempC, Signals: c.signals}
			if in.Now.IsZero() {
				in.Now = wed10
			}
			if in.MaxW == 0 {
				in.MaxW = 6.4
			}
			switch in.IdleW {
			case 0:
				in.IdleW = 2.7
			case -1:
				in.IdleW = 0
			}
			p := c.p
			b := p.Evaluate(in)
			if b.Watts != c.want || b.Paused != c.paused {
				t.Errorf("Evaluate = %v W, paused %v; want %v W, paused %v (reasons %q)", b.Watts, b.Paused, c.want, c.paused, b.Reasons)
			}
			if len(b.Reasons) != len(c.reasons) {
				t.Fatalf("reasons = %q, want %d starting %q", b.Reasons, len(c.reasons), c.reasons)
			}
			for i, want := range c.reasons {
				if !strings.HasPrefix(b.Reasons[i], want) {
					t.Errorf("reason %d = %q, want it to start %q", i, b.Reasons[i], want)
				}
			}
		})
	}
}

// Each schedule text is parsed once, for every copy of a Policy, and a
// changed text is parsed again.
func TestEvaluateCachesSchedule(t *testing.T) {
	const text = "* 00:00-24:00 3W # TestEvaluateCachesSchedule"
	p := Policy{Schedule: text}
	in := Inputs{Now: on(wed, 10, 0), MaxW: 6.4, IdleW: 2.7, TempC: math.NaN()}
	if b := p.Evaluate(in); b.Watts != 3 {
		t.Fatalf("Evaluate = %+v, want 3 W", b)
	}
	cached := memo(text)
	if cached == nil {
		t.Fatal("schedule not kept after Evaluate")
	}
	cp := p
	cp.Evaluate(in)
	if memo(text) != cached {
		t.Error("Evaluate on a copy parsed the schedule again")
	}
	p.Schedule = "* 00:00-24:00 4W"
	if b := p.Evaluate(in); b.Watts != 4 {
		t.Errorf("after a change, Evaluate = %+v, want 4 W", b)
	}
	p.Schedule = "bad"
	if b := p.Evaluate(in); b.Watts != 6.4 || !strings.HasPrefix(b.Reasons[0], "schedule ignored") {
		t.Errorf("after a bad change, Evaluate = %+v, want 6.4 W and the schedule ignored", b)
	}
	for i := range maxSchedules + 1 {
		(&Policy{Schedule: fmt.Sprintf("* 00:00-24:00 %dW", i)}).Evaluate(in)
	}
	schedules.Lock()
	n := len(schedules.m)
	schedules.Unlock()
	if n > maxSchedules {
		t.Errorf("%d schedules kept, want at most %d", n, maxSchedules)
	}
}

func memo(text string) *Schedule {
	schedules.Lock()
	defer schedules.Unlock()
	return schedules.m[text].schedule
}

// Copies of one Policy evaluated at once, as the governor and the status
// API may do, agree with one evaluated alone (run with -race).
func TestEvaluateConcurrent(t *testing.T) {
	p := Policy{Watts: 4, Schedule: "mon-fri 23:00-07:00 12W\n* 13:00-15:00 off # TestEvaluateConcurrent"}
	var ins []Inputs
	var want []float64
	for h := range 7 * 24 {
		in := Inputs{Now: on(mon, 0, 30).Add(time.Duration(h) * time.Hour), MaxW: 6.4, IdleW: 2.7, TempC: math.NaN()}
		ins = append(ins, in)
		want = append(want, p.Evaluate(in).Watts)
	}
	if !slices.Contains(want, 6.4) || !slices.Contains(want, 4) || !slices.Contains(want, 0) {
		t.Fatalf("the week gives %v, want each of the schedule's budgets", want)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			q := p
			for i, in := range ins {
				if b := q.Evaluate(in); b.Watts != want[i] {
					t.Errorf("at %v: %v W, want %v W", in.Now, b.Watts, want[i])
				}
			}
		})
	}
	wg.Wait()
}

// Evaluate gives a reasons slice, never nil, so that the status shows [].
func TestEvaluateReasonsNotNil(t *testing.T) {
	var p Policy
	b := p.Evaluate(Inputs{Now: on(wed, 10, 0), MaxW: 6.4, IdleW: 2.7, TempC: 20})
	if b.Reasons == nil {
		t.Error("Reasons is nil")
	}
}
