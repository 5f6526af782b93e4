package gateway

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/internal/identity"
	"github.com/hearth-home/hearth/power/policy"
	"github.com/hearth-home/hearth/store"
)

// Buckets of the gateway's database.
const (
	bucketMeta    = "meta"    // admin token, join token, job sequence
	bucketMembers = "members" // node ID -> memberRecord
	bucketJobs    = "jobs"    // job ID -> jobRecord
	bucketTasks   = "tasks"   // job ID + "/" + %08d index -> taskRecord
	bucketBlobs   = "blobs"   // digest -> blobRecord (index of the blob dir)
)

// memberRecord is the stored part of a member. Version orders concurrent
// writes of the same member, as taskRecord.Version does for tasks: without
// it a hello's older copy could land after an approval and unpair the node.
type memberRecord struct {
	ID        identity.NodeID `json:"id"`
	State     api.MemberState `json:"state"` // pending, or ready once paired
	Node      api.NodeInfo    `json:"node"`
	PairedAt  *time.Time      `json:"paired_at,omitempty"`
	Completed int             `json:"completed"`
	// Budget is the owner's budget for the device (hearth pool budget);
	// nil: the device's own.
	Budget *policy.Policy `json:"budget,omitempty"`
	// Firmware is the device's last firmware status; nil for devices that
	// are not appliances.
	Firmware *api.FirmwareStatus `json:"firmware,omitempty"`
	// Credibility is the device's record per app (by app digest), from
	// the certified tasks it ran replicas of (certify.go).
	Credibility map[string]*credRecord `json:"credibility,omitempty"`
	// Faults counts the wrong results it was caught returning, over all
	// apps; Quarantined says why it takes no certified work (empty: it
	// does).
	Faults      int    `json:"faults,omitempty"`
	Quarantined string `json:"quarantined,omitempty"`
	Version     uint64 `json:"version"`
}

// member is a member in memory: the record plus live health.
type member struct {
	memberRecord
	addr     string
	lastSeen time.Time
	health   api.Heartbeat
	// polled is when the device last asked for work or reported results
	// (and so will ask again in a moment): its free slots count as ready
	// for work for a second after.
	polled time.Time
	state  api.MemberState // live: ready, suspect or lost (pending stays pending)
}

// snapshot copies the record for writing outside the lock, bumping its
// version (see putMember).
func (m *member) snapshot() memberRecord {
	m.Version++
	r := m.memberRecord
	if m.Credibility != nil {
		r.Credibility = make(map[string]*credRecord, len(m.Credibility))
		for app, c := range m.Credibility {
			cc := *c
			r.Credibility[app] = &cc
		}
	}
	return r
}

// putMember writes a member snapshot unless the store holds a newer one.
func putMember(tx *store.Tx, r memberRecord) error {
	var old memberRecord
	if ok, _ := tx.GetJSON(bucketMembers, r.ID.String(), &old); ok && old.Version > r.Version {
		return nil
	}
	return tx.PutJSON(bucketMembers, r.ID.String(), r)
}

func (m *member) view() api.Member {
	state := m.state
	if m.memberRecord.State == api.MemberPending {
		state = api.MemberPending
	}
	return api.Member{
		ID: m.ID.String(), State: state, Node: m.Node, Addr: m.addr, PairedAt: m.PairedAt,
		LastSeen: m.lastSeen, Load1: m.health.Load1, MemFree: m.health.MemoryFree, TempC: m.health.TempC,
		DiskFree: m.health.DiskFree, DiskTotal: m.health.DiskTotal, Refusing: m.health.Refusing, Power: m.health.Power,
		Running: len(m.health.Running), Completed: m.Completed, Speed: m.health.Speed, Firmware: m.Firmware,
		Quarantined: m.Quarantined,
	}
}

type jobRecord struct {
	ID       string      `json:"id"`
	Spec     api.JobSpec `json:"spec"`
	Created  time.Time   `json:"created"`
	Finished *time.Time  `json:"finished,omitempty"`
	// Canceled is when the job was canceled (Finished is then the same);
	// nil for a job that was not.
	Canceled *time.Time `json:"canceled,omitempty"`
	// Stream names the stream whose partitions the job's tasks are; empty
	// for other jobs. Its tasks are leased only to stream requests, never
	// run out of retries, and stop when their function fails.
	Stream string `json:"stream,omitempty"`
	// Nondeterministic, for a certified job of class any, says how its
	// results split along device classes; PinClass is then the one class
	// its replicas run in.
	Nondeterministic string `json:"nondeterministic,omitempty"`
	PinClass         string `json:"pin_class,omitempty"`
}

