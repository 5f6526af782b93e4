package hearthinit

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/hearth-home/hearth/firmware/hearthtxt"
)

// ErrNotCommitted is returned by TrialWatch.Run when a trial boot's window
// passed before the role was ready.
var ErrNotCommitted = errors.New("did not commit")

// ReadyFile is where the agent says, on a trial boot, that it paired with
// its pinned gateway and three heartbeats in a row were answered (its
// --ready-file); it is on a tmpfs, so every boot starts without it.
const ReadyFile = "/run/hearth/ready"

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
			return w.timeout()
		case <-tick.C:
		}
	}
}

// TrialReason is what a failed trial records for the next boot to report
// as last_rollback's reason (docs/firmware.md): err is what ended the
// trial (an ExitsError or ErrNotCommitted), role the role and window the
// trial's length.
func TrialReason(err error, role string, window time.Duration) string {
	var exits *ExitsError
	switch {
	case errors.As(err, &exits):
		return fmt.Sprintf("the %s exited %d times: %v", exits.Name, exits.Exits, exits.Last)
	case errors.Is(err, ErrNotCommitted) && role == hearthtxt.RoleGateway:
		return fmt.Sprintf("the gateway's API did not answer within %s", window)
	case errors.Is(err, ErrNotCommitted):
		return fmt.Sprintf("not paired again within %s", window)
	}
	return err.Error()
}

func (w TrialWatch) timeout() error {
	return fmt.Errorf("%w within %s", ErrNotCommitted, cmp.Or(w.Window, DefaultTrialWindow))
}

// FileExists is an agent's Ready: its ready file exists.
func FileExists(path string) func() bool {
	return func() bool {
		_, err := os.Stat(path)
		return err == nil
	}
}
