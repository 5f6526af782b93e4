package dashboard

import (
	"testing"
	"time"

	"github.com/hearth-home/hearth/gateway/api"
)

// TestSentFilter: a stream's events carry each sample once, a pool second
// again when more devices have reported it, and a signal step only when it
// changes what was sent.
func TestSentFilter(t *testing.T) {
	t0 := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	sec := func(i int) time.Time { return t0.Add(time.Duration(i) * time.Second) }
	w := func(v float64) *float64 { return &v }
	st := newSent()
	p := &api.PoolPower{
		Devices: []api.DevicePower{{ID: "a", Samples: []api.PowerSample{{T: sec(1)}, {T: sec(2)}}}},
		Pool:    []api.PoolSample{{T: sec(1), Devices: 1}, {T: sec(2), Devices: 1}},
		Signals: []api.SignalPoint{{T: sec(0), SolarW: w(100)}},
	}
	st.filter(p, t0)
	if len(p.Devices) != 1 || len(p.Devices[0].Samples) != 2 || len(p.Pool) != 2 || len(p.Signals) != 1 {
		t.Fatalf("first event: %+v", p)
	}
	// The next answer overlaps: a's samples again, b's late one for second
	// 2 (the pool's second 2 now sums two devices), the same signal state
	// at a later span start, then a change.
	p = &api.PoolPower{
		Devices: []api.DevicePower{{ID: "a", Samples: []api.PowerSample{{T: sec(1)}, {T: sec(2)}, {T: sec(3)}}},
			{ID: "b", Samples: []api.PowerSample{{T: sec(2)}}}},
		Pool:    []api.PoolSample{{T: sec(1), Devices: 1}, {T: sec(2), Devices: 2}, {T: sec(3), Devices: 1}},
		Signals: []api.SignalPoint{{T: sec(1), SolarW: w(100)}, {T: sec(3), SolarW: w(50), Heat: w(0.5)}},
	}
	st.filter(p, t0)
	if len(p.Devices) != 2 || len(p.Devices[0].Samples) != 1 || !p.Devices[0].Samples[0].T.Equal(sec(3)) || len(p.Devices[1].Samples) != 1 {
		t.Errorf("devices: %+v, want a's second 3 and b's second 2", p.Devices)
	}
	if len(p.Pool) != 2 || p.Pool[0].Devices != 2 || !p.Pool[1].T.Equal(sec(3)) {
		t.Errorf("pool: %+v, want second 2 (two devices now) and second 3", p.Pool)
	}
	if len(p.Signals) != 1 || *p.Signals[0].SolarW != 50 {
		t.Errorf("signals: %+v, want the change only", p.Signals)
	}
	// Nothing new: an empty delta.
	p = &api.PoolPower{Devices: []api.DevicePower{{ID: "a", Samples: []api.PowerSample{{T: sec(3)}}}}, Pool: []api.PoolSample{{T: sec(3), Devices: 1}}}
	if st.filter(p, t0); len(p.Devices)+len(p.Pool)+len(p.Signals) != 0 {
		t.Errorf("nothing new: %+v", p)
	}
}
