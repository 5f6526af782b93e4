package gateway

// Tail copies (SpeQuloS: Delamare, Fedak, Kondo, Lodygensky, "SpeQuloS: a
// QoS service for BoT applications using best effort distributed computing
// infrastructures", HPDC 2012). A bag of tasks ends when its last task
// does; one slow or throttled device holding that task keeps the whole job
// waiting while other devices sit idle. When a device asks for work and
// nothing is queued for it, the gateway gives it a copy of the task that
// has run longest beyond its job's usual task time: the earlier attempt
// keeps running, the first result to arrive is taken, and the other
// attempt is revoked. A certified task's straggling replica gets one more
// replica instead, and the quorum takes the votes that come first.

import (
	"fmt"
	"slices"
	"time"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/internal/identity"
)

// A task straggles once it has run tailFactor times the median of its
// job's last tookKept lease-to-result times, of at least tailMinSamples.
const (
	tailFactor     = 1.5
	tailMinSamples = 3
	tookKept       = 64
)

// noteTookLocked records how long one of j's tasks took from its lease to
// its result.
func (j *job) noteTookLocked(d time.Duration) {
	if d <= 0 {
		return
	}
	if len(j.took) == tookKept {
		j.took = append(j.took[:0], j.took[1:]...)
	}
	j.took = append(j.took, d)
	j.usual = 0 // worked out again when asked
}

// usualTook is the median of j's recorded task times; 0 until there are
// tailMinSamples of them.
func (j *job) usualTook() time.Duration {
	if len(j.took) < tailMinSamples {
		return 0
	}
	if j.usual == 0 {
		// Kept until the next task time: every lease request that
		// finds the queue empty asks, for every leased task.
		s := slices.Clone(j.took)
		slices.Sort(s)
		j.usual = s[len(s)/2]
	}
	return j.usual
}

// earlierAttempt is a task's attempt that keeps running beside a tail copy.
type earlierAttempt struct {
	id       string // its lease ID, still in g.leased
	attempt  int
	node     identity.NodeID
	leasedAt time.Time
	runtime  string
}

// tailCopyLocked gives device m, which found nothing in the queue, a copy
// of the leased task that straggles most: the same task under a new
// attempt, the earlier attempt left running (task.earlier). It returns nil
// when no task straggles that m may run.
func (g *Gateway) tailCopyLocked(m *member, req api.LeaseRequest, now time.Time) []*task {
	var best *task
	bestOver := 0.0
	for _, t := range g.leased {
		j := t.job
		if t.Node == m.ID || j.Stream != "" || j.Canceled != nil || j.queued() > 0 || t.earlier != nil || t.LeasedAt.IsZero() {
			continue
		}
		usual := j.usualTook()
		if usual <= 0 {
			continue
		}
		over := float64(now.Sub(t.LeasedAt)) / float64(usual)
		if over < tailFactor || best != nil && over <= bestOver {
			continue
		}
		spec := &j.Spec
		rt := runtimeFor(spec, req.Runtimes, req.Platforms)
		if rt == "" || req.FreeCPU > 0 && spec.Resources.CPU > req.FreeCPU+1e-9 ||
			req.FreeMemory > 0 && int64(spec.Resources.Memory) > req.FreeMemory {
			continue
		}
		if t.Replica > 0 {
			// The new replica must be m's to take: m ran no replica of
			// the task, this one included.
			p := t.parent
			if p.State != api.TaskVerifying || replicaCount(p) >= spec.Certify.MaxReplicas ||
				slices.Contains(t.Nodes, m.ID) || !g.replicaFitsLocked(t, m, rt) ||
				slices.ContainsFunc(p.replicas, func(r *task) bool { return r.State == api.TaskQueued }) {
				continue
			}
		}
		best, bestOver = t, over
	}
	if best == nil {
		return nil
	}
	j := best.job
	if best.Replica > 0 {
		// One more replica, at the head of the queue: m takes it now
		// (it was checked above), and the quorum takes the votes that
		// come first.
		var ch changes
		g.addReplicaLocked(best.parent, &ch)
		g.log.Info("tail copy: one more replica of a straggling task", "job", j.ID, "task", best.Index,
			"straggler", best.Node.Short(), "ran", now.Sub(best.LeasedAt).Round(time.Millisecond), "to", m.ID.Short())
		return g.pickLocked(m, api.LeaseRequest{Runtimes: req.Runtimes, Platforms: req.Platforms, Max: 1}, nil)
	}
	ran := now.Sub(best.LeasedAt).Round(time.Millisecond)
	best.earlier = &earlierAttempt{id: best.leaseID(), attempt: best.Attempt, node: best.Node, leasedAt: best.LeasedAt, runtime: best.runtime}
	best.History = append(best.History, fmt.Sprintf("tail copy: attempt %d on %s after attempt %d ran %s on %s",
		best.Attempt+1, m.ID.Short(), best.Attempt, ran, best.Node.Short()))
	best.Attempt++
	best.runtime = runtimeFor(&j.Spec, req.Runtimes, req.Platforms)
	best.Node = m.ID
	best.Nodes = append(best.Nodes, m.ID)
	best.expires = now.Add(g.leaseTTL(best))
	best.LeasedAt = now.UTC()
	g.leased[best.leaseID()] = best
	g.log.Info("tail copy of a straggling task", "job", j.ID, "task", best.Index, "straggler", best.earlier.node.Short(),
		"ran", ran, "to", m.ID.Short())
	return []*task{best}
}

// dropEarlierLocked revokes the earlier attempt that still runs beside
// t's current one: its device is told at its next heartbeat.
func (g *Gateway) dropEarlierLocked(t *task) {
	if t.earlier != nil {
		delete(g.leased, t.earlier.id)
		t.earlier = nil
	}
}

// resumeEarlierLocked makes the earlier attempt that still runs beside t's
// tail copy t's current attempt again, when the copy ended without a
// result (why): the task goes on where it runs instead of queueing. The
// copy's lease must already be out of g.leased. It reports whether there
// was one.
func (g *Gateway) resumeEarlierLocked(t *task, why string) bool {
	e := t.earlier
	if e == nil {
		return false
	}
	t.earlier = nil
	t.History = append(t.History, fmt.Sprintf("attempt %d on %s: %s; attempt %d on %s goes on", t.Attempt, t.Node.Short(), why, e.attempt, e.node.Short()))
	// Attempts are numbered by t.Nodes: the copy's is forgotten, and a
	// late result of it is stale.
	t.Attempt, t.Nodes, t.Node = e.attempt, t.Nodes[:e.attempt], e.node
	t.LeasedAt, t.runtime = e.leasedAt, e.runtime
	t.expires = time.Now().Add(g.leaseTTL(t))
	return true
}