type job struct {
	jobRecord
	tasks  []*task
	counts api.TaskCounts
	// work sums what its finished tasks took (kernel iterations: run
	// time times the speed of the device that ran them), over worked of
	// them; see workLocked.
	work   float64
	worked int
	// streamVersion is the stream's version, for a stream's job: a
	// partition leased with an older one stops at its next pull.
	streamVersion int
	notes         *noteLog // the stream's, for a stream's job
	// spreadUntil ends a new stream's first moments, in which a device
	// takes no more than its share of the partitions (fullShareLocked).
	spreadUntil time.Time
	// replicaCounts counts a certified job's replicas by state (counts
	// counts its tasks); nil for other jobs.
	replicaCounts *api.TaskCounts
	// took holds how long the job's latest tasks took from lease to
	// result (at most tookKept of them), for tail copies; memory only.
	took []time.Duration
	// usual is the median of took (usualTook); 0: not worked out yet.
	usual time.Duration
}

// queued is how many of j's leasable units wait in the queue: its tasks,
// or its replicas for a certified job.
func (j *job) queued() int {
	if j.replicaCounts != nil {
		return j.replicaCounts.Queued
	}
	return j.counts.Queued
}

func (j *job) state() api.JobState {
	switch {
	case j.Canceled != nil:
		return api.JobCanceled
	case j.Finished == nil:
		return api.JobRunning
	}
	if j.counts.Failed > 0 {
		return api.JobFailed
	}
	return api.JobDone
}

func (j *job) view() api.Job {
	v := api.Job{ID: j.ID, Spec: j.Spec, State: j.state(), Counts: j.counts, Created: j.Created, Finished: j.Finished,
		Nondeterministic: j.Nondeterministic}
	if j.replicaCounts != nil {
		c := *j.replicaCounts
		v.Replicas = &c
	}
	return v
}

// taskRecord is a task as stored. Version orders concurrent writes of the
// same task (see saveTasks).
type taskRecord struct {
	JobID   string          `json:"job_id"`
	Index   int             `json:"index"`
	State   api.TaskState   `json:"state"`
	Attempt int             `json:"attempt"`
	Node    identity.NodeID `json:"node"`
	// Nodes holds the node of every attempt so far, by attempt-1, so that
	// a late result from an earlier holder can be recognised.
	Nodes    []identity.NodeID `json:"nodes,omitempty"`
	History  []string          `json:"history,omitempty"`
	Result   *api.TaskResult   `json:"result,omitempty"`
	LeasedAt time.Time         `json:"leased_at,omitzero"`
	DoneAt   time.Time         `json:"done_at,omitzero"`
	// Replica numbers a certified task's replica, from 1; 0 for a task.
	// A replica is stored beside its task, under the task's key and
	// ".NN"; it is leased, expires and retries as a task does.
	Replica int `json:"replica,omitempty"`
	// Ringer marks a known-answer check: a replica of a task that other
	// devices' votes already certified, leased to test its device. It
	// looks like any replica to the device; its answer judges the device,
	// never the task (certify.go).
	Ringer bool `json:"ringer,omitempty"`
	// Class is a replica's device class (runtime/engine/arch), set when it
	// is leased; Weight and Vote its standing in the vote (api.Replica).
	Class  string `json:"class,omitempty"`
	Weight int    `json:"weight,omitempty"`
	Vote   string `json:"vote,omitempty"`
	// Cert is a certified task's certification; nil for other tasks and
	// for replicas.
	Cert    *certRecord `json:"cert,omitempty"`
	Version uint64      `json:"version"`
	// outputsOnDisk says that Result's stdout and stderr were dropped
	// from memory once stored: they are read from the store when asked
	// for (outputs.go), and a later write of the record keeps the stored
	// ones. Memory only.
	outputsOnDisk bool
}

type task struct {
	taskRecord
	job     *job
	expires time.Time // lease expiry while leased; memory only
	// runtime is what the current lease runs the task in (a prefer-native
	// job's may be wasm); memory only, set when it is leased.
	runtime string
	// streamVersion is the stream version its lease runs, for a stream
	// partition; memory only (0 after a restart: it stops and starts again).
	streamVersion int
	// parent is a replica's task; replicas a certified task's replicas,
	// by Replica-1.
	parent   *task
	replicas []*task
	// earlier is the attempt that still runs beside the current one since
	// a tail copy (tail.go); nil otherwise. Memory only.
	earlier *earlierAttempt
	// stuckSince is when a certified task began to wait for a vote no
	// device may give (checkStuckLocked); memory only.
	stuckSince time.Time
}

