package sensor

import (
	"errors"
	"fmt"

	"github.com/shirou/gopsutil/v3/host"
)

// Temperature is the highest temperature the host reports, in °C, and the
// sensor that reports it, read under root with gopsutil: the hwmon
// temp*_input sensors (named by their hwmon name and label, e.g.
// "cpu_thermal", "coretemp_package_id_0"), or where the kernel has none,
// /sys/class/thermal/thermal_zone*/temp (named by the zone's type, e.g.
// "cpu-thermal"). It returns ErrNoSensor when there is neither.
//
// A sensor that cannot be read (some report EIO or ENODATA while their
// device sleeps) or holds a bad value is skipped, and so is a reading
// outside -40..150 °C (no device runs there: a sensor that is not
// connected, or reports a code such as -273.2 °C), so that one broken
// sensor does not hide the others; when no sensor gives a temperature,
// the error says why.
func Temperature(root string) (celsius float64, sensor string, err error) {
	ts, err := host.SensorsTemperaturesWithContext(hostEnv(root))
	// gopsutil returns what it read together with a *host.Warnings
	// listing what it could not.
	found := false
	var outside error
	for _, t := range ts {
		c := t.Temperature
		if c < -40 || c > 150 {
			if outside == nil {
				outside = fmt.Errorf("sensor: %s: %.1f °C is outside -40..150 °C", t.SensorKey, c)
			}
			continue
		}
		if !found || c > celsius {
			celsius, sensor, found = c, t.SensorKey, true
		}
	}
	switch {
	case found:
		return celsius, sensor, nil
	case outside != nil:
		return 0, "", outside
	case err != nil:
		var w *host.Warnings
		if errors.As(err, &w) && len(w.List) > 0 {
			err = errors.Join(w.List...)
		}
		return 0, "", fmt.Errorf("sensor: temperature under %s: %w", rootName(root), err)
	}
	return 0, "", fmt.Errorf("%w: no hwmon temperature or thermal zone under %s/sys/class", ErrNoSensor, rootName(root))
}

func rootName(root string) string {
	if root == "" {
		return "/"
	}
	return root
}
