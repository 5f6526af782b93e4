package sensor

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// rapl sums the power of the CPU packages from their energy counters. It
// remembers the previous reading, so it is not safe for concurrent use.
type rapl struct {
	zones []string // intel-rapl:<N> directories
	name  string
	now   func() time.Time

	primed bool
	at     time.Time
	energy []int64 // µJ per zone, read at at
}

// raplMeter finds the top-level package zones under root, or returns nil.
func raplMeter(root string, now func() time.Time) Meter {
	base := filepath.Join(root, "sys/class/powercap")
	var zones, names []string
	for _, n := range indexed(base, "intel-rapl:", "") {
		dir := filepath.Join(base, "intel-rapl:"+strconv.Itoa(n))
		name, err := readString(filepath.Join(dir, "name"))
		// psys covers the packages and more; counting both would count the
		// packages twice. A zone that does not say what it is is left out
		// for the same reason.
		if err != nil || !strings.HasPrefix(name, "package") {
			continue
		}
		if !exists(filepath.Join(dir, "energy_uj")) {
			continue
		}
		zones = append(zones, dir)
		names = append(names, name)
	}
	if len(zones) == 0 {
		return nil
	}
	return &rapl{zones: zones, name: "rapl " + strings.Join(names, "+"), now: now}
}

func (m *rapl) Name() string { return m.name }

// Watts returns the mean power since the previous call. The counter wraps
// at max_energy_range_uj (often about 262 kJ: over an hour at 50 W); one
// wrap is taken into account, but the meter must be read more often than
// it wraps. A counter that cannot be read leaves the previous reading in
// place, so the next call gives the mean over the longer time; an absurd
// power replaces it, so that the meter starts again from there.
func (m *rapl) Watts() (float64, error) {
	at := m.now()
	energy := make([]int64, len(m.zones))
	ranges := make([]int64, len(m.zones))
	for i, dir := range m.zones {
		e, span, err := readEnergy(dir)
		if err != nil {
			return 0, err
		}
		energy[i], ranges[i] = e, span
	}
	primed, prevAt, prev := m.primed, m.at, m.energy
	m.primed, m.at, m.energy = true, at, energy
	if !primed {
		return 0, ErrNotReady
	}
	dt := at.Sub(prevAt).Seconds()
	if dt <= 0 {
		return 0, fmt.Errorf("%w: no time passed since the previous reading", ErrNotReady)
	}
	var sum float64
	for i, dir := range m.zones {
		d := energy[i] - prev[i]
		if d < 0 {
			d += ranges[i]
		}
		w := float64(d) / 1e6 / dt
		if err := checkWatts(w, filepath.Join(dir, "energy_uj")); err != nil {
			return 0, err
		}
		sum += w
	}
	return sum, nil
}

// readEnergy reads a zone's counter and the range it wraps at, both in µJ.
// Besides readInt's errors, a negative counter, a range that is not
// positive and a counter beyond its range are errors naming the file.
func readEnergy(dir string) (energy, span int64, err error) {
	energyPath := filepath.Join(dir, "energy_uj")
	maxPath := filepath.Join(dir, "max_energy_range_uj")
	if energy, err = readInt(energyPath); err != nil {
		return 0, 0, err
	}
	if span, err = readInt(maxPath); err != nil {
		return 0, 0, err
	}
	switch {
	case span <= 0:
		return 0, 0, fmt.Errorf("sensor: %s: range %d µJ is not positive", maxPath, span)
	case energy < 0:
		return 0, 0, fmt.Errorf("sensor: %s: negative energy %d µJ", energyPath, energy)
	case energy > span:
		return 0, 0, fmt.Errorf("sensor: %s: energy %d µJ is beyond max_energy_range_uj %d", energyPath, energy, span)
	}
	return energy, span, nil
}
