package hearthinit

import (
	"github.com/hearth-home/hearth/internal/atomicfile"

	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"
)

// ClockFile is where the device remembers the time across power cuts:
// boards like the Raspberry Pi have no battery-backed clock and start in
// 1970.
type ClockFile struct {
	Path string
	// Every is how often Run saves the time (default 10 minutes).
	Every time.Duration
}

// Load returns the time saved last.
func (c ClockFile) Load() (time.Time, error) {
	b, err := os.ReadFile(c.Path)
	if err != nil {
		return time.Time{}, err
	}
	t, err := time.Parse(time.RFC3339, strings.TrimSpace(string(b)))
	if err != nil {
		return time.Time{}, fmt.Errorf("%s: %w", c.Path, err)
	}
	return t, nil
}

// Save records now.
func (c ClockFile) Save(now time.Time) error {
	return atomicfile.WriteFile(c.Path, []byte(now.UTC().Format(time.RFC3339)+"\n"), 0o644)
}

// Run saves the time every Every until ctx ends.
func (c ClockFile) Run(ctx context.Context, log *slog.Logger) error {
	every := c.Every
	if every <= 0 {
		every = 10 * time.Minute
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
			if err := c.Save(time.Now()); err != nil {
				log.Warn("saving the clock", "err", err)
			}
		}
	}
}

// ChooseClock returns the newest of the candidates and true when it is
// later than now: the clock must never run behind the last time the device
// saw (its saved clock) nor behind the image's build time. Zero candidates
// are ignored.
func ChooseClock(now time.Time, candidates ...time.Time) (time.Time, bool) {
	var best time.Time
	for _, c := range candidates {
		if c.After(best) {
			best = c
		}
	}
	if best.After(now) {
		return best, true
	}
	return now, false
}
