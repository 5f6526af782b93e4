package sensor

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestMeters(t *testing.T) {
	type want struct {
		name     string
		watts    float64
		notReady bool // a counter meter: its first reading only primes it
	}
	tests := []struct {
		fixture string
		meters  []want
	}{
		// cpu_thermal and rpi_volt are hwmons too, but no power monitors;
		// the INA219's curr1×in1 is the same power as power1.
		{"pi4-ina219", []want{{name: "hwmon ina219 power1", watts: 3.42}}},
		// 0.450 A × 5.080 V + 0.120 A × 3.300 V + 0.080 A × 1.800 V.
		{"ina3221-board", []want{{name: "hwmon ina3221 curr×in 1-3", watts: 2.286 + 0.396 + 0.144}}},
		// Only the package zone, not its sub-zones, psys or the MMIO
		// interface; the mouse's battery is no meter.
		{"laptop-rapl", []want{
			{name: "rapl package-0", notReady: true},
			{name: "battery BAT0", watts: 11.52},
		}},
		{"x86-2socket", []want{{name: "rapl package-0+package-1", notReady: true}}},
		// 1.25 A × 3.8 V.
		{"pinebook-pro", []want{{name: "battery cw2015-battery", watts: 4.75}}},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			meters, err := Meters(filepath.Join("testdata", tt.fixture), Options{Now: newFakeClock().now})
			if err != nil {
				t.Fatal(err)
			}
			var names, wantNames []string
			for _, m := range meters {
				names = append(names, m.Name())
			}
			for _, w := range tt.meters {
				wantNames = append(wantNames, w.name)
			}
			if !slices.Equal(names, wantNames) {
				t.Fatalf("meters %q, want %q", names, wantNames)
			}
			for i, w := range tt.meters {
				got, err := meters[i].Watts()
				switch {
				case w.notReady:
					if !errors.Is(err, ErrNotReady) {
						t.Errorf("%s: first reading %v, %v; want ErrNotReady", w.name, got, err)
					}
				case err != nil:
					t.Errorf("%s: %v", w.name, err)
				case !near(got, w.watts):
					t.Errorf("%s: %v W, want %v W", w.name, got, w.watts)
				}
			}
		})
	}
}

func TestMetersNone(t *testing.T) {
	for _, root := range []string{
		t.TempDir(),                 // nothing at all
		"testdata/pi-zero",          // hwmon for the CPU's temperature only
		"testdata/charging-battery", // on mains: one battery charging, one full
	} {
		meters, err := Meters(root, Options{})
		if !errors.Is(err, ErrNoSensor) || meters != nil {
			t.Errorf("Meters(%s) = %d meters, %v; want none, ErrNoSensor", root, len(meters), err)
		}
	}
}

// TestMetersBad reads every meter of the bad fixture: each must fail with
// an error that names its file and says what is wrong.
func TestMetersBad(t *testing.T) {
	want := map[string]struct{ file, reason string }{
		"hwmon garbage power1":    {"hwmon0/power1_input", `"abc" is not an integer`},
		"hwmon negative power1":   {"hwmon1/power1_input", "negative power -5 W"},
		"hwmon empty power1":      {"hwmon2/power1_input", "empty file"},
		"hwmon nan power1":        {"hwmon3/power1_input", `"NaN" is not an integer`},
		"hwmon absurd power1":     {"hwmon4/power1_input", "20000 W is above 10000 W"},
		"hwmon ina3221 curr×in 1": {"hwmon5/in1_input", `"x5" is not an integer`},
		"rapl package-0":          {"intel-rapl:0/energy_uj", `"xyz" is not an integer`},
		"battery BAT0":            {"BAT0/power_now", `"garbage" is not an integer`},
		"battery BAT1":            {"BAT1/voltage_now", "empty file"},
	}
	meters, err := Meters("testdata/bad", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(meters) != len(want) {
		t.Errorf("%d meters, want %d", len(meters), len(want))
	}
	for _, m := range meters {
		w, ok := want[m.Name()]
		if !ok {
			t.Errorf("unexpected meter %q", m.Name())
			continue
		}
		got, err := m.Watts()
		if err == nil {
			t.Errorf("%s: %v W, want an error", m.Name(), got)
			continue
		}
		if msg := err.Error(); !strings.Contains(msg, filepath.FromSlash(w.file)) || !strings.Contains(msg, w.reason) {
			t.Errorf("%s: error %q, want it to name %s and say %q", m.Name(), msg, w.file, w.reason)
		}
	}
}

// TestMeterFileGone removes a meter's file after Meters found it: the
// reading fails with the os error, which names the file.
func TestMeterFileGone(t *testing.T) {
	root := copyFixture(t, "pi4-ina219")
	meters, err := Meters(root, Options{})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(root, "sys/class/hwmon/hwmon1/power1_input")
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	_, err = meters[0].Watts()
	if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), path) {
		t.Errorf("error %v, want fs.ErrNotExist naming %s", err, path)
	}
}
