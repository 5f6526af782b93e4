package hearthinit

import (
	"path/filepath"
	"testing"
	"time"
)

func TestChooseClock(t *testing.T) {
	epoch := time.Unix(0, 0)
	built := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	saved := time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name        string
		now         time.Time
		saved, want time.Time
		set         bool
	}{
		{"no RTC, saved clock", epoch, saved, saved, true},
		{"no RTC, first boot", epoch, time.Time{}, built, true},
		{"saved clock older than the image", epoch, built.Add(-time.Hour), built, true},
		{"the clock is right already", saved.Add(time.Hour), saved, saved.Add(time.Hour), false},
	} {
		got, set := ChooseClock(tc.now, tc.saved, built)
		if !got.Equal(tc.want) || set != tc.set {
			t.Errorf("%s: ChooseClock = %v, %v; want %v, %v", tc.name, got, set, tc.want, tc.set)
		}
	}
}

func TestClockFile(t *testing.T) {
	c := ClockFile{Path: filepath.Join(t.TempDir(), "clock")}
	if _, err := c.Load(); err == nil {
		t.Error("Load of a missing file succeeded")
	}
	now := time.Date(2027, 1, 2, 3, 4, 5, 0, time.FixedZone("CET", 3600))
	must(t, c.Save(now))
	got, err := c.Load()
	if err != nil || !got.Equal(now) {
		t.Errorf("Load = %v, %v; want %v", got, err, now)
	}
}
