package gateway

// Known-answer checks ("ringers", docs/certification.md#known-answer-checks),
// and the test backtracking uses to know whether a result needed a caught
// device's vote.

import (
	"slices"
	"time"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/internal/identity"
	"github.com/hearth-home/hearth/store"
)

// standsWithoutLocked reports whether decided task lt's result would
// stand on the other devices' votes alone, node's set aside: two or more
// that reach the trust.
func (g *Gateway) standsWithoutLocked(lt *task, node identity.NodeID) bool {
	var aside []*task
	for _, r := range lt.replicas {
		if r.Node == node && r.Vote == voteAgrees {
			r.Vote = voteDiscredited
			aside = append(aside, r)
		}
	}
	groups, total, votes, _ := g.tally(lt)
	for _, r := range aside {
		r.Vote = voteAgrees
	}
	c := lt.job.Spec.Certify
	trust := 1 / (1 - c.Trust)
	return votes >= 2 && groups[0].digest == lt.Cert.Canonical && groups[0].w*trust > total*(trust-1) &&
		len(groups[0].reps) >= c.MinReplicas
}

// ringerLocked is a known-answer check (Sarmenta's spot-checking with
// ringers) to lease to device m beside replica t, or nil: while m has not
// yet earned solo trust for t's app (soloMinCV validated votes in a row),
// with the job's spot_check probability, a replica of a task of the app
// that other devices' votes already certified. The device cannot tell it
// from any replica; a wrong answer to it is caught as a dissent from a
// certified result is. A colluding partner is no help there: the answer
// is known, not voted on.
func (g *Gateway) ringerLocked(m *member, t *task, now time.Time, fits func(*api.JobSpec) bool) *task {
	j := t.job
	if t.Ringer || j.Spec.Certify == nil || m.Quarantined != "" {
		return nil
	}
	if c := g.credLocked(m.ID, j, false); c != nil && c.CV >= soloMinCV {
		return nil
	}
	if g.certRand() >= j.Spec.Certify.SpotCheck {
		return nil
	}
	lt := g.knownAnswerLocked(m, j.Spec.AppDigest, deviceClass(m, t.runtime), fits)
	if lt == nil {
		return nil
	}
	r := &task{taskRecord: taskRecord{JobID: lt.JobID, Index: lt.Index, Replica: len(lt.replicas) + 1,
		State: api.TaskQueued, Ringer: true}, job: lt.job, parent: lt}
	lt.replicas = append(lt.replicas, r)
	r.counts().Queued++
	g.leaseToLocked(r, m, t.runtime, now)
	return r
}

// knownAnswerLocked picks a task of a certified job of app that the votes
// of at least two devices of class certified (m runs the app in class; in
// another, a correct answer may differ), none of them m, whose resources
// fit what m has left.
func (g *Gateway) knownAnswerLocked(m *member, app, class string, fits func(*api.JobSpec) bool) *task {
	var cands []*task
	for _, id := range g.jobOrder {
		j := g.jobs[id]
		if j.Spec.Certify == nil || j.Canceled != nil || j.Spec.AppDigest != app || !fits(&j.Spec) {
			continue
		}
		for _, lt := range j.tasks {
			if lt.State != api.TaskDone || lt.Cert == nil || lt.Cert.How != "quorum" || lt.Cert.Solo ||
				len(lt.replicas) >= maxRingerReplicas {
				continue
			}
			if slices.ContainsFunc(lt.replicas, func(r *task) bool { return slices.Contains(r.Nodes, m.ID) }) ||
				!slices.ContainsFunc(lt.replicas, func(r *task) bool { return r.Vote == voteAgrees && r.Class == class }) {
				continue
			}
			cands = append(cands, lt)
		}
	}
	if len(cands) == 0 {
		return nil
	}
	return cands[min(int(g.certRand()*float64(len(cands))), len(cands)-1)]
}

// ringerResultLocked judges known-answer check r by its answer. A device
// that agrees with the certified result earns nothing: credibility is
// earned on work replicated with other devices, and a check that raised
// it would let a device that lies now and then reach solo trust sooner
// (the one-liar figure doubled its wrong results so). A device that
// dissents is caught as a dissenter is, but only when the known answer's
// votes would still reach the job's trust with its dissent counted: a
// known answer two fresh devices certified (a colluding pair, perhaps)
// does not outweigh a third device, and judges nobody (voteChallenges).
// The task's result stands either way: reopening it on one device's word
// would let a liar fail other devices' results in a pool too small to
// outvote it. No verdict when r's result is not a vote (a timeout), or the
// task was reopened meanwhile.
func (g *Gateway) ringerResultLocked(r *task, ch *changes) {
	lt := r.parent
	if r.Result == nil || !isVote(r.Result) || lt.State != api.TaskDone || lt.Cert == nil || lt.Cert.Canonical == "" {
		return
	}
	defer func() { ch.recs = append(ch.recs, r.snapshot()) }()
	if r.Result.Digest == lt.Cert.Canonical {
		r.Vote = voteAgrees
		delete(g.sealed, store.Digest(r.Result.Output.Digest))
		return
	}
	j := lt.job
	groups, total, _, _ := g.tally(lt)
	i := slices.IndexFunc(groups, func(gr *voteGroup) bool { return gr.digest == lt.Cert.Canonical })
	w := float64(g.weightLocked(r.Node, j))
	r.Weight = int(w)
	trust := 1 / (1 - j.Spec.Certify.Trust)
	if i < 0 || groups[i].w*trust <= (total+w)*(trust-1) {
		r.Vote = voteChallenges
		g.log.Warn("certified job: a known-answer check dissented from a result not certain enough to judge it by; nobody's credibility changes",
			"job", r.JobID, "task", r.Index, "node", r.Node.Short())
		return
	}
	r.Vote = voteDissents
	g.log.Warn("certified job: a device failed a known-answer check", "job", r.JobID, "task", r.Index, "node", r.Node.Short())
	g.creditLocked(r.Node, j, false, ch)
	g.recheckLocked(ch)
}

// dropRingerLocked cancels known-answer check r, leased or queued: it
// tests one device, and is not run elsewhere.
func (g *Gateway) dropRingerLocked(r *task) {
	switch r.State {
	case api.TaskLeased:
		r.counts().Leased--
	case api.TaskQueued:
		r.counts().Queued--
	}
	r.State = api.TaskCanceled
	r.counts().Canceled++
}
