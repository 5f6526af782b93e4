package sensor

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestBattery(t *testing.T) {
	const bat = "sys/class/power_supply/BAT0/"
	tests := []struct {
		name      string
		files     map[string]string
		wantWatts float64
		wantErr   string // part of the error, when one is wanted
	}{
		{
			name:      "power_now",
			files:     map[string]string{bat + "power_now": "9870000\n"},
			wantWatts: 9.87,
		},
		{
			// Many fuel gauges give a discharging battery's current a
			// negative sign.
			name:      "negative current",
			files:     map[string]string{bat + "current_now": "-2000000\n", bat + "voltage_now": "7400000\n"},
			wantWatts: 14.8,
		},
		{
			name:      "negative power",
			files:     map[string]string{bat + "power_now": "-6500000\n"},
			wantWatts: 6.5,
		},
		{
			name:    "negative voltage",
			files:   map[string]string{bat + "current_now": "2000000\n", bat + "voltage_now": "-7400000\n"},
			wantErr: "negative power",
		},
		{
			name:    "absurd",
			files:   map[string]string{bat + "current_now": "2000000000\n", bat + "voltage_now": "12000000\n"},
			wantErr: "24000 W is above",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.files[bat+"type"] = "Battery\n"
			tt.files[bat+"status"] = "Discharging\n"
			meters, err := Meters(writeTree(t, "", tt.files), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(meters) != 1 || meters[0].Name() != "battery BAT0" {
				t.Fatalf("%d meters, want battery BAT0", len(meters))
			}
			w, err := meters[0].Watts()
			switch {
			case tt.wantErr != "":
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), "BAT0") {
					t.Errorf("Watts() = %v, %v; want an error naming BAT0 saying %q", w, err, tt.wantErr)
				}
			case err != nil || !near(w, tt.wantWatts):
				t.Errorf("Watts() = %v, %v; want %v", w, err, tt.wantWatts)
			}
		})
	}
}

// TestBatteryPluggedIn plugs the laptop in after Meters found its battery:
// the battery's rate is then no longer the device's draw.
func TestBatteryPluggedIn(t *testing.T) {
	root := copyFixture(t, "laptop-rapl")
	meters, err := Meters(root, Options{})
	if err != nil {
		t.Fatal(err)
	}
	bat := meters[len(meters)-1]
	if bat.Name() != "battery BAT0" {
		t.Fatalf("last meter %q, want battery BAT0", bat.Name())
	}
	status := filepath.Join(root, "sys/class/power_supply/BAT0/status")
	writeTree(t, root, map[string]string{"sys/class/power_supply/BAT0/status": "Charging\n"})
	if w, err := bat.Watts(); err == nil || !strings.Contains(err.Error(), status) || !strings.Contains(err.Error(), "Charging") {
		t.Errorf("Watts() = %v, %v; want an error naming %s", w, err, status)
	}
}

// TestBatteryOfPeripheral gives the mouse's battery a power_now: it is
// still no meter of the device.
func TestBatteryOfPeripheral(t *testing.T) {
	root := copyFixture(t, "laptop-rapl")
	writeTree(t, root, map[string]string{"sys/class/power_supply/hidpp_battery_0/power_now": "10000\n"})
	meters, err := Meters(root, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range meters {
		if strings.Contains(m.Name(), "hidpp") {
			t.Errorf("meter %q for a mouse's battery", m.Name())
		}
	}
	if len(meters) != 2 {
		t.Errorf("%d meters, want 2 (rapl, BAT0)", len(meters))
	}
}
