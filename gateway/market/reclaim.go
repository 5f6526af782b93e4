package market

import (
	"errors"

	"github.com/hearth-home/hearth/gateway"
	"github.com/hearth-home/hearth/gateway/api"
)

// JobCanceler is implemented by pools that can stop a job: its queued tasks
// are dropped and its running ones revoked, which the agents stop. The
// market stops a reclaimed order's job with it. With a pool that cannot,
// the job runs to its end and its results go unused. CancelJob of a job
// that has already ended returns an error wrapping gateway.ErrJobFinished.
type JobCanceler interface {
	CancelJob(id string) error
}

// The gateway cancels jobs.
var _ JobCanceler = (*gateway.Gateway)(nil)

// reclaimed ends an order that its requester took back: it is never
// settled, and a job of it that still runs is stopped, before the order is
// stored, so that after a crash in between the watcher's second delivery
// of the event does both again.
func (m *Market) reclaimed(o *orderRecord, why string) error {
	if o.State == api.OrderRunning && o.Job != "" {
		m.stopJob(o)
	}
	o.State, o.Reason = api.OrderReclaimed, why
	m.log.Info("order reclaimed", "order", o.ID, "job", o.Job, "reason", why)
	return m.putOrders(o)
}

// stopJob cancels a reclaimed order's pool job: nobody pays for its tasks
// any more. A job that cannot be stopped is logged and left to end.
func (m *Market) stopJob(o *orderRecord) {
	c, ok := m.pool.(JobCanceler)
	if !ok {
		m.log.Warn("reclaimed order's job runs on: this pool cannot cancel a job", "order", o.ID, "job", o.Job)
		return
	}
	err := c.CancelJob(o.Job)
	if errors.Is(err, gateway.ErrJobFinished) {
		m.log.Info("reclaimed order's job had already ended", "order", o.ID, "job", o.Job)
		return
	}
	if err != nil {
		m.log.Warn("reclaimed order's job could not be stopped; it runs on, its results unused",
			"order", o.ID, "job", o.Job, "err", err)
		return
	}
	m.log.Info("reclaimed order's job stopped", "order", o.ID, "job", o.Job)
}
