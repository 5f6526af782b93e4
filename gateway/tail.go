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
}

// usualTook is the median of j's recorded task times; 0 until there are
// tailMinSamples of them.
func (j *job) usualTook() time.Duration {
	if len(j.took) < tailMinSamples {
		return 0
	}
	s := slices.Clone(j.took)
	slices.Sort(s)
	return s[len(s)/2]
}

// tailCopyLocked gives device m, which found nothing in the queue, a copy
// of the leased task that straggles most: the same task under a new
// attempt, the earlier attempt left running (task.also). It returns nil
// when no task straggles that m may run.
func (g *Gateway) tailCopyLocked(m *member, req api.LeaseRequest, now time.Time) []*task {
	var best *task
	bestOver := 0.0
	for _, t := range g.leased {
		j := t.job
		if t.Node == m.ID || j.Stream != "" || j.Canceled != nil || j.queued() > 0 || len(t.also) > 0 || t.LeasedAt.IsZero() {
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
			p := t.parent
			if p.State != api.TaskVerifying || len(p.replicas) >= spec.Certify.MaxReplicas || !g.replicaFitsLocked(t, m, rt) ||
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
		// One more replica, at the head of the queue: m takes it now,
		// and the quorum takes the votes that come first.
		var ch changes
		g.addReplicaLocked(best.parent, &ch)
		g.log.Info("tail copy: one more replica of a straggling task", "job", j.ID, "task", best.Index,
			"straggler", best.Node.Short(), "ran", now.Sub(best.LeasedAt).Round(time.Millisecond), "to", m.ID.Short())
		return g.pickLocked(m, api.LeaseRequest{Runtimes: req.Runtimes, Platforms: req.Platforms, Max: 1}, nil)
	}
	prev, prevNode, ran := best.leaseID(), best.Node, now.Sub(best.LeasedAt).Round(time.Millisecond)
	if best.also == nil {
		best.also = map[string]identity.NodeID{}
	}
	best.also[prev] = prevNode
	best.History = append(best.History, fmt.Sprintf("tail copy: attempt %d on %s after attempt %d ran %s on %s",
		best.Attempt+1, m.ID.Short(), best.Attempt, ran, prevNode.Short()))
	best.Attempt++
	best.runtime = runtimeFor(&j.Spec, req.Runtimes, req.Platforms)
	best.Node = m.ID
	best.Nodes = append(best.Nodes, m.ID)
	best.expires = now.Add(g.leaseTTL(best))
	best.LeasedAt = now.UTC()
	g.leased[best.leaseID()] = best
	g.log.Info("tail copy of a straggling task", "job", j.ID, "task", best.Index, "straggler", prevNode.Short(),
		"ran", ran, "to", m.ID.Short())
	return []*task{best}
}

// dropAlsoLocked revokes the earlier attempts that still run beside t's
// current one: their devices are told at their next heartbeat.
func (g *Gateway) dropAlsoLocked(t *task) {
	for id := range t.also {
		delete(g.leased, id)
	}
	t.also = nil
}

// resumeEarlierLocked makes the earlier attempt that still runs beside t's
// tail copy t's current attempt again, when the copy's lease ended (why):
// the task goes on where it runs instead of queueing. It reports whether
// there was one.
func (g *Gateway) resumeEarlierLocked(t *task, why string) bool {
	for a := t.Attempt - 1; a >= 1 && len(t.also) > 0; a-- {
		id := leaseID(t.JobID, t.Index, t.Replica, a)
		node, ok := t.also[id]
		if !ok {
			continue
		}
		delete(t.also, id)
		t.History = append(t.History, fmt.Sprintf("attempt %d on %s: %s; attempt %d on %s goes on", t.Attempt, t.Node.Short(), why, a, node.Short()))
		t.Attempt, t.Node = a, node
		t.expires = time.Now().Add(g.leaseTTL(t))
		return true
	}
	return false
}
