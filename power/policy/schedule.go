package policy

import (
	"fmt"
	"strings"
	"time"
)

// Schedule is a weekly schedule of budgets: rules that each give a budget
// to some days' time range, and an optional default for the rest of the
// week. ParseSchedule reads it from text (the grammar is in the package
// documentation); it does not change once parsed, so one Schedule may be
// shared by goroutines.
type Schedule struct {
	rules []rule
	def   *rule // the default line, nil when there is none
}

// rule is one line of a schedule: a default when def is set, or days ×
// [start, end) in minutes after midnight, end up to 1440 (24:00). end <=
// start crosses midnight: the range runs from start on each of the days to
// end on the day after.
type rule struct {
	line       int // in the text, from 1, for error messages
	def        bool
	days       string // as written, lower-cased: "mon-fri", "sat,sun", "*"
	mask       uint8  // bit 1<<time.Weekday for each day
	start, end int
	watts      float64
	off        bool // written as "off", kept so that String gives it back
}

const minutesPerDay = 24 * 60

// At gives the scheduled watts at t, in t's location (the device's local
// time: pass time.Now(), not time.Now().UTC()), and ok=false when no rule
// matches and there is no default. Rules compare wall-clock times, so on
// the days clocks change a rule covers an hour more or less. A nil
// Schedule matches nothing.
func (s *Schedule) At(t time.Time) (watts float64, ok bool) {
	r, ok := s.match(t)
	return r.watts, ok
}

// match finds the rule that gives the budget at t: the last rule that
// covers t, else the default.
func (s *Schedule) match(t time.Time) (rule, bool) {
	if s == nil {
		return rule{}, false
	}
	day := t.Weekday()
	minute := t.Hour()*60 + t.Minute()
	for i := len(s.rules) - 1; i >= 0; i-- {
		if s.rules[i].covers(day, minute) {
			return s.rules[i], true
		}
	}
	if s.def != nil {
		return *s.def, true
	}
	return rule{}, false
}

// covers reports whether the rule covers minute of day. A range that
// crosses midnight belongs to the day it starts on, so its part after
// midnight is looked up on the day before.
func (r rule) covers(day time.Weekday, minute int) bool {
	if r.start < r.end {
		return r.on(day) && r.start <= minute && minute < r.end
	}
	yesterday := (day + 6) % 7
	return r.on(day) && minute >= r.start || r.on(yesterday) && minute < r.end
}

func (r rule) on(day time.Weekday) bool { return r.mask&(1<<day) != 0 }

// String gives back the schedule's text, normalised: the default first,
// then the rules in their order, one per line with single spaces, days
// lower-cased, times as HH:MM, watts in their shortest form ("12.50W"
// becomes "12.5W"). Comments and blank lines are dropped. ParseSchedule
// reads the result back to the same schedule. A nil Schedule gives "".
func (s *Schedule) String() string {
	if s == nil {
		return ""
	}
	var lines []string
	if s.def != nil {
		lines = append(lines, s.def.String())
	}
	for _, r := range s.rules {
		lines = append(lines, r.String())
	}
	return strings.Join(lines, "\n")
}

// String is the rule's line, normalised; the reasons in a Budget quote it.
func (r rule) String() string {
	w := wattsText(r.watts) + "W"
	if r.off {
		w = "off"
	}
	if r.def {
		return "default " + w
	}
	return fmt.Sprintf("%s %s-%s %s", r.days, clock(r.start), clock(r.end), w)
}

func clock(minute int) string { return fmt.Sprintf("%02d:%02d", minute/60, minute%60) }

// MaxWatts is the largest watts the schedule names, the default's
// included, for validation against the device's maximum; 0 for an empty or
// nil schedule.
func (s *Schedule) MaxWatts() float64 {
	if s == nil {
		return 0
	}
	var m float64
	for _, r := range s.all() {
		m = max(m, r.watts)
	}
	return m
}

// all lists the default (first) and the rules, for checks.
func (s *Schedule) all() []rule {
	if s.def == nil {
		return s.rules
	}
	return append([]rule{*s.def}, s.rules...)
}
