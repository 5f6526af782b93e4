package gateway

// A finished task's stdout and stderr (up to the agent's cap each) stay
// in the store, not in memory: a gateway that ran a million tasks would
// otherwise hold all their outputs (docs/scale.md). Once a result is
// stored, the task in memory keeps the result without them; a job's
// detail reads them back from the store. Tasks whose outputs the gateway
// itself reads stay whole: a stream partition's (its stderr says why it
// ended) and a certified task's replicas.

import (
	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/store"
)

// dropOutputsLocked drops t's stdout and stderr from memory, once its
// result is stored.
func dropOutputsLocked(t *task) {
	r := t.Result
	if r == nil || t.outputsOnDisk || len(r.Stdout)+len(r.Stderr) == 0 ||
		t.job.replicaCounts != nil || t.job.Stream != "" ||
		t.State != api.TaskDone && t.State != api.TaskFailed {
		return
	}
	c := *r // the stored snapshot may share *r: never changed in place
	c.Stdout, c.Stderr = nil, nil
	t.Result, t.outputsOnDisk = &c, true
}

// keepStoredOutputs is r with the stored result's stdout and stderr, when
// stored is the same attempt's result.
func keepStoredOutputs(r, stored *api.TaskResult) *api.TaskResult {
	if r == nil || stored == nil || stored.LeaseID != r.LeaseID || stored.Digest != r.Digest {
		return r
	}
	c := *r
	c.Stdout, c.Stderr = stored.Stdout, stored.Stderr
	return &c
}

// fillOutputs reads back from the store the outputs of the tasks in ts
// (views of j's tasks, by index) that memory dropped.
func (g *Gateway) fillOutputs(ts []api.Task, dropped []int) error {
	if len(dropped) == 0 {
		return nil
	}
	return g.db.View(func(tx *store.Tx) error {
		for _, i := range dropped {
			v := &ts[i]
			var rec taskRecord
			if ok, err := tx.GetJSON(bucketTasks, taskKey(v.JobID, v.Index), &rec); err != nil || !ok {
				return err
			}
			v.Result = keepStoredOutputs(v.Result, rec.Result)
		}
		return nil
	})
}
