package gateway

import (
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/internal/identity"
	"github.com/hearth-home/hearth/internal/ociimage"
	"github.com/hearth-home/hearth/store"
)

// maxLeaseWait bounds how long a lease request is held open.
const maxLeaseWait = 30 * time.Second

// retryable failures are not the task's own doing: the attempt is run again
// elsewhere while the job's retry budget lasts. A non-zero exit, a trap, a
// timeout or running out of memory are the task's own and final.
func retryable(failure string) bool {
	return failure == "lost" || failure == "killed" || failure == "start"
}

// lease hands node the queued tasks that fit req, waiting up to req.Wait
// for work to arrive.
func (g *Gateway) lease(ctx context.Context, node identity.NodeID, req api.LeaseRequest) ([]api.Lease, error) {
	wait := min(req.Wait.D(), maxLeaseWait)
	timer := time.NewTimer(wait)
	defer timer.Stop()
	lw := &leaseWait{node: node, headroomW: math.Inf(1), runtimes: req.Runtimes, wake: make(chan struct{}, 1)}
	if req.HeadroomW != nil {
		lw.headroomW = *req.HeadroomW
	}
	streams := req.Streams > 0
	// A stream request takes no task: no task request defers to it. The
	// stream requests waiting spread each stream's partitions.
	g.mu.Lock()
	if streams {
		g.streamWaiting[node]++
	} else {
		g.waiting[lw] = struct{}{}
		g.waitingBy[node]++
	}
	g.mu.Unlock()
	// woken: a parked wait was woken and has not yet looked at the queue
	// (or passed the wake on); a request that ends meanwhile passes it on.
	deferred, held, woken := false, false, false
	defer func() {
		g.mu.Lock()
		if streams {
			if g.streamWaiting[node]--; g.streamWaiting[node] <= 0 {
				delete(g.streamWaiting, node)
			}
		} else {
			delete(g.waiting, lw)
			if g.waitingBy[node]--; g.waitingBy[node] <= 0 {
				delete(g.waitingBy, node)
			}
			lw.done = true
			select {
			case <-lw.wake:
				woken = true
			default:
			}
			if woken {
				// Woken, and gone before looking: the next one looks.
				g.relayLocked()
			}
		}
		g.mu.Unlock()
	}()
	for {
		g.mu.Lock()
		m, err := g.workerLocked(node)
		if err != nil {
			g.mu.Unlock()
			return nil, err
		}
		now := time.Now()
		m.polled = now
		if !streams && !deferred && len(g.queue) > 0 && g.betterWaitingLocked(lw) {
			// Another device waits with more power headroom: it picks
			// first, and this one takes what is left a moment later.
			deferred = true
			g.mu.Unlock()
			select {
			case <-time.After(headroomDefer):
			case <-ctx.Done():
				return nil, nil
			}
			continue
		}
		var allow map[*job]int
		var hold bool
		if !streams {
			allow, hold = g.speedAllowanceLocked(m, req, now)
		}
		if hold {
			// Faster devices would finish the queue before this one
			// finished a task: let them, and look again in a moment.
			if !held {
				held = true
				g.log.Debug("lease held back: faster devices finish the queue sooner", "node", node.Short())
			}
			if woken {
				g.relayLocked() // the wake was for a device that takes work
				woken = false
			}
			wake := g.wake
			g.mu.Unlock()
			select {
			case <-wake:
			case <-time.After(speedRecheck):
			case <-timer.C:
				return nil, nil
			case <-ctx.Done():
				return nil, nil
			}
			continue
		}
		picked := g.pickLocked(m, req, allow)
		if len(picked) == 0 && !streams && !g.cfg.NoTailCopies {
			picked = g.tailCopyLocked(m, req, now)
		}
		recs := make([]taskRecord, len(picked))
		// The leases are made under the lock: once it is released the
		// task may move on (a late result may finish it) before the grant
		// is stored, and the lease must name the attempt granted.
		out := make([]api.Lease, len(picked))
		for i, t := range picked {
			recs[i] = t.snapshot()
			out[i] = g.leaseOf(t)
		}
		wake := g.wake
		if len(picked) == 0 && !streams {
			if woken {
				g.relayLocked()
			}
			g.parkLocked(lw)
			wake = lw.wake
		}
		woken = false
		g.mu.Unlock()
		if len(picked) > 0 {
			if err := saveTasks(g.db, recs, nil); err != nil {
				// Not stored means not granted: put them back.
				g.log.Error("store leases; not granted", "node", node.Short(), "count", len(picked), "err", err)
				g.unpick(picked, out)
				return nil, err
			}
			return out, nil
		}
		select {
		case <-wake:
			woken = !streams
		case <-timer.C:
			return nil, nil
		case <-ctx.Done():
			return nil, nil
		}
	}
}

