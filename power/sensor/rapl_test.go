package sensor

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// setEnergy rewrites a RAPL zone's counter in a fixture copy.
func setEnergy(t *testing.T, root, zone string, uj int64) {
	t.Helper()
	path := filepath.Join(root, "sys/class/powercap", zone, "energy_uj")
	if err := os.WriteFile(path, []byte(strconv.FormatInt(uj, 10)+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}

// raplOf returns the RAPL meter of a fixture copy, with its fake clock.
func raplOf(t *testing.T, root string) (Meter, *fakeClock) {
	t.Helper()
	clock := newFakeClock()
	meters, err := Meters(root, Options{Now: clock.now})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range meters {
		if strings.HasPrefix(m.Name(), "rapl ") {
			return m, clock
		}
	}
	t.Fatalf("no RAPL meter under %s", root)
	return nil, nil
}

func TestRAPL(t *testing.T) {
	const span = 262143328850 // max_energy_range_uj of the fixture
	tests := []struct {
		name       string
		first      int64 // energy_uj at the priming reading
		second     int64 // energy_uj a while later
		after      time.Duration
		wantWatts  float64
		wantErr    string // part of the error, when one is wanted
		notReadyOK bool   // the second reading is ErrNotReady
	}{
		{name: "steady", first: 52840146291, second: 52840146291 + 15_000_000, after: 2 * time.Second, wantWatts: 7.5},
		{name: "idle", first: 1000, second: 1000, after: time.Second, wantWatts: 0},
		// 328850 µJ up to the wrap, 4671150 µJ after: 5 J in a second.
		{name: "wrap-around", first: span - 328850, second: 4671150, after: time.Second, wantWatts: 5},
		{name: "clock stood still", first: 1000, second: 2000, after: 0, notReadyOK: true},
		// 30 kJ in a second is 30 kW: no home device.
		{name: "absurd", first: 0, second: 30_000_000_000, after: time.Second, wantErr: "above 10000 W"},
		{name: "beyond range", first: 0, second: span + 1, after: time.Second, wantErr: "beyond max_energy_range_uj"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := copyFixture(t, "laptop-rapl")
			m, clock := raplOf(t, root)
			setEnergy(t, root, "intel-rapl:0", tt.first)
			if w, err := m.Watts(); !errors.Is(err, ErrNotReady) {
				t.Fatalf("first reading %v, %v; want ErrNotReady", w, err)
			}
			clock.advance(tt.after)
			setEnergy(t, root, "intel-rapl:0", tt.second)
			w, err := m.Watts()
			switch {
			case tt.notReadyOK:
				if !errors.Is(err, ErrNotReady) {
					t.Errorf("second reading %v, %v; want ErrNotReady", w, err)
				}
			case tt.wantErr != "":
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), "intel-rapl:0") {
					t.Errorf("second reading %v, %v; want an error naming intel-rapl:0 saying %q", w, err, tt.wantErr)
				}
			case err != nil:
				t.Errorf("second reading: %v", err)
			case !near(w, tt.wantWatts):
				t.Errorf("second reading %v W, want %v W", w, tt.wantWatts)
			}
		})
	}
}

// TestRAPLPackages sums two packages, and goes on from each reading to the
// next.
func TestRAPLPackages(t *testing.T) {
	root := copyFixture(t, "x86-2socket")
	m, clock := raplOf(t, root)
	if _, err := m.Watts(); !errors.Is(err, ErrNotReady) {
		t.Fatalf("first reading: %v, want ErrNotReady", err)
	}
	readings := []struct {
		after      time.Duration
		pkg0, pkg1 int64 // energy_uj
		wantWatts  float64
	}{
		// 10 J and 6 J in 2 s.
		{2 * time.Second, 100000000 + 10_000_000, 200000000 + 6_000_000, 8},
		// 25 J and 25 J in 5 s.
		{5 * time.Second, 100000000 + 35_000_000, 200000000 + 31_000_000, 10},
	}
	for i, r := range readings {
		clock.advance(r.after)
		setEnergy(t, root, "intel-rapl:0", r.pkg0)
		setEnergy(t, root, "intel-rapl:1", r.pkg1)
		w, err := m.Watts()
		if err != nil || !near(w, r.wantWatts) {
			t.Errorf("reading %d: %v, %v; want %v W", i+2, w, err, r.wantWatts)
		}
	}
}

// TestRAPLFailedReading checks that a reading that fails keeps the
// previous one, so the next gives the mean over the whole time.
func TestRAPLFailedReading(t *testing.T) {
	root := copyFixture(t, "laptop-rapl")
	m, clock := raplOf(t, root)
	setEnergy(t, root, "intel-rapl:0", 0)
	if _, err := m.Watts(); !errors.Is(err, ErrNotReady) {
		t.Fatalf("first reading: %v, want ErrNotReady", err)
	}
	clock.advance(time.Second)
	path := filepath.Join(root, "sys/class/powercap/intel-rapl:0/energy_uj")
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if w, err := m.Watts(); err == nil || !strings.Contains(err.Error(), path) {
		t.Fatalf("reading an empty counter: %v, %v; want an error naming %s", w, err, path)
	}
	clock.advance(3 * time.Second)
	setEnergy(t, root, "intel-rapl:0", 20_000_000)
	if w, err := m.Watts(); err != nil || !near(w, 5) {
		t.Errorf("reading after the failure: %v, %v; want 20 J over 4 s, 5 W", w, err)
	}
}
