package policy

import (
	"testing"
	"time"
)

// Tests use one fixed week, in a fixed zone that is not UTC so that a
// test reading UTC instead of the time's own location fails.
var home = time.FixedZone("UTC+1", 60*60)

// Days of the test week: Monday 6 January 2025 to Sunday 12 January, and
// the Monday after.
const (
	mon = 6 + iota
	tue
	wed
	thu
	fri
	sat
	sun
	nextMon
)

// on is day (one of the constants above) at hh:mm, at home.
func on(day, hh, mm int) time.Time { return time.Date(2025, time.January, day, hh, mm, 0, 0, home) }

func TestTestWeek(t *testing.T) {
	for day, want := range map[int]time.Weekday{
		mon: time.Monday, tue: time.Tuesday, wed: time.Wednesday, thu: time.Thursday,
		fri: time.Friday, sat: time.Saturday, sun: time.Sunday, nextMon: time.Monday,
	} {
		if got := on(day, 12, 0).Weekday(); got != want {
			t.Errorf("January %d is a %v, want %v", day, got, want)
		}
	}
}