// workerLocked returns node's member if it may take work.
func (g *Gateway) workerLocked(node identity.NodeID) (*member, error) {
	m := g.members[node]
	switch {
	case m == nil:
		// Say so in the log, once a minute per node: an agent that never
		// paired (or paired with another pool) polls every few seconds.
		if now := time.Now(); now.Sub(g.refused[node]) > time.Minute {
			g.refused[node] = now
			g.log.Warn("refused work to a node that is not paired with this pool", "node", node.Short(),
				"fix", "start the agent with this pool's join token, or let it say hello and run `hearth pool approve`")
		}
		return nil, fmt.Errorf("%w: %s", ErrNotPaired, node.Short())
	case m.memberRecord.State == api.MemberPending:
		return nil, fmt.Errorf("%w: %s", ErrPending, node.Short())
	}
	return m, nil
}

// pickLocked takes tasks off the queue, oldest first, that fit the request
// and that allow (speedAllowanceLocked) leaves to m.
func (g *Gateway) pickLocked(m *member, req api.LeaseRequest, allow map[*job]int) []*task {
	max := req.Max
	if max <= 0 {
		max = 1
	}
	streams := req.Streams > 0
	if streams {
		// Partitions are long-lived and mostly idle: they count against
		// the device's stream room, not its task slots.
		max = req.Streams
	}
	if streams && !g.streamQueuedLocked() {
		return nil // no partition waits: the task queue is not looked at
	}
	cpu, mem := req.FreeCPU, req.FreeMemory
	now := time.Now()
	var picked []*task
	kept := g.queue[:0]
	for i, t := range g.queue {
		if len(picked) == max {
			kept = append(kept, g.queue[i:]...)
			break
		}
		spec := &t.job.Spec
		rt := runtimeFor(spec, req.Runtimes, req.Platforms)
		n, limited := allow[t.job]
		if t.Replica > 0 {
			// Replicas go to distinct devices: a faster device that
			// holds a sibling cannot take this one.
			limited = false
		}
		fits := rt != "" && (!limited || n != 0) &&
			(streams || cpu <= 0 && req.FreeCPU <= 0 || spec.Resources.CPU <= cpu+1e-9) &&
			(streams || mem <= 0 && req.FreeMemory <= 0 || int64(spec.Resources.Memory) <= mem)
		if !fits || streams != (t.job.Stream != "") || streams && (g.fewerWaitingLocked(m.ID, t.job) || g.fullShareLocked(m, t.job, now)) ||
			t.Replica > 0 && !g.replicaFitsLocked(t, m, rt) {
			kept = append(kept, t)
			continue
		}
		if limited && n > 0 {
			allow[t.job] = n - 1
		}
		cpu -= spec.Resources.CPU
		mem -= int64(spec.Resources.Memory)
		g.leaseToLocked(t, m, rt, now)
		picked = append(picked, t)
		if len(picked) < max && t.Replica > 0 {
			fits := func(s *api.JobSpec) bool {
				return (cpu <= 0 && req.FreeCPU <= 0 || s.Resources.CPU <= cpu+1e-9) &&
					(mem <= 0 && req.FreeMemory <= 0 || int64(s.Resources.Memory) <= mem)
			}
			if r := g.ringerLocked(m, t, now, fits); r != nil {
				cpu -= r.job.Spec.Resources.CPU
				mem -= int64(r.job.Spec.Resources.Memory)
				picked = append(picked, r)
			}
		}
	}
	clear(g.queue[len(kept):])
	g.queue = kept
	return picked
}

