package agent

import (
	"context"
	"errors"
	"io"
	"sync"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/sandbox"
	"github.com/hearth-home/hearth/store"
)

// resultReady wakes the sender.
func (a *Agent) resultReady() {
	select {
	case a.outboxReady <- struct{}{}:
	default:
	}
}

// reportsInFlight bounds the reports sent at once. More than one lets a
// result that finishes while a report is out go at once instead of waiting
// for that report's answer; a few are enough, because results that pile up
// meanwhile share the next report.
const reportsInFlight = 3

// send drains the outbox while the session lasts: results go out as soon as
// they are in the outbox, one report per result when they come one by one,
// batched when they pile up. A result leaves the outbox on any ack; on a
// transport error it stays and goes again after a pause (the heartbeats
// end the session when the gateway is gone).
func (a *Agent) send(ctx context.Context, c *api.Client) error {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer wg.Wait()
	defer cancel()
	s := &sender{a: a, c: c, uploaded: make(map[string]bool), inFlight: make(map[string]bool),
		slots: make(chan struct{}, reportsInFlight), failed: make(chan error, 1)}
	for {
		select {
		case <-ctx.Done():
			return nil
		case err := <-s.failed:
			return err
		case s.slots <- struct{}{}:
		}
		results, err := a.journal.unsent(maxReport, s.isInFlight)
		if err != nil {
			return err
		}
		if len(results) == 0 {
			<-s.slots
			select {
			case <-ctx.Done():
				return nil
			case err := <-s.failed:
				return err
			case <-a.outboxReady:
				continue
			}
		}
		s.mark(results, true)
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := s.report(ctx, results)
			s.mark(results, false)
			<-s.slots
			if err != nil {
				select {
				case s.failed <- err:
				default:
				}
				return
			}
			a.resultReady() // what came meanwhile, or what failed, goes next
		}()
	}
}

// sender is the state of one session's send loop.
type sender struct {
	a      *Agent
	c      *api.Client
	slots  chan struct{} // one token per report in flight
	failed chan error    // an error that ends the session

	mu sync.Mutex
	// uploaded holds the archives this gateway was given in this session:
	// the empty /out archive, above all, is uploaded once, not per task.
	uploaded map[string]bool
	inFlight map[string]bool // lease IDs in reports not yet answered
}

func (s *sender) isInFlight(leaseID string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.inFlight[leaseID]
}

func (s *sender) mark(results []api.TaskResult, on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range results {
		if on {
			s.inFlight[r.LeaseID] = true
		} else {
			delete(s.inFlight, r.LeaseID)
		}
	}
}

// report delivers results and removes them from the outbox once acked. It
// returns only errors that end the session; others it logs, and waits a
// little before the results are tried again.
func (s *sender) report(ctx context.Context, results []api.TaskResult) error {
	a := s.a
	err := s.upload(ctx, results)
	var acks []api.Ack
	if err == nil {
		acks, err = s.c.Report(ctx, results)
	}
	switch {
	case err == nil:
		a.acked(results, acks)
		return nil
	case ctx.Err() != nil:
		return nil
	case refusedBy(err):
		return err
	}
	a.log.Warn("reporting results; keeping them", "count", len(results), "err", err)
	sleep(ctx, a.timing.maxBackoff)
	return nil
}

// upload gives the gateway the output archives of results. An archive
// missing or corrupt on this disk turns its result into a lost attempt,
// which the gateway runs again elsewhere.
func (s *sender) upload(ctx context.Context, results []api.TaskResult) error {
	a := s.a
	for i := range results {
		r := &results[i]
		d := r.Output.Digest
		s.mu.Lock()
		done := s.uploaded[d]
		s.mu.Unlock()
		if done {
			continue
		}
		rc, size, err := a.blobs.Open(store.Digest(d))
		if err != nil {
			a.lostOutput(r, err)
			continue
		}
		body := &readErr{r: rc}
		err = s.c.PutBlob(ctx, d, body, size)
		rc.Close()
		if body.err != nil {
			a.lostOutput(r, body.err)
			continue
		}
		if err != nil {
			return err
		}
		s.mu.Lock()
		s.uploaded[d] = true
		s.mu.Unlock()
	}
	return nil
}

func (a *Agent) lostOutput(r *api.TaskResult, err error) {
	a.log.Error("output archive of a finished task is lost; reporting the attempt lost", "lease", r.LeaseID, "err", err)
	*r = a.result(&api.Lease{ID: r.LeaseID, JobID: r.JobID, Index: r.Index, Attempt: r.Attempt, Replica: r.Replica},
		sandbox.Result{ExitCode: -1, Failure: sandbox.FailLost, Reason: "output archive lost on the agent: " + err.Error()},
		a.outputs.empty)
}

// acked removes acknowledged results from the outbox.
func (a *Agent) acked(results []api.TaskResult, acks []api.Ack) {
	ids := make([]string, len(results))
	for i, r := range results {
		ids[i] = r.LeaseID
		switch ack := acks[i]; ack.Status {
		case api.AckAccepted, api.AckDuplicate:
			a.log.Debug("result delivered", "lease", r.LeaseID, "ack", ack.Status)
		default:
			a.log.Warn("result dropped by the gateway", "lease", r.LeaseID, "ack", ack.Status, "why", ack.Error)
		}
	}
	if err := a.journal.drop(ids); err != nil {
		// They stay and go again; the gateway acks repeats as duplicates.
		a.log.Error("removing delivered results", "err", err)
		return
	}
	for _, r := range results {
		a.outputs.release(r.Output.Digest)
	}
}

// readErr remembers an error of the reader it wraps, to tell a local disk
// problem from a network one after an upload fails.
type readErr struct {
	r   io.Reader
	err error
}

func (e *readErr) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err != nil && !errors.Is(err, io.EOF) {
		e.err = err
	}
	return n, err
}

// refusedBy reports whether err means the gateway no longer takes this
// node's calls, which ends the session from any of its loops. A gateway
// that cannot be reached ends it only through the heartbeats: the other
// loops try again after a pause, so that one call timed out in a crowd
// does not cost a new session (docs/scale.md, fix 18).
func refusedBy(err error) bool {
	return errors.Is(err, api.ErrPending) || errors.Is(err, api.ErrForbidden) || errors.Is(err, api.ErrUnauthorized)
}
