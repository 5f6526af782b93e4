package policy

import (
	"errors"
	"fmt"
	"math"
	"time"
)

// Signal kinds.
const (
	// KindSolar is a solar surplus from an inverter: Watts caps the budget.
	KindSolar = "solar"
	// KindHeat is a heat demand from a thermostat (boiler mode): Demand,
	// 0..1, caps the budget at Demand × the device's maximum.
	KindHeat = "heat"
	// KindShare is the device's share of the pool's total, sent by the
	// gateway: Watts caps the budget.
	KindShare = "share"
)

// Signal is an external input posted to the device or the gateway, with an
// expiry: a signal whose sender has gone quiet must not hold the budget
// forever, so Evaluate ignores it (and says so) from Expires on.
type Signal struct {
	// Kind is "solar" (Watts is the surplus, a cap on the budget) or
	// "heat" (Demand 0..1, budget = Demand × the device's maximum).
	Kind string `json:"kind"`
	// Watts is a solar signal's surplus.
	Watts float64 `json:"watts,omitempty"`
	// Demand is a heat signal's demand, 0 (none) to 1 (full).
	Demand float64 `json:"demand,omitempty"`
	// Expires is when the signal stops counting; it must be set.
	Expires time.Time `json:"expires"`
	// Source says who posted it ("inverter", "thermostat"), for the status.
	Source string `json:"source,omitempty"`
}

// Check validates the signal against the device's maximum maxW (see
// CheckWatts; maxW <= 0 means unknown): a known kind, a solar surplus
// that CheckWatts accepts, a heat demand within 0..1, no field of the
// other kind (a thermostat that posts watts would otherwise mean demand 0,
// and pause every device) and Expires set.
func (s Signal) Check(maxW float64) error {
	if err := s.check(maxW); err != nil {
		return fmt.Errorf("%w: %w", ErrBadPolicy, err)
	}
	return nil
}

func (s Signal) check(maxW float64) error {
	switch s.Kind {
	case KindSolar, KindShare:
		if s.Demand != 0 {
			return fmt.Errorf("signal demand: a %s signal carries watts, not demand", s.Kind)
		}
		what := "solar surplus"
		if s.Kind == KindShare {
			what = "pool share"
		}
		if err := checkWatts(what, s.Watts, maxW); err != nil {
			return fmt.Errorf("signal watts: %w", err)
		}
	case KindHeat:
		if s.Watts != 0 {
			return fmt.Errorf("signal watts: a heat signal carries demand (0..1), not watts")
		}
		if math.IsNaN(s.Demand) || s.Demand < 0 || s.Demand > 1 {
			return fmt.Errorf("signal demand %v is outside 0..1", s.Demand)
		}
	case "":
		return errors.New("signal kind: missing (want solar or heat)")
	default:
		return fmt.Errorf("signal kind %q: want solar or heat", s.Kind)
	}
	if s.Expires.IsZero() {
		return errors.New("signal expires: missing (a signal must expire, so that a sender gone quiet does not hold the budget)")
	}
	return nil
}

// name is how reasons name the signal: "heat (thermostat)".
func (s Signal) name() string {
	if s.Source == "" {
		return s.Kind
	}
	return s.Kind + " (" + s.Source + ")"
}

// ago renders how long ago something was, for people: "40s", "3m", "2h5m",
// "3d".
func ago(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d/time.Second))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d/time.Minute))
	case d < 48*time.Hour:
		h, m := int(d/time.Hour), int(d%time.Hour/time.Minute)
		if m == 0 {
			return fmt.Sprintf("%dh", h)
		}
		return fmt.Sprintf("%dh%dm", h, m)
	}
	return fmt.Sprintf("%dd", int(d/(24*time.Hour)))
}