// streamQueuedLocked reports whether a stream partition waits in the
// queue.
func (g *Gateway) streamQueuedLocked() bool {
	return slices.ContainsFunc(g.streamJobs, func(j *job) bool { return j.counts.Queued > 0 })
}

// streamsLiveLocked reports whether a stream has partitions queued or
// leased. While none has, agents hold no request for partitions open
// (HeartbeatResponse.NoStreams): most pools run no stream, and each open
// request costs the gateway a connection.
func (g *Gateway) streamsLiveLocked() bool {
	return slices.ContainsFunc(g.streamJobs, func(j *job) bool { return j.counts.Queued+j.counts.Leased > 0 })
}

// leaseToLocked leases queued task t to m, to run with runtime rt.
func (g *Gateway) leaseToLocked(t *task, m *member, rt string, now time.Time) {
	t.Attempt++
	t.runtime = rt
	t.State = api.TaskLeased
	t.Node = m.ID
	t.Nodes = append(t.Nodes, m.ID)
	if t.Replica > 0 {
		t.Class = deviceClass(m, rt)
	}
	t.expires = now.Add(g.leaseTTL(t))
	t.LeasedAt = now.UTC()
	g.leased[t.leaseID()] = t
	if t.job.notes != nil {
		t.job.notes.add(t.Index, "taken by %s (%s), attempt %d", m.ID.Short(), m.Node.Name, t.Attempt)
	}
	t.counts().Queued--
	t.counts().Leased++
}

// fullShareLocked reports whether m already holds its share of a new
// stream's partitions (an equal share over the ready devices that run its
// runtime) before j.spreadUntil.
func (g *Gateway) fullShareLocked(m *member, j *job, now time.Time) bool {
	if !now.Before(j.spreadUntil) {
		return false
	}
	devices := 0
	for _, o := range g.members {
		if o.state == api.MemberReady && slices.Contains(o.Node.Runtimes, j.Spec.Runtime) {
			devices++
		}
	}
	held := 0
	for _, t := range j.tasks {
		if t.State == api.TaskLeased && t.Node == m.ID {
			held++
		}
	}
	return held >= (len(j.tasks)+devices-1)/max(devices, 1)
}

// fewerWaitingLocked reports whether another device that waits for stream
// partitions holds fewer of j's than node (counting what node picked so
// far): the partition is then left to it, so that a stream spreads over
// the devices that run it.
func (g *Gateway) fewerWaitingLocked(node identity.NodeID, j *job) bool {
	held := map[identity.NodeID]int{}
	for _, t := range j.tasks {
		if t.State == api.TaskLeased {
			held[t.Node]++
		}
	}
	for other := range g.streamWaiting {
		if other != node && held[other] < held[node] {
			return true
		}
	}
	return false
}

func (g *Gateway) leaseOf(t *task) api.Lease {
	spec := &t.job.Spec
	args, env := api.ExpandTask(spec, t.JobID, t.Index)
	inputs := make([]api.InputRef, len(spec.Inputs))
	for i, in := range spec.Inputs {
		inputs[i] = api.InputRef{Name: in.Name, Digest: in.Digest, Size: in.Size}
	}
	l := api.Lease{
		ID: t.leaseID(), JobID: t.JobID, Index: t.Index, Attempt: t.Attempt, Replica: t.Replica, Deterministic: t.Replica > 0,
		Runtime: spec.Runtime, App: api.BlobRef{Digest: spec.AppDigest}, Image: spec.Image, Args: args, Env: env,
		Inputs: inputs, Resources: spec.Resources, User: spec.User, TTL: api.Duration(g.cfg.LeaseTTL),
	}
	if t.job.Stream != "" {
		t.streamVersion = t.job.streamVersion
		l.Stream = &api.StreamLease{Stream: t.job.Stream, Partition: t.Index, Version: t.streamVersion, Timeout: spec.Resources.Timeout}
		l.TTL = api.Duration(streamTTL)
	}
	if t.runtime == "wasm" && spec.Runtime != "wasm" {
		// A prefer-native job on a device without containers: its module.
		l.Runtime, l.App, l.Image, l.User = "wasm", api.BlobRef{Digest: spec.WasmDigest}, "", ""
	}
	return l
}

