package policy

import (
	"math"
	"testing"
	"time"
)

func TestSignalCheck(t *testing.T) {
	exp := on(wed, 10, 5)
	for _, c := range []struct {
		name    string
		s       Signal
		wantErr string
	}{
		{"solar", Signal{Kind: "solar", Watts: 4.2, Expires: exp, Source: "inverter"}, ""},
		{"solar zero", Signal{Kind: "solar", Expires: exp}, ""},
		{"heat", Signal{Kind: "heat", Demand: 0.4, Expires: exp}, ""},
		{"heat none", Signal{Kind: "heat", Demand: 0, Expires: exp}, ""},
		{"heat full", Signal{Kind: "heat", Demand: 1, Expires: exp}, ""},
		{"no kind", Signal{Watts: 1, Expires: exp}, "signal kind: missing"},
		{"unknown kind", Signal{Kind: "wind", Watts: 1, Expires: exp}, `signal kind "wind": want solar or heat`},
		{"solar negative", Signal{Kind: "solar", Watts: -1, Expires: exp}, "signal watts: solar surplus -1 W is negative"},
		{"solar NaN", Signal{Kind: "solar", Watts: math.NaN(), Expires: exp}, "signal watts: solar surplus NaN W is not a number"},
		{"solar absurd", Signal{Kind: "solar", Watts: 900, Expires: exp}, "signal watts: solar surplus 900 W is more than ten times this device's maximum of 6.4 W"},
		{"solar with demand", Signal{Kind: "solar", Watts: 1, Demand: 0.5, Expires: exp}, "signal demand: a solar signal carries watts"},
		{"heat above 1", Signal{Kind: "heat", Demand: 1.5, Expires: exp}, "signal demand 1.5 is outside 0..1"},
		{"heat negative", Signal{Kind: "heat", Demand: -0.1, Expires: exp}, "signal demand -0.1 is outside 0..1"},
		{"heat NaN", Signal{Kind: "heat", Demand: math.NaN(), Expires: exp}, "signal demand NaN is outside 0..1"},
		{"heat with watts", Signal{Kind: "heat", Watts: 5, Expires: exp}, "signal watts: a heat signal carries demand"},
		{"no expiry", Signal{Kind: "solar", Watts: 1}, "signal expires: missing"},
	} {
		t.Run(c.name, func(t *testing.T) { checkErr(t, c.s.Check(6.4), c.wantErr) })
	}
}

func TestAgo(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0:                              "0s",
		40 * time.Second:               "40s",
		3*time.Minute + 59*time.Second: "3m",
		2 * time.Hour:                  "2h",
		2*time.Hour + 5*time.Minute:    "2h5m",
		50 * time.Hour:                 "2d",
	} {
		if got := ago(d); got != want {
			t.Errorf("ago(%v) = %q, want %q", d, got, want)
		}
	}
}
