package gateway

import (
	"fmt"
	"slices"
	"time"

	"github.com/hearth-home/hearth/gateway/api"
)

// CancelJob stops job id before it ends. Its queued tasks leave the queue
// and its leased ones leave the leases, so that the next heartbeat of the
// agent that runs one names it in HeartbeatResponse.Revoked: the agent
// kills the task and drops its result, and a result that arrives all the
// same is acked as stale. Those tasks end canceled, and the job with them;
// tasks that had finished keep their results. The job and its tasks are
// stored in one transaction before CancelJob returns, so that a restarted
// gateway neither leases its tasks again nor shows it running.
//
// A job that has already finished (done, failed or canceled) gives an
// error wrapping ErrJobFinished; an unknown one, ErrUnknownJob.
func (g *Gateway) CancelJob(id string) error {
	_, err := g.cancelJob(id)
	return err
}

// cancelJob is CancelJob, returning the job as it now stands. A stream's
// job is refused: it ends with its stream (RemoveStream).
func (g *Gateway) cancelJob(id string) (api.Job, error) {
	return g.endJob(id, false)
}

// endJob cancels job id; only stream, from RemoveStream, ends a stream's.
func (g *Gateway) endJob(id string, stream bool) (api.Job, error) {
	g.mu.Lock()
	j := g.jobs[id]
	if j == nil {
		g.mu.Unlock()
		return api.Job{}, fmt.Errorf("%w: %q", ErrUnknownJob, id)
	}
	if j.Stream != "" && !stream {
		g.mu.Unlock()
		return api.Job{}, fmt.Errorf("%w: %s runs the partitions of stream %s: stop them with `hearth stream rm %s`", ErrBadRequest, id, j.Stream, j.Stream)
	}
	if j.Finished != nil {
		state := j.state()
		g.mu.Unlock()
		return api.Job{}, fmt.Errorf("%w: %s is %s; only a running job can be canceled", ErrJobFinished, id, state)
	}
	var recs []taskRecord
	queued, revoked := 0, 0
	var units []*task // what is queued or leased: the tasks, or a certified job's replicas
	for _, t := range j.tasks {
		if t.State == api.TaskVerifying {
			j.counts.Verifying--
			j.counts.Canceled++
			t.State = api.TaskCanceled
			recs = append(recs, t.snapshot())
		}
		units = append(units, t)
		units = append(units, t.replicas...)
	}
	for _, t := range units {
		g.dropEarlierLocked(t)
		switch t.State {
		case api.TaskQueued:
			t.counts().Queued--
			queued++
		case api.TaskLeased:
			// Out of the leases: renewLocked now revokes it.
			delete(g.leased, t.leaseID())
			t.counts().Leased--
			revoked++
		default:
			continue
		}
		t.State = api.TaskCanceled
		t.counts().Canceled++
		recs = append(recs, t.snapshot())
	}
	if queued > 0 {
		g.queue = slices.DeleteFunc(g.queue, func(t *task) bool { return t.job == j })
	}
	now := time.Now().UTC()
	j.Canceled, j.Finished = &now, &now
	rec, view := j.jobRecord, j.view()
	urecs, ujobs := g.takeUnsavedLocked()
	g.mu.Unlock()

	if err := g.save(append(recs, urecs...), nil, append(ujobs, rec)...); err != nil {
		// Nothing of the job runs in this process any more; the
		// sweeper stores it as soon as the store works again.
		g.log.Error("store canceled job; storing it again until it works", "job", id, "err", err)
		return api.Job{}, fmt.Errorf("job %s canceled, but the store failed (it is stored again until it works): %w", id, err)
	}
	g.log.Info("job canceled", "job", id, "queued", queued, "revoked", revoked,
		"done", view.Counts.Done, "failed", view.Counts.Failed)
	return view, nil
}