// unpick puts back at the head of the queue the tasks of leases that could
// not be stored. Those leases were never granted, so their attempts do not
// count against the job's retries.
func (g *Gateway) unpick(ts []*task, leases []api.Lease) {
	g.mu.Lock()
	defer g.mu.Unlock()
	var back []*task
	for i, t := range ts {
		if g.leased[leases[i].ID] != t {
			continue // moved on meanwhile, e.g. finished by a late result
		}
		delete(g.leased, leases[i].ID)
		if g.resumeEarlierLocked(t, "its lease could not be stored") {
			continue // a tail copy: the earlier attempt goes on
		}
		if t.Ringer {
			g.dropRingerLocked(t) // a test of that device only
			continue
		}
		t.Attempt--
		t.Nodes = t.Nodes[:len(t.Nodes)-1]
		t.Node = identity.NodeID{}
		if n := len(t.Nodes); n > 0 {
			t.Node = t.Nodes[n-1]
		} else {
			t.LeasedAt = time.Time{}
		}
		t.State = api.TaskQueued
		t.counts().Leased--
		t.counts().Queued++
		back = append(back, t)
	}
	g.queue = slices.Insert(g.queue, 0, back...)
	g.wakeLocked()
}

// requeue returns leased tasks to the queue (or fails them for good when
// their retries are spent) and stores the outcome.
func (g *Gateway) requeue(ts []*task, why string) {
	g.mu.Lock()
	var ch changes
	seen := map[*task]bool{}
	for _, t := range ts {
		if seen[t] {
			continue // in g.leased twice: a tail copy and its earlier attempt
		}
		seen[t] = true
		if t.State != api.TaskLeased {
			g.dropEarlierLocked(t)
			continue
		}
		delete(g.leased, t.leaseID())
		if g.resumeEarlierLocked(t, why) {
			ch.recs = append(ch.recs, t.snapshot())
			continue
		}
		if t.Ringer {
			// A test of that device only: no retry elsewhere.
			g.dropRingerLocked(t)
			ch.recs = append(ch.recs, t.snapshot())
			continue
		}
		t.counts().Leased--
		t.History = append(t.History, fmt.Sprintf("attempt %d on %s: %s", t.Attempt, t.Node.Short(), why))
		if t.job.notes != nil {
			t.job.notes.add(t.Index, "given up by %s: %s", t.Node.Short(), why)
		}
		if t.Attempt > *t.job.Spec.Retries && t.job.Stream == "" { // a partition never gives up
			t.State = api.TaskFailed
			t.counts().Failed++
			t.History = append(t.History, fmt.Sprintf("gave up after %d attempts", t.Attempt))
			ch.recs = append(ch.recs, t.snapshot())
			if t.Replica > 0 {
				// No vote: the task may need another replica.
				g.certifyLocked(t.parent, &ch)
			} else if g.finishJobLocked(t.job) {
				ch.jobs = append(ch.jobs, t.job.jobRecord)
			}
			continue
		}
		t.State = api.TaskQueued
		t.counts().Queued++
		g.queue = append(g.queue, t)
		ch.recs = append(ch.recs, t.snapshot())
	}
	g.wakeLocked()
	urecs, ujobs := g.takeUnsavedLocked()
	g.mu.Unlock()
	if err := g.save(append(ch.recs, urecs...), ch.members, append(ch.jobs, ujobs...)...); err != nil {
		g.log.Error("store requeued tasks; kept to store again", "err", err)
	}
}

// finishJobLocked marks a job finished when no task is left to run, and
// reports whether it did.
func (g *Gateway) finishJobLocked(j *job) bool {
	if j.Finished != nil || j.counts.Queued+j.counts.Leased+j.counts.Verifying > 0 {
		return false
	}
	now := time.Now().UTC()
	j.Finished = &now
	g.log.Info("job finished", "job", j.ID, "state", j.state(), "done", j.counts.Done, "failed", j.counts.Failed)
	return true
}

