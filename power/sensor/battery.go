package sensor

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
)

// batteryMeters finds the batteries under root that the device runs from
// now: type "Battery", status "Discharging", and not the battery of a
// peripheral (scope "Device": a mouse, a keyboard).
func batteryMeters(root string) []Meter {
	base := filepath.Join(root, "sys/class/power_supply")
	entries, _ := os.ReadDir(base)
	var meters []Meter
	for _, e := range entries {
		dir := filepath.Join(base, e.Name())
		if typ, _ := readString(filepath.Join(dir, "type")); typ != "Battery" {
			continue
		}
		if scope, _ := readString(filepath.Join(dir, "scope")); scope == "Device" {
			continue
		}
		if status, _ := readString(filepath.Join(dir, "status")); status != "Discharging" {
			continue
		}
		b := battery{name: "battery " + e.Name(), dir: dir}
		switch {
		case exists(filepath.Join(dir, "power_now")):
			b.power = true
		case exists(filepath.Join(dir, "current_now")) && exists(filepath.Join(dir, "voltage_now")):
		default:
			continue
		}
		meters = append(meters, b)
	}
	return meters
}

// battery reads a discharging battery's power_now (µW), or its current_now
// (µA) × voltage_now (µV).
type battery struct {
	name  string
	dir   string
	power bool // power_now exists; else current_now × voltage_now
}

func (b battery) Name() string { return b.name }

// Watts checks the status again, as the device may have been plugged in
// since Meters: a battery that is no longer discharging is an error naming
// the status file. Drivers disagree on the sign of a discharging battery's
// power and current (ACPI positive, many fuel gauges negative), and the
// status already says which way it flows, so their magnitude is taken.
func (b battery) Watts() (float64, error) {
	statusPath := filepath.Join(b.dir, "status")
	status, err := readString(statusPath)
	if err != nil {
		return 0, err
	}
	if status != "Discharging" {
		return 0, fmt.Errorf("sensor: %s: battery is %q, not discharging: it does not power the device", statusPath, status)
	}
	if b.power {
		path := filepath.Join(b.dir, "power_now")
		uw, err := readInt(path)
		if err != nil {
			return 0, err
		}
		w := math.Abs(float64(uw)) / 1e6
		if err := checkWatts(w, path); err != nil {
			return 0, err
		}
		return w, nil
	}
	currPath := filepath.Join(b.dir, "current_now")
	voltPath := filepath.Join(b.dir, "voltage_now")
	ua, err := readInt(currPath)
	if err != nil {
		return 0, err
	}
	uv, err := readInt(voltPath)
	if err != nil {
		return 0, err
	}
	w := math.Abs(float64(ua)) * float64(uv) / 1e12
	if err := checkWatts(w, currPath+" × "+voltPath); err != nil {
		return 0, err
	}
	return w, nil
}
