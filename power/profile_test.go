package power

import (
	"math"
	"testing"
)

func TestForModel(t *testing.T) {
	for model, want := range map[string]string{
		"Raspberry Pi 4 Model B Rev 1.4":        "rpi4",
		"Raspberry Pi 5 Model B Rev 1.0":        "rpi5",
		"Raspberry Pi Zero 2 W Rev 1.0":         "rpi-zero2w",
		"Raspberry Pi 3 Model B Plus Rev 1.3":   "rpi3b",
		"Globalscale Technologies SheevaPlug":   "sheevaplug",
		"Raspberry Pi Compute Module 4 Rev 1.0": "rpi4",
		"":                                      "generic",
		"Pine64 RockPro64":                      "generic",
	} {
		if got := ForModel(model).Name; got != want {
			t.Errorf("ForModel(%q) = %s, want %s", model, got, want)
		}
	}
}

func TestModel(t *testing.T) {
	pi, _ := Named("rpi4")
	m, err := NewModel(pi, 4)
	if err != nil {
		t.Fatal(err)
	}
	near := func(what string, got, want float64) {
		t.Helper()
		if math.Abs(got-want) > 1e-9 {
			t.Errorf("%s = %v, want %v", what, got, want)
		}
	}
	near("idle", m.Watts(0, 1), 2.7)
	near("all busy", m.Watts(4, 1), 6.4)
	near("two busy", m.Watts(2, 1), 2.7+3.7/2)
	near("two busy at half frequency", m.Watts(2, 0.5), 2.7+3.7/4)
	near("more than all busy is all busy", m.Watts(9, 1), 6.4)
	near("unknown frequency is full", m.Watts(4, math.NaN()), 6.4)
	near("cores for 4.55 W", m.CoresFor(2.7+3.7/2), 2)
	near("cores below idle", m.CoresFor(2), 0)
	near("cores above max", m.CoresFor(100), 4)

	// The generic profile is per core: a 2-core PC idles at 2 W, 14 W busy.
	g, err := NewModel(Generic, 2)
	if err != nil {
		t.Fatal(err)
	}
	near("generic idle", g.IdleW, 2)
	near("generic max", g.MaxW, 14)

	for _, bad := range []Profile{
		{Name: "neg", IdleW: -1, MaxW: 5},
		{Name: "flat", IdleW: 5, MaxW: 5},
		{Name: "nan", IdleW: math.NaN(), MaxW: 5},
		{Name: "huge", IdleW: 1, MaxW: 1e6},
	} {
		if _, err := NewModel(bad, 1); err == nil {
			t.Errorf("profile %s accepted", bad.Name)
		}
	}
}