// report accepts results from node, once per task attempt.
func (g *Gateway) report(node identity.NodeID, results []api.TaskResult) ([]api.Ack, error) {
	acks := make([]api.Ack, len(results))
	// Checks that need no lock: the digest and the uploaded output.
	for i := range results {
		r := &results[i]
		r.Node = node.String()
		acks[i] = api.Ack{LeaseID: r.LeaseID}
		if want := api.ResultDigest(r); r.Digest != want {
			acks[i].Status, acks[i].Error = api.AckRejected, "result digest does not match its content"
			continue
		}
		if d, err := store.ParseDigest(r.Output.Digest); err != nil || !g.blobs.Has(d) {
			acks[i].Status, acks[i].Error = api.AckRejected, "output archive was not uploaded"
			continue
		}
		if (r.Replica > 0 || r.Seal != "") && r.Seal != api.ResultSeal(r.Node, r.LeaseID, r.Digest) {
			// A replica's digest must be sealed by the device and lease
			// that report it: a report copied from another device, or a
			// replica's without its seal, is refused.
			acks[i].Status, acks[i].Error = api.AckRejected, "result seal does not match this device and lease"
		}
	}
	g.mu.Lock()
	if _, err := g.workerLocked(node); err != nil {
		g.mu.Unlock()
		return nil, err
	}
	var ch changes
	accepted := 0
	for i := range results {
		if acks[i].Status != "" {
			continue
		}
		r := &results[i]
		acks[i].Status = g.acceptLocked(node, r, &ch)
		if acks[i].Status == api.AckAccepted {
			accepted++
		}
	}
	energy := map[string]energyRecord{}
	for i, a := range acks {
		if a.Status == api.AckAccepted {
			day := dayOf(time.Now())
			e := energy[day]
			e.Tasks++
			if wh := results[i].EnergyWh; wh > 0 && !math.IsInf(wh, 1) {
				e.TaskWh += wh
			}
			energy[day] = e
		}
	}
	members := ch.members
	if m := g.members[node]; m != nil {
		m.polled = time.Now() // it asks for work again next
	}
	if m := g.members[node]; m != nil && accepted > 0 {
		m.Completed += accepted
		members = append(members, m.snapshot())
	}
	// What an earlier write could not store goes with this one: a result
	// sent again after a failed write is a duplicate in memory, and is
	// acknowledged only once it is on disk.
	urecs, ujobs := g.takeUnsavedLocked()
	g.mu.Unlock()
	if err := g.save(append(ch.recs, urecs...), members, append(ch.jobs, ujobs...)...); err != nil {
		return nil, fmt.Errorf("storing results (send them again): %w", err)
	}
	g.mu.Lock()
	for _, r := range ch.recs {
		if t := g.taskOfLocked(&r); t != nil && t.Version == r.Version {
			dropOutputsLocked(t) // stored; unchanged since
		}
	}
	g.mu.Unlock()
	g.addEnergy(node, energy, nil, nil)
	for i, a := range acks {
		if a.Status == api.AckRejected {
			g.log.Warn("result rejected", "lease", a.LeaseID, "node", node.Short(), "why", a.Error)
		} else if a.Status == api.AckAccepted && results[i].Failure != "" {
			g.log.Info("task attempt failed", "lease", a.LeaseID, "node", node.Short(), "failure", results[i].Failure, "reason", results[i].Reason)
		}
	}
	return acks, nil
}

