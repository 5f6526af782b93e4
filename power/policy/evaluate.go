package policy

import (
	"fmt"
	"math"
	"time"
)

// Inputs are what the budget depends on at one moment.
type Inputs struct {
	// Now is the moment, in the device's local time: the schedule reads
	// its wall clock, and signals expire against it.
	Now time.Time
	// MaxW is the device's maximum draw (its power profile's). Not
	// positive or not finite means unknown, and then all work pauses:
	// neither "the device's maximum" nor a heat demand means anything.
	MaxW float64
	// IdleW is the device's idle draw: a budget below it pauses work.
	IdleW float64
	// TempC is the device's temperature; NaN when unknown (no derating).
	TempC float64
	// Signals are the signals posted to the device or for it, expired
	// ones included (Evaluate ignores them and says so).
	Signals []Signal
}

// Budget is the answer, with the reasons people see in the status.
type Budget struct {
	// Watts is the budget, to the milliwatt. When Paused it is still the
	// computed value, for the status; the device then runs nothing.
	Watts float64 `json:"watts"`
	// Reasons say how Watts came about, one step per string, in the order
	// Evaluate applied them, e.g. "schedule: mon-fri 23:00-07:00 12W",
	// "solar surplus 4.2 W (inverter)", "thermal: 74.0 °C, derated to
	// 60%", "signal heat expired 3m ago, ignored".
	Reasons []string `json:"reasons"`
	// Paused is true when Watts is 0 or below the device's idle draw: a
	// budget that cannot even keep the device idle runs no work at all.
	Paused bool `json:"paused"`
}

// Evaluate computes the budget at in.Now, in steps; after the first, each
// can only lower it:
//
//  1. Watts, or in.MaxW when 0; replaced by the schedule's watts where a
//     rule or its default matches in.Now.
//  2. Capped by every live solar signal's surplus, and by the newest live
//     heat signal's Demand × in.MaxW (newest: the latest Expires; older
//     ones are ignored). A signal is live until its Expires; one that is
//     not, or is malformed, is ignored with a reason.
//  3. Capped at in.MaxW.
//  4. Derated: above SoftC by (HardC - T) / (HardC - SoftC), to 0 at and
//     above HardC.
//
// Paused is set when the result is 0 or below in.IdleW.
//
// Each schedule text is parsed once and kept (for every Policy and copy
// that holds it), so Evaluate may run every second; it does not change p
// and may run concurrently. A policy that Check would refuse still gives
// an answer, on the safe side: a schedule that does not parse is ignored
// (the reasons say why), invalid thermal limits give way to the defaults,
// and an invalid Watts gives 0 W. An unknown in.MaxW pauses all work.
func (p *Policy) Evaluate(in Inputs) Budget {
	if !knownMax(in.MaxW) {
		return Budget{Watts: 0, Paused: true, Reasons: []string{
			fmt.Sprintf("this device's maximum draw is unknown (%v W): all work paused", in.MaxW)}}
	}
	var reasons []string
	w := p.base(in, &reasons)
	w = capSignals(w, in, &reasons)
	if w > in.MaxW {
		w = in.MaxW
		reasons = append(reasons, fmt.Sprintf("capped at this device's maximum of %s W", shownWatts(in.MaxW)))
	}
	w = p.derate(w, in.TempC, &reasons)

	w = roundMilli(w)
	idle := in.IdleW
	if !(idle > 0) || math.IsInf(idle, 1) {
		idle = 0
	}
	paused := w == 0 || w < idle
	switch {
	case paused && idle > 0:
		reasons = append(reasons, fmt.Sprintf("budget %s W is below this device's idle draw of %s W: all work paused", shownWatts(w), shownWatts(idle)))
	case paused:
		reasons = append(reasons, "budget 0 W: all work paused")
	}
	return Budget{Watts: w, Reasons: reasons, Paused: paused}
}

// base is step 1: the constant budget or the schedule's.
func (p *Policy) base(in Inputs, reasons *[]string) float64 {
	w, why := p.Watts, fmt.Sprintf("constant %s W", shownWatts(p.Watts))
	if err := checkWatts("budget", p.Watts, 0); err != nil {
		w, why = 0, fmt.Sprintf("watts ignored (%v): 0 W", err)
	} else if p.Watts == 0 {
		w, why = in.MaxW, fmt.Sprintf("no budget set: this device's maximum of %s W", shownWatts(in.MaxW))
	}
	if p.Schedule == "" {
		*reasons = append(*reasons, why)
		return w
	}
	s, err := p.schedule()
	if err != nil {
		*reasons = append(*reasons, fmt.Sprintf("schedule ignored (%v)", err), why)
		return w
	}
	r, ok := s.match(in.Now)
	if !ok {
		*reasons = append(*reasons, why+" (no schedule rule matches)")
		return w
	}
	*reasons = append(*reasons, "schedule: "+r.String())
	return r.watts
}

// capSignals is step 2.
func capSignals(w float64, in Inputs, reasons *[]string) float64 {
	var heat []Signal
	for _, s := range in.Signals {
		// The ten-times rule is for values people type; here a large
		// surplus is only a cap that does not bind.
		if err := s.check(0); err != nil {
			*reasons = append(*reasons, fmt.Sprintf("signal %s ignored: %v", s.name(), err))
			continue
		}
		if !in.Now.Before(s.Expires) {
			*reasons = append(*reasons, fmt.Sprintf("signal %s expired %s ago, ignored", s.name(), ago(in.Now.Sub(s.Expires))))
			continue
		}
		switch s.Kind {
		case KindSolar:
			w = min(w, s.Watts)
			*reasons = append(*reasons, "solar surplus "+shownWatts(s.Watts)+" W"+from(s))
		case KindShare:
			w = min(w, s.Watts)
			*reasons = append(*reasons, "share of the pool's total: "+shownWatts(s.Watts)+" W")
		case KindHeat:
			heat = append(heat, s)
		}
	}
	if len(heat) == 0 {
		return w
	}
	newest := 0
	for i, s := range heat {
		if !s.Expires.Before(heat[newest].Expires) {
			newest = i
		}
	}
	for i, s := range heat {
		if i != newest {
			*reasons = append(*reasons, fmt.Sprintf("signal %s superseded by a newer heat signal, ignored", s.name()))
		}
	}
	h := heat[newest]
	hw := h.Demand * in.MaxW
	*reasons = append(*reasons, fmt.Sprintf("heat demand %s × %s W = %s W%s", percent(h.Demand), shownWatts(in.MaxW), shownWatts(hw), from(h)))
	return min(w, hw)
}

func from(s Signal) string {
	if s.Source == "" {
		return ""
	}
	return " (" + s.Source + ")"
}

// derate is step 4, thermal derating.
func (p *Policy) derate(w, tempC float64, reasons *[]string) float64 {
	soft, hard, err := p.limits()
	if err != nil {
		soft, hard = DefaultSoftC, DefaultHardC
		*reasons = append(*reasons, fmt.Sprintf("thermal limits ignored (%v): %v and %v °C instead", err, soft, hard))
	}
	switch {
	case math.IsNaN(tempC) || tempC <= soft:
		return w
	case tempC >= hard:
		*reasons = append(*reasons, fmt.Sprintf("thermal: %.1f °C is at or above the hard limit of %v °C: work stops", tempC, hard))
		return 0
	}
	f := (hard - tempC) / (hard - soft)
	*reasons = append(*reasons, fmt.Sprintf("thermal: %.1f °C, derated to %s", tempC, percent(f)))
	return w * f
}
