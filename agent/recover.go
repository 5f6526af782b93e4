package agent

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/sandbox"
)

// recoverWork picks up what an earlier process left: tasks still running are
// waited on again, tasks that cannot be found are reported lost (the gateway
// runs those attempts again elsewhere), unsent results keep their archives,
// and working directories of nothing are removed.
func (a *Agent) recoverWork(ctx context.Context) error {
	handles, err := a.journal.handles()
	if err != nil {
		return fmt.Errorf("reading task handles: %w", err)
	}
	live := make(map[string]bool)
	var lost []api.TaskResult
	for _, l := range handles {
		t, why := a.reattach(ctx, &l)
		if t == nil {
			a.log.Warn("task lost across the restart", "lease", l.ID, "why", why)
			lost = append(lost, a.result(&l, sandbox.Result{ExitCode: -1, Failure: sandbox.FailLost, Reason: why}, a.outputs.empty))
			continue
		}
		a.log.Info("task found again after the restart", "lease", l.ID)
		live[sandboxID(l.ID)] = true
		a.cap.take(&l)
		a.launch(l, t)
	}
	for name, rt := range a.runtimes {
		if sw, ok := rt.(sandbox.Sweeper); ok {
			n, err := sw.Sweep(ctx, func(id string) bool { return live[id] })
			if err != nil {
				a.log.Warn("removing tasks that no lease owns", "runtime", name, "err", err)
			} else if n > 0 {
				a.log.Info("removed tasks that no lease owns", "runtime", name, "count", n)
			}
		}
	}
	if len(lost) > 0 {
		if err := a.journal.finishAll(lost); err != nil {
			return fmt.Errorf("recording lost tasks: %w", err)
		}
		a.resultReady()
	}
	unsent, err := a.journal.unsent(-1, nil)
	if err != nil {
		return fmt.Errorf("reading unsent results: %w", err)
	}
	for _, r := range unsent {
		a.outputs.hold(r.Output.Digest)
	}
	if len(unsent) > 0 {
		a.log.Info("results waiting to be sent", "count", len(unsent))
	}
	entries, _ := os.ReadDir(a.workRoot)
	for _, e := range entries {
		if !live[e.Name()] {
			os.RemoveAll(filepath.Join(a.workRoot, e.Name()))
		}
	}
	return nil
}

// reattach finds the task of a handle, or says why it cannot.
func (a *Agent) reattach(ctx context.Context, l *api.Lease) (sandbox.Task, string) {
	rt := a.runtimes[l.Runtime]
	if rt == nil {
		return nil, fmt.Sprintf("runtime %q is not available after the agent restarted", l.Runtime)
	}
	t, err := rt.Recover(ctx, sandboxID(l.ID))
	switch {
	case errors.Is(err, sandbox.ErrNotFound):
		return nil, "the agent restarted and the task was gone"
	case err != nil:
		return nil, "the agent restarted and could not find the task again: " + err.Error()
	}
	return t, ""
}