// acceptLocked applies one result whose digest is already checked.
func (g *Gateway) acceptLocked(node identity.NodeID, r *api.TaskResult, ch *changes) api.AckStatus {
	j := g.jobs[r.JobID]
	if j == nil || r.Index < 0 || r.Index >= len(j.tasks) || r.LeaseID != leaseID(r.JobID, r.Index, r.Replica, r.Attempt) {
		return api.AckStale
	}
	t := j.tasks[r.Index]
	if r.Replica > 0 || t.replicas != nil {
		if r.Replica < 1 || r.Replica > len(t.replicas) {
			return api.AckStale // no such replica
		}
		t = t.replicas[r.Replica-1]
	}
	if r.Attempt < 1 || r.Attempt > len(t.Nodes) || t.Nodes[r.Attempt-1] != node {
		return api.AckStale // never this node's attempt
	}
	if t.State == api.TaskCanceled {
		// Its job was canceled: the result goes unused, as that of any
		// revoked lease that is no longer the best bet.
		return api.AckStale
	}
	if t.State == api.TaskDone || t.State == api.TaskFailed {
		if t.Result != nil && t.Result.Attempt == r.Attempt && t.Result.Node == r.Node {
			// The agent forgets the result on this answer, but the
			// first report's write may still be on its way or have
			// failed: store the task (and the job's end) again first.
			ch.recs = append(ch.recs, t.snapshot())
			if t.parent != nil {
				ch.recs = append(ch.recs, t.parent.snapshot())
			}
			if j.Finished != nil {
				ch.jobs = append(ch.jobs, j.jobRecord)
			}
			return api.AckDuplicate
		}
		return api.AckStale
	}
	if e := t.earlier; e != nil && !isVote(r) {
		// A tail copy and its earlier attempt run side by side: a failure
		// that is not the task's own (its device lost, killed, out of time
		// or memory) ends only the attempt that had it.
		switch {
		case r.LeaseID == e.id:
			delete(g.leased, e.id)
			t.earlier = nil
			return api.AckStale
		case r.Attempt == t.Attempt && t.State == api.TaskLeased:
			delete(g.leased, t.leaseID())
			g.resumeEarlierLocked(t, fmt.Sprintf("%s: %s", r.Failure, r.Reason))
			ch.recs = append(ch.recs, t.snapshot())
			return api.AckAccepted
		}
	}
	late := r.Attempt != t.Attempt || t.State != api.TaskLeased
	if late && (j.Stream != "" || t.Replica > 0) {
		// A partition has one holder: the current one. So has a replica:
		// the device of an earlier attempt may hold another replica of
		// the task by now, and must not vote twice.
		return api.AckStale
	}
	if late && retryable(r.Failure) {
		return api.AckStale // the current attempt is still the better bet
	}
	if late {
		// A late result of an earlier attempt, e.g. from an agent that was
		// cut off from the gateway while its task ran: it is as good as
		// the current attempt's, which is revoked.
		t.History = append(t.History, fmt.Sprintf("attempt %d superseded by the late result of attempt %d", t.Attempt, r.Attempt))
	}
	if t.State == api.TaskLeased {
		delete(g.leased, t.leaseID())
		t.counts().Leased--
	} else {
		g.queue = slices.DeleteFunc(g.queue, func(q *task) bool { return q == t })
		t.counts().Queued--
	}
	if j.Stream != "" {
		g.partitionEndedLocked(t, node, r)
		ch.recs = append(ch.recs, t.snapshot())
		return api.AckAccepted
	}
	if retryable(r.Failure) && t.Attempt <= *j.Spec.Retries && !t.Ringer {
		t.History = append(t.History, fmt.Sprintf("attempt %d on %s: %s: %s", r.Attempt, node.Short(), r.Failure, r.Reason))
		t.State = api.TaskQueued
		t.counts().Queued++
		g.queue = append(g.queue, t)
		g.wakeLocked()
		ch.recs = append(ch.recs, t.snapshot())
		return api.AckAccepted
	}
	g.dropEarlierLocked(t) // the first result is taken: the other stops
	res := *r
	t.Result = &res
	t.DoneAt = time.Now().UTC()
	t.Attempt = r.Attempt
	t.Node = node
	if r.ExitCode == 0 && r.Failure == "" {
		t.State = api.TaskDone
		t.counts().Done++
		g.noteWorkLocked(j, node, t.runtime, r)
		if !late {
			j.noteTookLocked(t.DoneAt.Sub(t.LeasedAt))
		}
	} else {
		t.State = api.TaskFailed
		t.counts().Failed++
	}
	ch.recs = append(ch.recs, t.snapshot())
	switch {
	case t.Ringer:
		g.sealLocked(store.Digest(r.Output.Digest), node)
		g.ringerResultLocked(t, ch)
	case t.parent != nil:
		g.sealLocked(store.Digest(r.Output.Digest), node)
		g.certifyLocked(t.parent, ch)
	case g.finishJobLocked(j):
		ch.jobs = append(ch.jobs, j.jobRecord)
	}
	return api.AckAccepted
}