func taskKey(jobID string, index int) string { return fmt.Sprintf("%s/%08d", jobID, index) }

// key is the record's key in bucketTasks.
func (r *taskRecord) key() string {
	if r.Replica > 0 {
		return fmt.Sprintf("%s/%08d.%02d", r.JobID, r.Index, r.Replica)
	}
	return taskKey(r.JobID, r.Index)
}

// leaseID names a lease: "<job>/<index>/<attempt>", or for a replica of a
// certified task "<job>/<index>.<replica>/<attempt>".
func leaseID(jobID string, index, replica, attempt int) string {
	if replica > 0 {
		return fmt.Sprintf("%s/%d.%d/%d", jobID, index, replica, attempt)
	}
	return fmt.Sprintf("%s/%d/%d", jobID, index, attempt)
}

func (t *task) leaseID() string { return leaseID(t.JobID, t.Index, t.Replica, t.Attempt) }

// counts is where t is counted: its job's task counts, or its replica
// counts for a replica.
func (t *task) counts() *api.TaskCounts {
	if t.Replica > 0 {
		return t.job.replicaCounts
	}
	return &t.job.counts
}

func (t *task) view() api.Task {
	v := api.Task{JobID: t.JobID, Index: t.Index, State: t.State, Attempt: t.Attempt, History: t.History, Result: t.Result}
	if !t.Node.IsZero() {
		v.Node = t.Node.String()
	}
	if !t.LeasedAt.IsZero() {
		at := t.LeasedAt
		v.LeasedAt = &at
	}
	if !t.DoneAt.IsZero() {
		at := t.DoneAt
		v.DoneAt = &at
	}
	if t.Cert != nil {
		v.Certification = &api.Certification{How: t.Cert.How, Confidence: t.Cert.Confidence, Canonical: t.Cert.Canonical, Waiting: t.Cert.Waiting}
	}
	for _, r := range t.replicas {
		rv := api.Replica{Replica: r.Replica, State: r.State, Attempt: r.Attempt, Class: r.Class, Weight: r.Weight, Vote: r.Vote, Ringer: r.Ringer}
		if !r.Node.IsZero() {
			rv.Node = r.Node.String()
		}
		if r.Result != nil {
			rv.Digest = r.Result.Digest
		}
		v.Replicas = append(v.Replicas, rv)
	}
	return v
}

// snapshot copies the record for writing outside the lock, bumping its
// version so that the newest state wins however writes interleave.
func (t *task) snapshot() taskRecord {
	t.Version++
	r := t.taskRecord
	r.History = append([]string(nil), t.History...)
	r.Nodes = append([]identity.NodeID(nil), t.Nodes...)
	if t.Cert != nil {
		c := *t.Cert
		r.Cert = &c
	}
	return r
}

// saveTasks writes task snapshots (and optionally member snapshots and job
// records) in one coalesced transaction. A stored record with a higher
// version is newer than ours and is kept.
func saveTasks(db *store.DB, recs []taskRecord, members []memberRecord, jobs ...jobRecord) error {
	return db.Batch(func(tx *store.Tx) error {
		for _, r := range recs {
			// Of the stored record only its version is read, and its
			// result when memory dropped the outputs.
			var old struct {
				Version uint64          `json:"version"`
				Result  json.RawMessage `json:"result"`
			}
			key := r.key()
			ok, _ := tx.GetJSON(bucketTasks, key, &old)
			if ok && old.Version > r.Version {
				continue
			}
			var stored *api.TaskResult
			if ok && r.outputsOnDisk && json.Unmarshal(old.Result, &stored) == nil {
				r.Result = keepStoredOutputs(r.Result, stored)
			}
			if err := tx.PutJSON(bucketTasks, key, r); err != nil {
				return err
			}
		}
		for _, m := range members {
			if err := putMember(tx, m); err != nil {
				return err
			}
		}
		for _, j := range jobs {
			if err := tx.PutJSON(bucketJobs, j.ID, j); err != nil {
				return err
			}
		}
		return nil
	})
}
