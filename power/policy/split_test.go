package policy

import (
	"math"
	"testing"
)

var (
	pi4  = Share{ID: "pi4", IdleW: 2.7, MaxW: 6.4}
	pi5  = Share{ID: "pi5", IdleW: 3, MaxW: 8}
	plug = Share{ID: "plug", IdleW: 5, MaxW: 7}
)

func TestSplit(t *testing.T) {
	for _, c := range []struct {
		name    string
		total   float64
		devices []Share
		want    map[string]float64
	}{
		{"nothing to share", 0, []Share{pi4, pi5}, map[string]float64{"pi4": 0, "pi5": 0}},
		{"no devices", 10, nil, map[string]float64{}},
		{"enough for all: each at its maximum, the rest unassigned", 100, []Share{pi4, pi5, plug},
			map[string]float64{"pi4": 6.4, "pi5": 8, "plug": 7}},
		{"exactly the maxima", 21.4, []Share{pi4, pi5, plug},
			map[string]float64{"pi4": 6.4, "pi5": 8, "plug": 7}},
		{"exactly the idles", 10.7, []Share{plug, pi5, pi4},
			map[string]float64{"pi4": 2.7, "pi5": 3, "plug": 5}},
		{"all idle, the rest by range", 15.7, []Share{pi4, pi5, plug},
			// 5 W over ranges 3.7 + 5 + 2 = 10.7: each at 5/10.7 of its range.
			map[string]float64{"pi4": 2.7 + 3.7*5/10.7, "pi5": 3 + 5*5/10.7, "plug": 5 + 2*5/10.7}},
		{"not enough for every idle: the highest idle gets 0", 10, []Share{plug, pi5, pi4},
			// 5.7 W of idles, 4.3 W over ranges 3.7 + 5.
			map[string]float64{"pi4": 2.7 + 3.7*4.3/8.7, "pi5": 3 + 5*4.3/8.7, "plug": 0}},
		{"only the lowest idle fits", 5, []Share{plug, pi5, pi4},
			map[string]float64{"pi4": 5, "pi5": 0, "plug": 0}},
		{"not even the lowest idle", 2, []Share{plug, pi4},
			map[string]float64{"pi4": 0, "plug": 0}},
		{"ties in the order given", 3, []Share{{ID: "b", IdleW: 2, MaxW: 3}, {ID: "a", IdleW: 2, MaxW: 3}},
			map[string]float64{"b": 3, "a": 0}},
		{"a device with a tiny range", 8, []Share{{ID: "tiny", IdleW: 1, MaxW: 1.1}, pi5},
			// 4 W over ranges 0.1 + 5: tiny gets 0.1×4/5.1, within its 0.1 W of range.
			map[string]float64{"tiny": 1 + 0.1*4/5.1, "pi5": 3 + 5*4/5.1}},
		{"a tiny range reaches its maximum only with the others", 9.1, []Share{{ID: "tiny", IdleW: 1, MaxW: 1.1}, pi5},
			map[string]float64{"tiny": 1.1, "pi5": 8}},
		{"no range at all", 10, []Share{{ID: "flat", IdleW: 4, MaxW: 4}, pi5},
			map[string]float64{"flat": 4, "pi5": 3 + 3}},
		{"only flat devices", 10, []Share{{ID: "flat", IdleW: 4, MaxW: 4}},
			map[string]float64{"flat": 4}},
		{"a device that needs no idle always runs", 0.5, []Share{pi4, {ID: "free", IdleW: 0, MaxW: 1}},
			map[string]float64{"pi4": 0, "free": 0.5}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := Split(c.total, c.devices)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(c.want) {
				t.Errorf("Split = %v, want %v", got, c.want)
			}
			var sum float64
			for id, want := range c.want {
				w, ok := got[id]
				if !ok || math.Abs(w-want) > 1e-9 {
					t.Errorf("%s gets %v (listed %v), want %v", id, w, ok, want)
				}
				sum += w
			}
			if sum > c.total+1e-9 {
				t.Errorf("Split hands out %v W of %v W", sum, c.total)
			}
			for _, d := range c.devices {
				if w := got[d.ID]; w != 0 && (w < d.IdleW-1e-9 || w > d.MaxW+1e-9) {
					t.Errorf("%s gets %v W, outside its idle %v to maximum %v", d.ID, w, d.IdleW, d.MaxW)
				}
			}
		})
	}
}

func TestSplitBad(t *testing.T) {
	for _, c := range []struct {
		name    string
		total   float64
		devices []Share
		wantErr string
	}{
		{"negative total", -1, []Share{pi4}, "pool total -1 W"},
		{"NaN total", math.NaN(), []Share{pi4}, "pool total NaN W"},
		{"infinite total", math.Inf(1), []Share{pi4}, "pool total +Inf W"},
		{"no ID", 10, []Share{{IdleW: 1, MaxW: 2}}, "pool device without an ID"},
		{"repeated ID", 10, []Share{pi4, pi4}, `pool device "pi4" is listed twice`},
		{"negative idle", 10, []Share{{ID: "x", IdleW: -1, MaxW: 2}}, `pool device "x": idle draw -1 W`},
		{"NaN idle", 10, []Share{{ID: "x", IdleW: math.NaN(), MaxW: 2}}, `pool device "x": idle draw NaN W`},
		{"maximum below idle", 10, []Share{{ID: "x", IdleW: 3, MaxW: 2}}, `pool device "x": maximum 2 W: want a finite number, at least the idle draw of 3 W`},
		{"infinite maximum", 10, []Share{{ID: "x", IdleW: 3, MaxW: math.Inf(1)}}, `pool device "x": maximum +Inf W`},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := Split(c.total, c.devices)
			checkErr(t, err, c.wantErr)
			if got != nil {
				t.Errorf("Split gave %v with its error", got)
			}
		})
	}
}
