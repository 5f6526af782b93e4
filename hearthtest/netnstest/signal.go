package netnstest

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"
)

// readyMarker is the line Ready prints and WaitReady looks for.
const readyMarker = "NETNSTEST-READY"

// Ready tells the parent, from a child, that the child has reached the
// point the parent waits for with Child.WaitReady.
func Ready() {
	fmt.Fprintln(os.Stdout, readyMarker)
}

// WaitReady waits until the child calls Ready. It returns an error when the
// child exits first or ctx ends.
func (c *Child) WaitReady(ctx context.Context) error {
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		if strings.Contains(c.Output(), readyMarker) {
			return nil
		}
		select {
		case <-c.done:
			if strings.Contains(c.Output(), readyMarker) {
				return nil
			}
			return fmt.Errorf("netnstest: %s exited before it was ready: %v", c.Role, c.err)
		case <-ctx.Done():
			return fmt.Errorf("netnstest: waiting for %s to be ready: %w", c.Role, context.Cause(ctx))
		case <-tick.C:
		}
	}
}

// Interrupt sends SIGINT to the child. A child that runs until told to stop
// ends its test cleanly on it, e.g. with
// signal.NotifyContext(t.Context(), os.Interrupt).
func (c *Child) Interrupt() error {
	return c.cmd.Process.Signal(os.Interrupt)
}
