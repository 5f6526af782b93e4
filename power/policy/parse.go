package policy

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ParseSchedule reads a schedule's text (the grammar is in the package
// documentation). Errors wrap ErrBadPolicy and name the line, as in
// `schedule line 3: unknown day "mnd" ...`; the first error is returned.
// Text with no rules (empty, or only comments) is a schedule that matches
// nothing.
func ParseSchedule(text string) (*Schedule, error) {
	s, err := parseSchedule(text)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadPolicy, err)
	}
	return s, nil
}

// parseSchedule is ParseSchedule without ErrBadPolicy, for the reason
// Evaluate gives when it ignores a schedule.
func parseSchedule(text string) (*Schedule, error) {
	s := &Schedule{}
	for i, line := range strings.Split(text, "\n") {
		line, _, _ = strings.Cut(line, "#")
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		r, err := parseRule(fields)
		if err != nil {
			return nil, fmt.Errorf("schedule line %d: %w", i+1, err)
		}
		r.line = i + 1
		if r.def {
			if s.def != nil {
				return nil, fmt.Errorf("schedule line %d: a second default (the first is on line %d)", r.line, s.def.line)
			}
			s.def = &r
			continue
		}
		s.rules = append(s.rules, r)
	}
	return s, nil
}

// parseRule reads one line's fields: "default WATTS" or "DAYS TIMES WATTS".
func parseRule(fields []string) (rule, error) {
	var r rule
	rest := fields
	if strings.EqualFold(fields[0], "default") {
		r.def = true
		rest = fields[1:]
		if len(rest) == 0 {
			return r, errors.New("missing watts after default (as in default 6W)")
		}
	} else {
		if strings.Contains(fields[0], ":") {
			return r, fmt.Errorf("missing days before %q (as in mon-fri, or * for every day)", fields[0])
		}
		days, mask, err := parseDays(fields[0])
		if err != nil {
			return r, err
		}
		r.days, r.mask = days, mask
		if len(fields) < 2 {
			return r, fmt.Errorf("missing time range after %q (as in 23:00-07:00)", fields[0])
		}
		if r.start, r.end, err = parseTimes(fields[1]); err != nil {
			return r, err
		}
		if len(fields) < 3 {
			return r, fmt.Errorf("missing watts after %q (as in 12W, or off)", fields[1])
		}
		rest = fields[2:]
	}
	w, off, err := parseWatts(rest[0])
	if err != nil {
		if len(rest) > 1 && strings.EqualFold(rest[1], "W") {
			if _, perr := strconv.ParseFloat(rest[0], 64); perr == nil {
				return r, fmt.Errorf("watts %q: write them as one token, %q", rest[0]+" "+rest[1], rest[0]+"W")
			}
		}
		return r, err
	}
	r.watts, r.off = w, off
	if len(rest) > 1 {
		return r, fmt.Errorf("unexpected %q after the watts", strings.Join(rest[1:], " "))
	}
	return r, nil
}

var dayNames = map[string]time.Weekday{
	"sun": time.Sunday, "mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday,
	"thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday,
}

// parseDays reads "*", a day, a range "mon-fri" (wrapping: "fri-mon" is
// fri sat sun mon) or a comma-separated list of days and ranges.
func parseDays(tok string) (string, uint8, error) {
	tok = strings.ToLower(tok)
	if tok == "*" {
		return tok, 1<<7 - 1, nil
	}
	var mask uint8
	for item := range strings.SplitSeq(tok, ",") {
		from, to, isRange := strings.Cut(item, "-")
		first, err := parseDay(from, tok)
		if err != nil {
			return "", 0, err
		}
		last := first
		if isRange {
			if last, err = parseDay(to, tok); err != nil {
				return "", 0, err
			}
		}
		for d := first; ; d = (d + 1) % 7 {
			mask |= 1 << d
			if d == last {
				break
			}
		}
	}
	return tok, mask, nil
}

func parseDay(name, tok string) (time.Weekday, error) {
	if name == "" {
		return 0, fmt.Errorf("missing day in %q (want mon tue wed thu fri sat sun, a range like mon-fri, a list like sat,sun, or *)", tok)
	}
	d, ok := dayNames[name]
	if !ok {
		return 0, fmt.Errorf("unknown day %q (want mon tue wed thu fri sat sun, a range like mon-fri, a list like sat,sun, or *)", name)
	}
	return d, nil
}

// parseTimes reads "HH:MM-HH:MM" into minutes after midnight.
func parseTimes(tok string) (start, end int, err error) {
	from, to, ok := strings.Cut(tok, "-")
	if !ok {
		return 0, 0, fmt.Errorf("time range %q: want HH:MM-HH:MM as one token, as in 23:00-07:00", tok)
	}
	if start, err = parseClock(from); err != nil {
		return 0, 0, err
	}
	if end, err = parseClock(to); err != nil {
		return 0, 0, err
	}
	switch {
	case start == minutesPerDay:
		return 0, 0, fmt.Errorf("time range %q starts at 24:00, which can only end a range", tok)
	case start == end:
		return 0, 0, fmt.Errorf("time range %q is empty (for the whole day write 00:00-24:00)", tok)
	}
	return start, end, nil
}

// parseClock reads H:MM or HH:MM, from 00:00 to 24:00.
func parseClock(s string) (int, error) {
	h, m, ok := strings.Cut(s, ":")
	bad := fmt.Errorf("time %q is not a time of day (HH:MM from 00:00 to 24:00)", s)
	if !ok || len(h) < 1 || len(h) > 2 || len(m) != 2 || !digits(h) || !digits(m) {
		return 0, bad
	}
	hh, _ := strconv.Atoi(h)
	mm, _ := strconv.Atoi(m)
	if hh > 24 || mm > 59 || hh == 24 && mm != 0 {
		return 0, bad
	}
	return hh*60 + mm, nil
}

// parseWatts reads "12W", "12.5W" (w or W) or "off" (0 W). Only plain
// decimals: no sign, exponent, NaN or Inf.
func parseWatts(tok string) (w float64, off bool, err error) {
	if strings.EqualFold(tok, "off") {
		return 0, true, nil
	}
	num, ok := strings.CutSuffix(strings.ToUpper(tok), "W")
	whole, frac, hasFrac := strings.Cut(num, ".")
	if !ok || !digits(whole) || hasFrac && !digits(frac) {
		return 0, false, fmt.Errorf("watts %q: want a number followed by W, as in 12W or 12.5W, or off", tok)
	}
	w, err = strconv.ParseFloat(num, 64)
	if err != nil { // out of range: digits only, so nothing else
		return 0, false, fmt.Errorf("watts %q: %w", tok, err)
	}
	return w, false, nil
}

// digits reports whether s is one or more ASCII digits.
func digits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
