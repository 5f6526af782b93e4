package market

import (
	"encoding/hex"
	"fmt"
	"strconv"
	"time"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/internal/merkle"
)

// Running: an accepted order becomes a pool job; a finished job gives the
// order its Merkle root of results.

// jobName names an order's pool job; a restart finds the job by it.
func jobName(id uint64) string { return "market-" + strconv.FormatUint(id, 10) }

// jobSpec is the pool job that runs an order; judge checks it before the
// order is accepted.
func (m *Market) jobSpec(o *orderRecord) api.JobSpec {
	spec := api.JobSpec{Name: jobName(o.ID), Runtime: o.Runtime, AppDigest: o.AppDigest,
		Args: o.Args, Tasks: o.Tasks}
	if c := m.cfg.Certify; c != nil {
		cc := *c
		spec.Certify = &cc
	}
	for i, in := range o.Inputs {
		spec.Inputs = append(spec.Inputs, api.Input{Name: strconv.Itoa(i), Digest: in})
	}
	return spec
}

// startJob turns an accepted order into a pool job, once: a job of the
// order's name that exists already is the one. An order whose job cannot be
// made is settled with no task done, refunding its requester.
func (m *Market) startJob(o *orderRecord) {
	o.State, o.Reason = api.OrderRunning, ""
	for _, j := range m.pool.Jobs() {
		if j.Spec.Name == jobName(o.ID) {
			o.Job = j.ID
			return
		}
	}
	j, err := m.pool.SubmitJob(m.jobSpec(o))
	crashPoint("job-submitted")
	if err != nil {
		now := time.Now().UTC()
		o.State, o.Reason, o.FinishedAt = api.OrderSettling, "accepted, but the pool cannot run it: "+err.Error(), &now
		o.Digests = make([]string, o.Tasks)
		o.ResultRoot = rootHex(o.ID, o.Digests)
		m.log.Warn("order's job refused; settling it as not done", "order", o.ID, "err", err)
		return
	}
	o.Job = j.ID
	m.log.Info("order running", "order", o.ID, "job", j.ID)
}

// followJobs notes the orders whose jobs finished, with their results'
// Merkle root, for settlement.
func (m *Market) followJobs(open []orderRecord) error {
	for i := range open {
		o := &open[i]
		if o.State != api.OrderRunning {
			continue
		}
		d, err := m.pool.Job(o.Job)
		if err != nil {
			return fmt.Errorf("order %d: job %s: %w", o.ID, o.Job, err)
		}
		// A job the owner canceled (hearth job cancel) has ended too:
		// the order is settled with the tasks that were done.
		if !d.State.Final() {
			continue
		}
		o.Digests = make([]string, o.Tasks)
		o.TasksDone = 0
		for _, t := range d.Tasks {
			if t.State == api.TaskDone && t.Result != nil && t.Index < o.Tasks {
				o.Digests[t.Index] = t.Result.Digest
				o.TasksDone++
			}
		}
		o.ResultRoot = rootHex(o.ID, o.Digests)
		now := time.Now().UTC()
		o.State, o.FinishedAt = api.OrderSettling, &now
		m.log.Info("order finished", "order", o.ID, "job", o.Job, "done", o.TasksDone, "of", o.Tasks, "root", o.ResultRoot)
		if err := m.putOrders(o); err != nil {
			return err
		}
	}
	return nil
}

func rootHex(order uint64, digests []string) string {
	r := merkle.Root(merkle.OrderLeaves(order, digests))
	return "0x" + hex.EncodeToString(r[:])
}
