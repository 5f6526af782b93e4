package hearthinit

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"
)

// ErrNotCommitted is returned by TrialWatch.Run when a trial boot's window
// passed before the role was ready.
var ErrNotCommitted = errors.New("did not commit")

// ReadyFile is where the agent says, on a trial boot, that it paired with
// its pinned gateway and three heartbeats in a row were answered (its
// --ready-file); it is on a tmpfs, so every boot starts without it.
const ReadyFile = "/run/hearth/ready"

// StatusFile is the firmware status hearth-init publishes.
const StatusFile = "/run/hearth/firmware.json"

// DefaultTrialWindow is how long a trial slot has to become ready.
const DefaultTrialWindow = 120 * time.Second

// TrialWatch waits for a trial boot's role to be ready: a slot whose role
// runs but never pairs again (hung, or unable to reach the gateway) must
// fall back as surely as one whose role exits.
type TrialWatch struct {
	// Window is the time allowed (default DefaultTrialWindow).
	Window time.Duration
	// Ready reports whether the role is ready.
	Ready func() bool
	// Every is how often Ready is asked (default 1 s).
	Every time.Duration
}

// Run returns nil once Ready or when ctx ends (check ctx to tell), and
// ErrNotCommitted when the window passes first.
func (w TrialWatch) Run(ctx context.Context) error {
	window, every := w.Window, w.Every
	if window <= 0 {
		window = DefaultTrialWindow
	}
	if every <= 0 {
		every = time.Second
	}
	deadline := time.NewTimer(window)
	defer deadline.Stop()
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		if w.Ready() {
			return nil
		}
		select {
		case <-ctx.Done():
			return nil
		case <-deadline.C:
			if w.Ready() {
				return nil
			}
			return fmt.Errorf("%w within %s", ErrNotCommitted, window)
		case <-tick.C:
		}
	}
}

// FileExists is an agent's Ready: its ready file exists.
func FileExists(path string) func() bool {
	return func() bool {
		_, err := os.Stat(path)
		return err == nil
	}
}
