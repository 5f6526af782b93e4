package agent

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/internal/tarball"
	"github.com/hearth-home/hearth/sandbox"
	"github.com/hearth-home/hearth/store"
)

// sandboxID turns a lease ID ("<job>/<index>/<attempt>") into a task ID
// that every runtime accepts as a file or container name: the readable part
// keeps letters, digits, '.', '_' and '-', and a hash of the whole lease ID
// keeps distinct leases apart. It is a pure function of the lease ID, so a
// restarted agent finds its tasks again.
func sandboxID(leaseID string) string {
	safe := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '_', r == '-':
			return r
		}
		return '-'
	}, leaseID)
	safe = strings.TrimLeft(safe, ".-_")
	if len(safe) > 48 {
		safe = safe[:48]
	}
	sum := sha256.Sum256([]byte(leaseID))
	return "t" + safe + "-" + hex.EncodeToString(sum[:5])
}

// run takes a lease from accepted to finished: start (or, with t set, the
// task recovered after a restart), wait, pack /out, and move the lease from
// the handles to the outbox. When ctx ends first it returns leaving the
// handle in place, so that the next start of the agent finds the task again
// or reports it lost.
func (a *Agent) run(ctx context.Context, w *work, t sandbox.Task) {
	l := &w.lease
	defer a.free(w)
	defer a.work.remove(l.ID)
	defer w.cancel()
	dir := filepath.Join(a.workRoot, sandboxID(l.ID))

	res, ok := a.execute(ctx, w, t, dir)
	if !ok {
		return
	}
	if w.isRevoked() {
		if err := a.journal.finish(l.ID, nil); err != nil {
			a.log.Error("dropping revoked task", "lease", l.ID, "err", err)
		}
		a.outputs.release(res.Output.Digest)
		a.log.Info("task revoked by the gateway; result dropped", "lease", l.ID)
	} else {
		if err := a.journal.finish(l.ID, &res); err != nil {
			// The handle stays: the next start reports the attempt lost.
			a.log.Error("storing task result", "lease", l.ID, "err", err)
			a.outputs.release(res.Output.Digest)
			return
		}
		a.resultReady()
		a.log.Debug("task finished", "lease", l.ID, "exit", res.ExitCode, "failure", res.Failure, "wall", time.Duration(res.WallMilli)*time.Millisecond)
	}
	os.RemoveAll(dir)
}

// execute runs the task and builds its result. It reports false when ctx
// ended before the task did.
func (a *Agent) execute(ctx context.Context, w *work, t sandbox.Task, dir string) (api.TaskResult, bool) {
	l := &w.lease
	if t == nil {
		var err error
		var fail sandbox.Failure
		t, fail, err = a.start(ctx, w, dir)
		switch {
		case ctx.Err() != nil:
			return api.TaskResult{}, false
		case w.isRevoked():
			return a.failed(l, sandbox.FailKilled, "lease revoked before the task started"), true
		case err != nil:
			return a.failed(l, fail, err.Error()), true
		}
	}
	if w.setTask(t) {
		t.Kill(ctx)
	}
	if g := a.cfg.Governor; g != nil {
		g.Add(t.ID(), a.runtimes[l.Runtime], l.Resources.CPU)
	}
	a.log.Debug("task started", "lease", l.ID)
	if w.sio != nil {
		go func() {
			defer close(w.sio.fed)
			a.feed(w.ctx, w, t, w.sio, taskCPU(a.runtimes[l.Runtime], t.ID()))
		}()
	}
	r, err := t.Wait(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return api.TaskResult{}, false
		}
		r = sandbox.Result{ExitCode: -1, Failure: sandbox.FailLost, Reason: "sandbox: " + err.Error()}
	}
	if w.sio != nil {
		w.sio.finish(&r) // the feeder commits what was processed, and ends
	}
	var energy float64
	if g := a.cfg.Governor; g != nil {
		energy = g.Remove(t.ID(), r.CPU)
	}
	// The task no longer uses the device: let the lease loop ask for the
	// next one while this one is packed and recorded.
	a.free(w)
	out, err := a.outputs.empty, error(nil)
	if !w.isRevoked() { // a revoked task's output goes nowhere
		out, err = a.outputs.pack(filepath.Join(dir, "out"))
	}
	if err != nil {
		out = a.outputs.empty
		if errors.Is(err, tarball.ErrTooLarge) {
			r.Failure, r.Reason = failOutput, err.Error()
		} else {
			r.Failure, r.Reason = sandbox.FailLost, "packing /out: "+err.Error()
		}
	}
	dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	if err := t.Delete(dctx); err != nil {
		a.log.Warn("releasing sandbox task", "lease", l.ID, "err", err)
	}
	cancel()
	res := a.result(l, r, out)
	res.EnergyWh = energy
	return res, true
}

// free gives the lease's capacity back, and its blobs to the cache's
// eviction, once.
func (a *Agent) free(w *work) {
	w.freed.Do(func() {
		a.cap.release(&w.lease)
		w.pinMu.Lock()
		if w.pinned {
			a.cache.unpin(leaseBlobs(&w.lease)...)
		}
		w.pinned, w.released = false, true
		w.pinMu.Unlock()
	})
}

