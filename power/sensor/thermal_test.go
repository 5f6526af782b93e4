package sensor

import (
	"errors"
	"strings"
	"testing"
)

func TestTemperature(t *testing.T) {
	tests := []struct {
		root     string
		want     float64
		wantZone string
	}{
		// hwmon sensors come first where there are any (gopsutil).
		{"testdata/pi4-ina219", 48.686, "cpu_thermal"},
		{"testdata/ina3221-board", 41, "soc_thermal"},
		// acpitz is cooler; iwlwifi_1 has no temp while the radio is off.
		{"testdata/laptop-rapl", 52, "x86_pkg_temp"},
		{"testdata/pinebook-pro", 45, "soc-thermal"},
		{"testdata/pi-zero", 39.704, "cpu_thermal"},
	}
	for _, tt := range tests {
		c, zone, err := Temperature(tt.root)
		if err != nil || !near(c, tt.want) || zone != tt.wantZone {
			t.Errorf("Temperature(%s) = %v, %q, %v; want %v, %q", tt.root, c, zone, err, tt.want, tt.wantZone)
		}
	}
}

func TestTemperatureBad(t *testing.T) {
	const zone = "sys/class/thermal/thermal_zone0/"
	tests := []struct {
		name    string
		files   map[string]string
		wantErr string // part of the error
	}{
		{"garbage", map[string]string{zone + "type": "cpu\n", zone + "temp": "hot\n"}, `"hot": invalid syntax`},
		{"empty", map[string]string{zone + "type": "cpu\n", zone + "temp": ""}, `"": invalid syntax`},
		{"too hot", map[string]string{zone + "type": "cpu\n", zone + "temp": "200000\n"}, "cpu: 200.0 °C is outside -40..150 °C"},
		// What some ACPI zones give when their sensor is not there.
		{"absolute zero", map[string]string{zone + "type": "acpitz\n", zone + "temp": "-273200\n"}, "acpitz: -273.2 °C is outside"},
		{"missing", map[string]string{zone + "type": "acpitz\n"}, "no such file"},
		{"no type", map[string]string{zone + "temp": "50000\n"}, "thermal_zone0/type: no such file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, z, err := Temperature(writeTree(t, "", tt.files))
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Temperature() = %v, %q, %v; want an error saying %q", c, z, err, tt.wantErr)
			}
		})
	}

	// All four zones of the bad fixture are bad.
	if c, z, err := Temperature("testdata/bad"); err == nil || !strings.Contains(err.Error(), "°C is outside") {
		t.Errorf("Temperature(testdata/bad) = %v, %q, %v; want an error", c, z, err)
	}

	// A good zone among bad ones is read; the bad ones are skipped.
	root := copyFixture(t, "bad")
	writeTree(t, root, map[string]string{
		"sys/class/thermal/thermal_zone7/type": "cpu-thermal\n",
		"sys/class/thermal/thermal_zone7/temp": "50000\n",
	})
	if c, z, err := Temperature(root); err != nil || !near(c, 50) || z != "cpu-thermal" {
		t.Errorf("Temperature(bad + a good zone) = %v, %q, %v; want 50, cpu-thermal", c, z, err)
	}
}

func TestTemperatureNone(t *testing.T) {
	if c, z, err := Temperature(t.TempDir()); !errors.Is(err, ErrNoSensor) {
		t.Errorf("Temperature(empty) = %v, %q, %v; want ErrNoSensor", c, z, err)
	}
}
