package sensor

import (
	"fmt"
	"time"
)

// A Meter reads the power that the whole device draws now.
type Meter interface {
	// Name says what is read, for status and logs, e.g. "hwmon ina219
	// power1", "hwmon ina3221 curr×in 1-3", "rapl package-0", "battery
	// BAT0".
	Name() string

	// Watts is the power now, in watts. Counter meters (RAPL) return the
	// mean since the previous call; their first call primes them and
	// returns ErrNotReady. A reading that cannot be trusted is an error
	// naming the file (see the package documentation).
	Watts() (float64, error)
}

// Options tunes Meters. The zero value works.
type Options struct {
	// Now is the clock that counter meters (RAPL) time their readings
	// with. Tests pass a fake one so that readings are deterministic.
	// Default time.Now.
	Now func() time.Time
}

// maxWatts is more than any home device draws: a reading above it is a
// misread or misscaled register, not a power.
const maxWatts = 10_000

// Meters finds the power meters under root, best first: hwmon power,
// hwmon current×voltage, RAPL, then discharging batteries (the package
// documentation says why in that order). It only looks at which files
// exist; it reads no value but the names, types and status that tell
// meters apart. It returns ErrNoSensor, and no meters, when none is found.
func Meters(root string, opts Options) ([]Meter, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	power, currIn := hwmonMeters(root)
	meters := append(power, currIn...)
	if m := raplMeter(root, opts.Now); m != nil {
		meters = append(meters, m)
	}
	meters = append(meters, batteryMeters(root)...)
	if len(meters) == 0 {
		return nil, fmt.Errorf("%w: no power meter under %s (hwmon, RAPL or discharging battery)", ErrNoSensor, root)
	}
	return meters, nil
}

// checkWatts refuses a power that no home device draws: a negative one (a
// meter wired backwards, or a sign convention this package does not know)
// and one above maxWatts. what names the file or files it came from.
func checkWatts(w float64, what string) error {
	switch {
	case w < 0:
		return fmt.Errorf("sensor: %s: negative power %.3g W", what, w)
	case w > maxWatts:
		return fmt.Errorf("sensor: %s: %.0f W is above %d W, more than a home device draws", what, w, maxWatts)
	}
	return nil
}