// leaseBlobs lists the digests of the app and inputs a lease uses from the
// blob cache.
func leaseBlobs(l *api.Lease) []string {
	var ds []string
	if l.Image == "" {
		ds = append(ds, l.App.Digest)
	}
	for _, in := range l.Inputs {
		ds = append(ds, in.Digest)
	}
	return ds
}

// start fetches what the lease needs and starts its task. On failure it
// says which Failure to report.
func (a *Agent) start(ctx context.Context, w *work, dir string) (sandbox.Task, sandbox.Failure, error) {
	l := &w.lease
	rt := a.runtimes[l.Runtime]
	if rt == nil {
		return nil, sandbox.FailStart, fmt.Errorf("runtime %q is not available on this node (it has: %s)", l.Runtime, strings.Join(a.rtNames, ", "))
	}
	app := sandbox.App{Digest: l.App.Digest, Ref: l.Image}
	// Pinned until free: the cache keeps to its budget without removing
	// what this task reads.
	w.pinMu.Lock()
	if !w.pinned && !w.released {
		a.cache.pin(leaseBlobs(l)...)
		w.pinned = true
	}
	w.pinMu.Unlock()
	if l.Image == "" {
		path, err := a.cache.get(w.ctx, l.App.Digest)
		if err != nil {
			return nil, sandbox.FailStart, fmt.Errorf("fetch app %s: %w", l.App.Digest, err)
		}
		app.Path = path
	}
	if err := rt.Prepare(w.ctx, app); err != nil {
		return nil, sandbox.FailStart, err
	}
	spec := sandbox.Spec{
		ID: sandboxID(l.ID), App: app, Args: l.Args, Env: l.Env, User: l.User,
		OutDir: filepath.Join(dir, "out"), Deterministic: l.Deterministic,
		Limits: sandbox.Limits{
			MemoryBytes: int64(l.Resources.Memory),
			CPU:         l.Resources.CPU,
			Timeout:     l.Resources.Timeout.D(),
		},
	}
	if l.Stream != nil {
		// A partition's instance: fed on stdin, for as long as it holds
		// the lease; each message has l.Stream.Timeout. It gets no /out:
		// a long-lived instance would fill the disk unseen.
		w.sio = newStreamIO()
		spec.Stdin, spec.Stdout, spec.Limits.Timeout = w.sio.stdin(), w.sio.stdout(), sandbox.NoTimeout
	}
	if err := os.MkdirAll(spec.OutDir, 0o700); err != nil {
		return nil, sandbox.FailStart, err
	}
	if len(l.Inputs) > 0 {
		spec.InDir = filepath.Join(dir, "in")
		if err := a.stageInputs(w.ctx, l.Inputs, spec.InDir); err != nil {
			return nil, sandbox.FailStart, err
		}
	}
	if w.ctx.Err() != nil {
		return nil, sandbox.FailKilled, w.ctx.Err()
	}
	if l.Stream != nil {
		spec.OutDir = "" // its empty out dir is the result's output
	}
	t, err := rt.Start(ctx, spec)
	if err != nil {
		return nil, sandbox.FailStart, err
	}
	return t, "", nil
}

// stageInputs puts the lease's inputs in dir.
func (a *Agent) stageInputs(ctx context.Context, inputs []api.InputRef, dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	for _, in := range inputs {
		if in.Name == "" || in.Name == "." || in.Name == ".." || filepath.Base(in.Name) != in.Name {
			return fmt.Errorf("input name %q is not a plain file name", in.Name)
		}
		if _, err := a.cache.get(ctx, in.Digest); err != nil {
			return fmt.Errorf("fetch input %s: %w", in.Name, err)
		}
		if err := a.cache.link(store.Digest(in.Digest), filepath.Join(dir, in.Name)); err != nil {
			return fmt.Errorf("stage input %s: %w", in.Name, err)
		}
	}
	return nil
}

// result builds the report of a finished task.
func (a *Agent) result(l *api.Lease, r sandbox.Result, out api.BlobRef) api.TaskResult {
	res := api.TaskResult{
		LeaseID: l.ID, JobID: l.JobID, Index: l.Index, Attempt: l.Attempt,
		ExitCode: r.ExitCode, Failure: string(r.Failure), Reason: r.Reason,
		Stdout: r.Stdout, Stderr: r.Stderr,
		StdoutTruncated: r.StdoutTruncated, StderrTruncated: r.StderrTruncated,
		Output:    out,
		WallMilli: r.Wall.Milliseconds(), CPUMilli: r.CPU.Milliseconds(),
		FinishedAt: time.Now().UTC(),
		Replica:    l.Replica,
	}
	res.Digest = api.ResultDigest(&res)
	if l.Replica > 0 {
		// Bound to this device and lease: a certified task's vote.
		res.Seal = api.ResultSeal(a.id.ID.String(), l.ID, res.Digest)
	}
	return res
}

// failed is the result of a lease whose task did not run.
func (a *Agent) failed(l *api.Lease, f sandbox.Failure, reason string) api.TaskResult {
	a.log.Warn("task did not run", "lease", l.ID, "failure", f, "reason", reason)
	return a.result(l, sandbox.Result{ExitCode: -1, Failure: f, Reason: reason}, a.outputs.empty)
}
