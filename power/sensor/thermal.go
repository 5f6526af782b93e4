package sensor

import (
	"fmt"
	"path/filepath"
	"strconv"
)

// Temperature is the highest temperature over
// /sys/class/thermal/thermal_zone*/temp (m°C), in °C, and that zone's type
// (e.g. "cpu-thermal", "x86_pkg_temp"; the directory name when the type
// cannot be read). It returns ErrNoSensor when there is no zone.
//
// A zone whose temp cannot be read (some report EIO or ENODATA while their
// device sleeps) or holds a bad value (garbage, empty, outside -40..150 °C)
// is skipped, so that one broken zone does not hide the others; when no
// zone gives a temperature, the error of the first one, naming its file,
// is returned.
func Temperature(root string) (celsius float64, zone string, err error) {
	base := filepath.Join(root, "sys/class/thermal")
	zones := indexed(base, "thermal_zone", "")
	if len(zones) == 0 {
		return 0, "", fmt.Errorf("%w: no thermal zone in %s", ErrNoSensor, base)
	}
	var firstErr error
	found := false
	for _, n := range zones {
		dir := filepath.Join(base, "thermal_zone"+strconv.Itoa(n))
		c, err := zoneCelsius(filepath.Join(dir, "temp"))
		if err != nil {
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		if found && c <= celsius {
			continue
		}
		celsius, found = c, true
		zone, err = readString(filepath.Join(dir, "type"))
		if err != nil || zone == "" {
			zone = filepath.Base(dir)
		}
	}
	if !found {
		return 0, "", firstErr
	}
	return celsius, zone, nil
}

// zoneCelsius reads a temp file; besides readInt's errors, a temperature
// outside -40..150 °C (no device runs there: a sensor that is not
// connected, or reports a code such as -273.2 °C) is an error naming it.
func zoneCelsius(path string) (float64, error) {
	m, err := readInt(path)
	if err != nil {
		return 0, err
	}
	c := float64(m) / 1000
	if c < -40 || c > 150 {
		return 0, fmt.Errorf("sensor: %s: %.1f °C is outside -40..150 °C", path, c)
	}
	return c, nil
}