// renew extends the leases an agent says it runs and names those it no
// longer holds.
func (g *Gateway) renewLocked(node identity.NodeID, running []string, now time.Time) (revoked []string) {
	for _, id := range running {
		t := g.leased[id]
		if t == nil || t.Node != node && (t.earlier == nil || t.earlier.id != id || t.earlier.node != node) {
			revoked = append(revoked, id)
			continue
		}
		t.expires = later(t.expires, now.Add(g.leaseTTL(t)))
	}
	return revoked
}

// leaseTTL is how long t's lease lives without renewal: a stream
// partition's is short, so that it moves soon after its device dies.
func (g *Gateway) leaseTTL(t *task) time.Duration {
	if t.job.Stream != "" {
		return min(streamTTL, g.cfg.LeaseTTL)
	}
	return g.cfg.LeaseTTL
}

// sweep expires leases and ages members; it runs every quarter second.
func (g *Gateway) sweep(now time.Time) {
	g.mu.Lock()
	var lost map[identity.NodeID]bool // made when a member is lost
	for _, m := range g.members {
		if m.memberRecord.State == api.MemberPending || m.lastSeen.IsZero() {
			continue
		}
		silent := now.Sub(m.lastSeen)
		state := api.MemberReady
		switch {
		case silent > g.cfg.LostAfter:
			state = api.MemberLost
		case silent > g.cfg.SuspectAfter:
			state = api.MemberSuspect
		}
		if state != m.state {
			g.log.Info("member state", "node", m.ID.Short(), "name", m.Node.Name, "from", m.state, "to", state, "silent", silent.Round(time.Millisecond))
			m.state = state
			g.readyChangedLocked()
		}
		if state == api.MemberLost {
			if lost == nil {
				lost = map[identity.NodeID]bool{}
			}
			lost[m.ID] = true
		}
	}
	// One pass over the leases, however many members are lost: a lost
	// member's leases end with its expired ones (requeue skips a task seen
	// twice).
	var expired []*task
	for _, t := range g.leased {
		if now.After(t.expires) || lost[t.Node] {
			expired = append(expired, t)
		}
	}
	var ch changes
	flush := now.Sub(g.energyFlushed) >= energyFlushEvery
	if flush {
		g.energyFlushed = now
	}
	if now.Sub(g.stuckChecked) >= stuckCheckEvery {
		g.stuckChecked = now
		g.checkStuckLocked(now, &ch)
	}
	g.mu.Unlock()
	if len(ch.recs)+len(ch.jobs) > 0 {
		if err := g.save(ch.recs, ch.members, ch.jobs...); err != nil {
			g.log.Error("store inconclusive certified tasks; kept to store again", "err", err)
		}
	}
	if len(expired) > 0 {
		g.log.Info("leases expired", "count", len(expired))
		g.requeue(expired, "lease expired")
	}
	g.flushUnsaved()
	if flush {
		if err := g.flushEnergy(); err != nil {
			g.log.Error("store device energy; kept to store again", "err", err)
		}
	}
}

// stuckCheckEvery is how often the sweeper looks for certified tasks no
// device may vote on.
var stuckCheckEvery = 5 * time.Second

// sweeper runs sweep until ctx ends.
func (g *Gateway) sweeper(ctx context.Context) error {
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case now := <-tick.C:
			g.sweep(now)
		}
	}
}

// runsOne reports whether an agent with the given platforms runs one of an
// app's, by containerd's rule (ociimage.Platform.Runs, on platforms.Only),
// the one containerd imports with. Agents list every platform they run (a
// v7 board lists v6 and v5 too); both sides are normalised first.
func runsOne(agent, app []string) bool {
	for _, a := range agent {
		ap, err := ociimage.ParsePlatform(a)
		if err != nil {
			continue
		}
		for _, s := range app {
			if p, err := ociimage.ParsePlatform(s); err == nil && ap.Runs(p) {
				return true
			}
		}
	}
	return false
}
