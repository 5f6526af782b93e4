package policy

import (
	"testing"
	"time"
)

func TestParseScheduleGood(t *testing.T) {
	for _, c := range []struct {
		name, text string
		want       string // String of the result
	}{
		{"empty", "", ""},
		{"only comments and blanks", "# nothing yet\n\n   \t\n# still nothing", ""},
		{"the documented example", `# night tariff: compute more at night
default 6W
mon-fri 23:00-07:00 12W
sat,sun 00:00-24:00 10W
*       13:00-15:00 0W     # quiet hours (0 W pauses work)
`, "default 6W\nmon-fri 23:00-07:00 12W\nsat,sun 00:00-24:00 10W\n* 13:00-15:00 0W"},
		{"default goes first", "mon 10:00-11:00 3W\ndefault 1W", "default 1W\nmon 10:00-11:00 3W"},
		{"off is kept", "* 13:00-15:00 off", "* 13:00-15:00 off"},
		{"case and one-digit hours", "Mon-FRI 7:05-9:00 2.50w\nDEFAULT OFF", "default off\nmon-fri 07:05-09:00 2.5W"},
		{"tabs, CRLF and a comment right after the watts", "sat\t08:00-10:00\t4W#weekend\r\n", "sat 08:00-10:00 4W"},
		{"wrapping day range and mixed list", "fri-mon,wed 22:00-06:00 1.25W", "fri-mon,wed 22:00-06:00 1.25W"},
		{"24:00 ends a range", "sun 12:00-24:00 1W", "sun 12:00-24:00 1W"},
		{"whole day", "* 00:00-24:00 1W", "* 00:00-24:00 1W"},
		{"zero watts", "* 00:00-01:00 0W", "* 00:00-01:00 0W"},
		{"trailing zeros trimmed", "* 00:00-01:00 010.500W", "* 00:00-01:00 10.5W"},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, err := ParseSchedule(c.text)
			if err != nil {
				t.Fatalf("ParseSchedule: %v", err)
			}
			if got := s.String(); got != c.want {
				t.Errorf("String() = %q, want %q", got, c.want)
			}
			again, err := ParseSchedule(s.String())
			if err != nil {
				t.Fatalf("ParseSchedule(String()): %v", err)
			}
			if again.String() != s.String() {
				t.Errorf("String does not round-trip: %q, then %q", s.String(), again.String())
			}
			for h := range 7 * 24 * 4 {
				at := on(mon, 0, 0).Add(time.Duration(h) * 15 * time.Minute)
				w1, ok1 := s.At(at)
				w2, ok2 := again.At(at)
				if w1 != w2 || ok1 != ok2 {
					t.Fatalf("at %v: parsed %v %v, reparsed from String %v %v", at, w1, ok1, w2, ok2)
				}
			}
		})
	}
}

func TestParseScheduleBad(t *testing.T) {
	for _, c := range []struct {
		name, text string
		want       string // the error contains it
	}{
		{"unknown day", "default 6W\n\nmnd 10:00-11:00 1W", `schedule line 3: unknown day "mnd"`},
		{"full day name", "monday 10:00-11:00 1W", `schedule line 1: unknown day "monday"`},
		{"unknown day in a range", "mon-fr 10:00-11:00 1W", `schedule line 1: unknown day "fr"`},
		{"empty list item", "# c\nsat, 10:00-11:00 1W", `schedule line 2: missing day in "sat,"`},
		{"star in a list", "*,mon 10:00-11:00 1W", `schedule line 1: unknown day "*"`},
		{"hour out of range", "#\n#\n#\nmon 25:00-26:00 1W", `schedule line 4: time "25:00" is not a time of day`},
		{"minute out of range", "mon 10:60-11:00 1W", `schedule line 1: time "10:60" is not a time of day`},
		{"24:30", "mon 10:00-24:30 1W", `schedule line 1: time "24:30" is not a time of day`},
		{"one-digit minutes", "mon 10:0-11:00 1W", `schedule line 1: time "10:0" is not a time of day`},
		{"24:00 starts", "mon 24:00-01:00 1W", `schedule line 1: time range "24:00-01:00" starts at 24:00`},
		{"empty range", "mon 10:00-10:00 1W", `schedule line 1: time range "10:00-10:00" is empty`},
		{"no dash", "mon 10:00 1W", `schedule line 1: time range "10:00": want HH:MM-HH:MM`},
		{"spaced dash", "mon 10:00 - 11:00 1W", `schedule line 1: time range "10:00": want HH:MM-HH:MM`},
		{"missing days", "10:00-11:00 1W", `schedule line 1: missing days before "10:00-11:00"`},
		{"missing times", "mon", `schedule line 1: missing time range after "mon"`},
		{"missing watts", "\nmon 10:00-11:00  # no watts", `schedule line 2: missing watts after "10:00-11:00"`},
		{"default without watts", "default", "schedule line 1: missing watts after default"},
		{"duplicate default", "default 1W\nmon 10:00-11:00 2W\ndefault 3W", "schedule line 3: a second default (the first is on line 1)"},
		{"watts without W", "mon 10:00-11:00 12", `schedule line 1: watts "12": want a number followed by W`},
		{"watts in two tokens", "mon 10:00-11:00 12 W", `schedule line 1: watts "12 W": write them as one token, "12W"`},
		{"default watts in two tokens", "default 6 W", `schedule line 1: watts "6 W": write them as one token, "6W"`},
		{"negative watts", "mon 10:00-11:00 -1W", `schedule line 1: watts "-1W"`},
		{"exponent", "mon 10:00-11:00 1e3W", `schedule line 1: watts "1e3W"`},
		{"kilowatts", "mon 10:00-11:00 1kW", `schedule line 1: watts "1kW"`},
		{"NaN", "mon 10:00-11:00 NaNW", `schedule line 1: watts "NaNW"`},
		{"bare dot", "mon 10:00-11:00 12.W", `schedule line 1: watts "12.W"`},
		{"extra tokens", "mon 10:00-11:00 12W now please", `schedule line 1: unexpected "now please" after the watts`},
		{"extra after default", "default 6W 7W", `schedule line 1: unexpected "7W" after the watts`},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, err := ParseSchedule(c.text)
			checkErr(t, err, c.want)
			if s != nil {
				t.Errorf("ParseSchedule gave a schedule with its error: %q", s)
			}
		})
	}
}
