package hearthinit

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"
)

// ErrNotCommitted is returned by TrialWatch.Run when a trial boot's window
// passed without the new slot being committed.
var ErrNotCommitted = errors.New("the trial slot was not committed in time")

// CommittedFile is where whoever commits a trial slot (the agent, through
// firmware/slot) says so; it is on a tmpfs, so every boot starts without it.
const CommittedFile = "/run/hearth/committed"

// DefaultTrialWindow is how long a trial slot has to commit.
const DefaultTrialWindow = 120 * time.Second

// TrialWatch ends a trial boot that does not commit: a slot whose agent
// runs but never pairs again (hung, or unable to reach the gateway) must
// fall back as surely as one whose agent exits.
type TrialWatch struct {
	// Window is the time allowed (default DefaultTrialWindow).
	Window time.Duration
	// Committed is the file whose existence means committed (default
	// CommittedFile).
	Committed string
	// Every is how often the file is looked for (default 1 s).
	Every time.Duration
}

// Run returns nil once the slot is committed or ctx ends, and
// ErrNotCommitted when the window passes first.
func (w TrialWatch) Run(ctx context.Context) error {
	window, path, every := w.Window, w.Committed, w.Every
	if window <= 0 {
		window = DefaultTrialWindow
	}
	if path == "" {
		path = CommittedFile
	}
	if every <= 0 {
		every = time.Second
	}
	deadline := time.NewTimer(window)
	defer deadline.Stop()
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		if _, err := os.Stat(path); err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return nil
		case <-deadline.C:
			if _, err := os.Stat(path); err == nil {
				return nil
			}
			return fmt.Errorf("%w (%s, no %s)", ErrNotCommitted, window, path)
		case <-tick.C:
		}
	}
}
