package policy

import (
	"testing"
	"time"
)

func TestScheduleAt(t *testing.T) {
	const night = "mon 23:00-07:00 12W"
	const example = `default 6W
mon-fri 23:00-07:00 12W
sat,sun 00:00-24:00 10W
*       13:00-15:00 0W`
	for _, c := range []struct {
		name, text string
		at         time.Time
		want       float64
		wantOK     bool
	}{
		{"before a midnight range", night, on(mon, 22, 59), 0, false},
		{"midnight range starts", night, on(mon, 23, 0), 12, true},
		{"midnight range before midnight", night, on(mon, 23, 59), 12, true},
		{"midnight range at midnight", night, on(tue, 0, 0), 12, true},
		{"midnight range after midnight", night, on(tue, 6, 59), 12, true},
		{"midnight range ends", night, on(tue, 7, 0), 0, false},
		{"a midnight range belongs to its start day", night, on(mon, 3, 0), 0, false},
		{"not the next night", night, on(tue, 23, 30), 0, false},

		{"sunday night wraps into monday", "sun 22:00-06:00 3W", on(nextMon, 5, 59), 3, true},
		{"and the test week's monday too", "sun 22:00-06:00 3W", on(mon, 5, 0), 3, true},
		{"sunday night on sunday", "sun 22:00-06:00 3W", on(sun, 22, 0), 3, true},
		{"wrapping day range, sunday", "fri-mon 10:00-11:00 3W", on(sun, 10, 30), 3, true},
		{"wrapping day range, monday", "fri-mon 10:00-11:00 3W", on(nextMon, 10, 30), 3, true},
		{"wrapping day range, not tuesday", "fri-mon 10:00-11:00 3W", on(tue, 10, 30), 0, false},
		{"saturday-to-sunday range", "sat-sun 10:00-11:00 3W", on(sun, 10, 30), 3, true},
		{"list", "tue,thu 10:00-11:00 3W", on(thu, 10, 0), 3, true},
		{"list, not wednesday", "tue,thu 10:00-11:00 3W", on(wed, 10, 0), 0, false},
		{"single-day range", "wed-wed 10:00-11:00 3W", on(wed, 10, 0), 3, true},
		{"single-day range is not the week", "wed-wed 10:00-11:00 3W", on(thu, 10, 0), 0, false},

		{"24:00 covers the last minute", "sat 12:00-24:00 2W", on(sat, 23, 59), 2, true},
		{"24:00 ends at midnight", "sat 12:00-24:00 2W", on(sun, 0, 0), 0, false},
		{"whole day from midnight", "sat 00:00-24:00 2W", on(sat, 0, 0), 2, true},
		{"seconds do not reach the end", "sat 10:00-11:00 2W", on(sat, 10, 59).Add(59 * time.Second), 2, true},

		{"example: default", example, on(wed, 10, 0), 6, true},
		{"example: weekday night", example, on(thu, 2, 0), 12, true},
		{"example: friday night into saturday", example, on(sat, 6, 30), 10, true},
		{"example: weekend", example, on(sun, 10, 0), 10, true},
		{"example: last rule wins on weekdays", example, on(wed, 14, 0), 0, true},
		{"example: last rule wins over the weekend", example, on(sat, 13, 0), 0, true},
		{"example: quiet hours end", example, on(sat, 15, 0), 10, true},
		{"earlier rule under a later one", "* 00:00-24:00 1W\n* 00:00-24:00 2W", on(tue, 9, 0), 2, true},
		{"later rule that does not match", "* 00:00-24:00 1W\nmon 09:00-10:00 2W", on(tue, 9, 0), 1, true},
		{"default where nothing matches", "default 5W\nmon 09:00-10:00 2W", on(tue, 9, 0), 5, true},
		{"a default of off is a match", "default off", on(tue, 9, 0), 0, true},
		{"no default, nothing matches", "mon 09:00-10:00 2W", on(tue, 9, 0), 0, false},
		{"empty schedule", "", on(tue, 9, 0), 0, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, err := ParseSchedule(c.text)
			if err != nil {
				t.Fatal(err)
			}
			w, ok := s.At(c.at)
			if w != c.want || ok != c.wantOK {
				t.Errorf("At(%v) = %v, %v; want %v, %v", c.at, w, ok, c.want, c.wantOK)
			}
		})
	}
}

// At reads the wall clock of t's own location.
func TestScheduleAtLocation(t *testing.T) {
	s, err := ParseSchedule("mon 00:00-01:00 1W")
	if err != nil {
		t.Fatal(err)
	}
	local := on(mon, 0, 30) // Sunday 23:30 in UTC
	if w, ok := s.At(local); w != 1 || !ok {
		t.Errorf("At(%v) = %v, %v; want 1, true", local, w, ok)
	}
	if w, ok := s.At(local.UTC()); ok {
		t.Errorf("At(%v) = %v, %v; want no match (Sunday in UTC)", local.UTC(), w, ok)
	}
}

func TestScheduleNil(t *testing.T) {
	var s *Schedule
	if w, ok := s.At(on(mon, 1, 0)); w != 0 || ok {
		t.Errorf("nil At = %v, %v", w, ok)
	}
	if s.String() != "" || s.MaxWatts() != 0 {
		t.Errorf("nil String = %q, MaxWatts = %v", s.String(), s.MaxWatts())
	}
}

func TestScheduleMaxWatts(t *testing.T) {
	for text, want := range map[string]float64{
		"":                                      0,
		"default off":                           0,
		"default 9W\nmon 10:00-11:00 3W":        9,
		"default 2W\nmon 10:00-11:00 3.5W":      3.5,
		"mon 10:00-11:00 3W\n* 13:00-15:00 off": 3,
	} {
		s, err := ParseSchedule(text)
		if err != nil {
			t.Fatal(err)
		}
		if got := s.MaxWatts(); got != want {
			t.Errorf("MaxWatts of %q = %v, want %v", text, got, want)
		}
	}
}
