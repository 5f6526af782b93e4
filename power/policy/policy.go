package policy

import (
	"fmt"
	"math"
	"sync"
)

// Default thermal limits, for Policy.SoftC and Policy.HardC left at 0.
const (
	DefaultSoftC = 70.0
	DefaultHardC = 80.0
)

// Policy is what the owner sets for one device. The zero value works: no
// limit but the device's maximum, derated between 70 and 80 °C.
type Policy struct {
	// Watts is a constant budget; 0 means the device's maximum.
	Watts float64 `json:"watts,omitempty"`
	// Schedule is a weekly schedule's text (see ParseSchedule). Where one
	// of its rules, or its default, gives a budget, that budget replaces
	// Watts; elsewhere Watts holds. Empty means no schedule.
	Schedule string `json:"schedule,omitempty"`
	// SoftC is the temperature above which the budget shrinks, linearly
	// to 0 at HardC; 0 means DefaultSoftC (70 °C).
	SoftC float64 `json:"soft_c,omitempty"`
	// HardC is the temperature at or above which work stops; 0 means
	// DefaultHardC (80 °C).
	HardC float64 `json:"hard_c,omitempty"`
}

// Check validates the whole policy against the device's maximum maxW
// (maxW <= 0 means unknown, see CheckWatts): Watts, the schedule's syntax
// and each of its watts, and the thermal limits (each within 0..150 °C,
// SoftC below HardC, defaults applied first). Errors wrap ErrBadPolicy and
// name the field by its JSON name or the schedule line; the first is
// returned.
func (p Policy) Check(maxW float64) error {
	if err := p.check(maxW); err != nil {
		return fmt.Errorf("%w: %w", ErrBadPolicy, err)
	}
	return nil
}

func (p Policy) check(maxW float64) error {
	if err := checkWatts("budget", p.Watts, maxW); err != nil {
		return fmt.Errorf("watts: %w", err)
	}
	if p.Schedule != "" {
		s, err := parseSchedule(p.Schedule)
		if err != nil {
			return err
		}
		for _, r := range s.all() {
			if err := checkWatts("budget", r.watts, maxW); err != nil {
				return fmt.Errorf("schedule line %d: %w", r.line, err)
			}
		}
	}
	_, _, err := p.limits()
	return err
}

// limits gives the thermal limits with the defaults applied.
func (p Policy) limits() (soft, hard float64, err error) {
	soft, softText := p.SoftC, fmt.Sprintf("soft_c %v °C", p.SoftC)
	if soft == 0 {
		soft, softText = DefaultSoftC, fmt.Sprintf("soft_c %v °C (the default)", DefaultSoftC)
	}
	hard, hardText := p.HardC, fmt.Sprintf("hard_c %v °C", p.HardC)
	if hard == 0 {
		hard, hardText = DefaultHardC, fmt.Sprintf("hard_c %v °C (the default)", DefaultHardC)
	}
	if math.IsNaN(soft) || soft < 0 || soft > 150 {
		return 0, 0, fmt.Errorf("%s is outside 0..150 °C", softText)
	}
	if math.IsNaN(hard) || hard < 0 || hard > 150 {
		return 0, 0, fmt.Errorf("%s is outside 0..150 °C", hardText)
	}
	if soft >= hard {
		return 0, 0, fmt.Errorf("%s must be below %s", softText, hardText)
	}
	return soft, hard, nil
}

// schedules memoises parseSchedule for Evaluate, which may run every
// second, on a copy of the Policy each time (the governor copies it out of
// its lock), so a cache inside the Policy would be lost with the copy.
// Schedules do not change once parsed, so the same one may serve every
// caller. The map is emptied when it reaches maxSchedules texts, which
// bounds it when a gateway evaluates many devices' policies.
var schedules = struct {
	sync.Mutex
	m map[string]parsedSchedule
}{m: map[string]parsedSchedule{}}

const maxSchedules = 64

type parsedSchedule struct {
	schedule *Schedule
	err      error
}

// schedule is p's Schedule parsed, once per text.
func (p *Policy) schedule() (*Schedule, error) {
	schedules.Lock()
	defer schedules.Unlock()
	if c, ok := schedules.m[p.Schedule]; ok {
		return c.schedule, c.err
	}
	if len(schedules.m) >= maxSchedules {
		clear(schedules.m)
	}
	s, err := parseSchedule(p.Schedule)
	schedules.m[p.Schedule] = parsedSchedule{schedule: s, err: err}
	return s, err
}
