package agent

import (
	"encoding/json"
	"errors"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/store"
)

// The journal is what the agent keeps in its store about work: a handle per
// lease it has accepted and not finished (written before the task starts),
// and an outbox of results the gateway has not acknowledged. A lease moves
// from one to the other in a single transaction, so after a crash each
// lease is in exactly one place, or gone because its result was
// acknowledged.
const (
	bucketHandles = "handles"
	bucketOutbox  = "outbox"
)

// errStopScan ends a Scan early.
var errStopScan = errors.New("stop scan")

// maxReport and maxReportBytes bound one report, well below what the
// gateway accepts in one request (stdout and stderr take up to 64 KiB
// each per result).
const (
	maxReport      = 256
	maxReportBytes = 4 << 20
)

type journal struct {
	db *store.DB
	w  committer
}

func newJournal(db *store.DB) *journal { return &journal{db: db, w: committer{db: db}} }

// accept records handles for leases about to run.
func (j *journal) accept(leases []api.Lease) error {
	return j.w.do(func(tx *store.Tx) error {
		for i := range leases {
			if err := tx.PutJSON(bucketHandles, leases[i].ID, &leases[i]); err != nil {
				return err
			}
		}
		return nil
	})
}

// finish moves a lease from the handles to the outbox; a nil result drops
// the lease without one (it was revoked).
func (j *journal) finish(leaseID string, res *api.TaskResult) error {
	return j.w.do(func(tx *store.Tx) error {
		if res != nil {
			if err := tx.PutJSON(bucketOutbox, leaseID, res); err != nil {
				return err
			}
		}
		return tx.Delete(bucketHandles, leaseID)
	})
}

// finishAll is finish for many leases in one transaction.
func (j *journal) finishAll(results []api.TaskResult) error {
	return j.w.do(func(tx *store.Tx) error {
		for i := range results {
			if err := tx.PutJSON(bucketOutbox, results[i].LeaseID, &results[i]); err != nil {
				return err
			}
			if err := tx.Delete(bucketHandles, results[i].LeaseID); err != nil {
				return err
			}
		}
		return nil
	})
}

// handles returns the leases that were accepted and not finished.
func (j *journal) handles() ([]api.Lease, error) {
	var out []api.Lease
	err := j.db.View(func(tx *store.Tx) error {
		return tx.Scan(bucketHandles, "", func(_ string, v []byte) error {
			var l api.Lease
			if err := json.Unmarshal(v, &l); err != nil {
				return err
			}
			out = append(out, l)
			return nil
		})
	})
	return out, err
}

// unsent returns up to max results waiting in the outbox, and no more
// than fit in a report (all of them with max < 0), leaving out those skip
// names.
func (j *journal) unsent(max int, skip func(leaseID string) bool) ([]api.TaskResult, error) {
	var out []api.TaskResult
	size := 0
	err := j.db.View(func(tx *store.Tx) error {
		return tx.Scan(bucketOutbox, "", func(k string, v []byte) error {
			if len(out) == max || max > 0 && len(out) > 0 && size+len(v) > maxReportBytes {
				return errStopScan
			}
			if skip != nil && skip(k) {
				return nil
			}
			size += len(v)
			var r api.TaskResult
			if err := json.Unmarshal(v, &r); err != nil {
				return err
			}
			out = append(out, r)
			return nil
		})
	})
	if err == errStopScan {
		err = nil
	}
	return out, err
}

// unsentCount is the number of results in the outbox.
func (j *journal) unsentCount() int {
	n := 0
	j.db.View(func(tx *store.Tx) error {
		n = tx.Count(bucketOutbox)
		return nil
	})
	return n
}

// drop removes results from the outbox: acknowledged, or revoked.
func (j *journal) drop(leaseIDs []string) error {
	return j.w.do(func(tx *store.Tx) error {
		for _, id := range leaseIDs {
			if err := tx.Delete(bucketOutbox, id); err != nil {
				return err
			}
		}
		return nil
	})
}
