package gateway

// Certified results (docs/certification.md). A certified job's task is not
// queued itself: its replicas are, each a task of its own (leased, expired
// and retried as one), on distinct devices of one equivalence class. Each
// replica's result is a vote; a device's vote weighs by its credibility for
// the app, and the task takes a result when the votes for it reach the trust
// the job asks for, by iExec's consensus rule. A device that earned enough
// credibility is believed alone, checked at a rate that falls as it earns
// more (BOINC's adaptive replication); one caught dissenting from a
// certified result loses its credibility, every result accepted on its word
// alone since it was last checked runs again, and after quarantineFaults
// such faults it takes no certified work.

import (
	"fmt"
	"iter"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/internal/identity"
	"github.com/hearth-home/hearth/store"
)

// quarantineFaults is how many wrong results a device may be caught
// returning before it takes no certified work; soloMinCV how many
// validated votes in a row it needs before its word alone is taken.
const (
	quarantineFaults = 3
	soloMinCV        = 10
)

// maxRingerReplicas: a task with this many replicas serves as no more
// known-answer checks (replica numbers stay two digits, as their keys
// are).
const maxRingerReplicas = 40

// Replica votes (taskRecord.Vote).
const (
	voteAgrees     = "agrees"
	voteDissents   = "dissents"
	voteOtherClass = "other class" // not counted: the app is nondeterministic across classes
	// voteDiscredited: not counted, its device was since caught returning
	// a wrong result, and the task was decided again without it.
	voteDiscredited = "discredited"
	// voteChallenges: a known-answer check that dissented from a result
	// not certain enough to judge a device by; nobody's credibility changed.
	voteChallenges = "challenges"
)

// certRecord is a certified task's certification (api.Certification).
type certRecord struct {
	How        string  `json:"how,omitempty"`
	Confidence float64 `json:"confidence,omitempty"`
	Canonical  string  `json:"canonical,omitempty"`
	Waiting    string  `json:"waiting,omitempty"`
	// Rolled is set once the dice for a spot check were rolled on a
	// result that one device's word would certify; Check when they asked
	// for one (the result then needs a second vote).
	Rolled bool `json:"rolled,omitempty"`
	Check  bool `json:"check,omitempty"`
	// Solo is set when the result rests on one device's word.
	Solo bool `json:"solo,omitempty"`
}

// credRecord is a device's credibility for one app: its score (+1 per
// replicated vote that agreed with a certified result, 0 after one that
// did not) and BOINC's count of consecutive valid replicated votes (the
// same count today, kept apart as BOINC keeps them).
type credRecord struct {
	Score     int       `json:"score"`
	CV        int       `json:"cv"`
	Valid     int       `json:"valid,omitempty"`
	Invalid   int       `json:"invalid,omitempty"`
	LastValid time.Time `json:"last_valid,omitzero"`
	LastFault time.Time `json:"last_fault,omitzero"`
}

// weight is a device's weight in a vote: the odds that it returns the
// right result, 9 + score. It is the posterior odds of a Beta(9, 1) prior
// (BOINC's initial error rate of a host, 0.1) after score validated votes
// since its last fault. iExec's weight, max(score/3, 3) - 1, starts at 2
// and grows by one per three votes: with it a home pool of three fresh
// devices can never reach a trust of 0.9 (2·2·2 = 8 is not above 9), and
// one liar among three holds every task it votes on undecided
// (docs/certification.md).
func weight(score int) int { return 9 + score }

// isVote reports whether a replica's result is one the task determines
// (success, an exit code, a trap, too much output), not one its device's
// limits or luck decide (timeout, memory, lost, killed, start).
func isVote(r *api.TaskResult) bool {
	return r.Failure == "" || r.Failure == "trap" || r.Failure == "output"
}

// countsAsVote reports whether replica r's result is a vote that counts: one the
// task determines, not set aside because its class is not the job's or
// its device was discredited, and not a known-answer check (which tests
// its device, never the task).
func (r *task) countsAsVote() bool {
	return r.State != api.TaskCanceled && r.Result != nil && isVote(r.Result) && !r.Ringer &&
		r.Vote != voteOtherClass && r.Vote != voteDiscredited
}

// deviceClass is m's equivalence class for runtime rt: results of one
// deterministic task agree byte for byte within a class.
func deviceClass(m *member, rt string) string {
	engine := "native"
	if rt == "wasm" {
		// wazero compiles on amd64 and arm64 and interprets elsewhere.
		engine = "interpreter"
		if m.Node.Arch == "amd64" || m.Node.Arch == "arm64" {
			engine = "compiler"
		}
	}
	return rt + "/" + engine + "/" + m.Node.Arch
}

// changes collects what a change made under g.mu must store.
type changes struct {
	recs    []taskRecord
	members []memberRecord
	jobs    []jobRecord
}

// replicaFitsLocked reports whether device m (running runtime rt) may take
// replica t: not quarantined, no other replica of its task, and of the
// class its task's replicas run in.
func (g *Gateway) replicaFitsLocked(t *task, m *member, rt string) bool {
	if m.Quarantined != "" {
		return false
	}
	pin := t.job.PinClass
	for _, s := range t.parent.replicas {
		if s == t || s.Ringer {
			continue // a device that answered a known-answer check of the task may vote on it
		}
		if slices.Contains(s.Nodes, m.ID) {
			return false // every device that ran a replica has its vote
		}
		if pin == "" && t.job.Spec.Certify.Class == api.ClassStrict && s.Class != "" &&
			(s.State == api.TaskLeased || s.Result != nil && isVote(s.Result)) {
			pin = s.Class
		}
	}
	return pin == "" || deviceClass(m, rt) == pin
}

// credLocked is node's credibility for j's app; nil when it has none and
// create is false.
func (g *Gateway) credLocked(node identity.NodeID, j *job, create bool) *credRecord {
	m := g.members[node]
	if m == nil {
		return nil
	}
	c := m.Credibility[j.Spec.AppDigest]
	if c == nil && create {
		if m.Credibility == nil {
			m.Credibility = map[string]*credRecord{}
		}
		c = &credRecord{}
		m.Credibility[j.Spec.AppDigest] = c
	}
	return c
}

func (g *Gateway) weightLocked(node identity.NodeID, j *job) int {
	if c := g.credLocked(node, j, false); c != nil {
		return weight(c.Score)
	}
	return weight(0)
}

// voteGroup is the replicas that reported one digest, and their weight
// by iExec's rule: the product of their devices' weights.
type voteGroup struct {
	digest string
	w      float64
	reps   []*task
}

// tally counts lt's votes: the groups by digest (heaviest first), iExec's
// total (1 plus every group's weight), how many votes and how many
// replicas are still queued or running.
func (g *Gateway) tally(lt *task) (groups []*voteGroup, total float64, votes, outstanding int) {
	total = 1
	voted := map[identity.NodeID]bool{}
	for _, r := range lt.replicas {
		switch {
		case r.Ringer:
			continue
		case r.State == api.TaskQueued || r.State == api.TaskLeased:
			outstanding++
			continue
		case !r.countsAsVote() || voted[r.Node]:
			continue
		case lt.job.PinClass != "" && r.Class != lt.job.PinClass:
			r.Vote = voteOtherClass // reported after the app was found nondeterministic
			continue
		}
		voted[r.Node] = true
		votes++
		w := g.weightLocked(r.Node, lt.job)
		r.Weight = w
		i := slices.IndexFunc(groups, func(gr *voteGroup) bool { return gr.digest == r.Result.Digest })
		if i < 0 {
			i = len(groups)
			groups = append(groups, &voteGroup{digest: r.Result.Digest})
		}
		gr := groups[i]
		delta := max(gr.w, 1)*float64(w) - gr.w
		gr.w += delta
		total += delta
		gr.reps = append(gr.reps, r)
	}
	slices.SortStableFunc(groups, func(a, b *voteGroup) int {
		switch {
		case a.w > b.w:
			return -1
		case a.w < b.w:
			return 1
		}
		return 0
	})
	return groups, total, votes, outstanding
}

// certifyLocked looks at certified task lt's votes after one of its
// replicas changed: it takes a result when the votes reach the job's
// trust, or asks for another replica, or gives up when max_replicas
// disagree.
func (g *Gateway) certifyLocked(lt *task, ch *changes) {
	if lt.State != api.TaskVerifying {
		return // decided, or canceled
	}
	j := lt.job
	c := j.Spec.Certify
	trust := 1 / (1 - c.Trust) // iExec's T
	groups, total, votes, outstanding := g.tally(lt)
	was := *lt.Cert
	var best *voteGroup
	if len(groups) > 0 {
		best = groups[0]
		lt.Cert.Confidence = best.w / total
	}
	enough := best != nil && best.w*trust > total*(trust-1) && len(best.reps) >= c.MinReplicas
	if enough && votes == 1 {
		// One device's word would do. It is taken only from a device
		// with soloMinCV validated votes in a row (BOINC's rule), and
		// checked all the same now and then, less often as its run
		// grows.
		cv := 0
		if cr := g.credLocked(best.reps[0].Node, j, false); cr != nil {
			cv = cr.CV
		}
		if !lt.Cert.Rolled {
			lt.Cert.Rolled = true
			lt.Cert.Check = cv < soloMinCV || g.certRand() < max(c.SpotCheck, 1/float64(cv))
		}
		enough = !lt.Cert.Check
	}
	if enough {
		g.decideLocked(lt, best, votes, ch)
		return
	}
	if c.Class == api.ClassAny && j.PinClass == "" && g.splitByClassLocked(lt, groups, ch) {
		g.certifyLocked(lt, ch)
		return
	}
	switch {
	case outstanding > 0:
		lt.Cert.Waiting = fmt.Sprintf("%d replica(s) queued or running", outstanding)
	case replicaCount(lt) >= c.MaxReplicas:
		g.inconclusiveLocked(lt, votes, fmt.Sprintf("max_replicas (%d) ran", c.MaxReplicas), ch)
		return
	default:
		g.addReplicaLocked(lt, ch)
		switch {
		case votes == 0:
			lt.Cert.Waiting = "a replica that reports a result"
		case lt.Cert.Check:
			lt.Cert.Waiting = "a second vote: one device's word is taken only after 10 validated votes in a row, and then checked now and then"
		case len(groups) > 1:
			lt.Cert.Waiting = fmt.Sprintf("replicas disagree (%d results): another device's vote", len(groups))
		default:
			lt.Cert.Waiting = fmt.Sprintf("confidence %.3f is below the trust %.4g: another device's vote", lt.Cert.Confidence, c.Trust)
		}
	}
	if *lt.Cert != was {
		ch.recs = append(ch.recs, lt.snapshot())
	}
}

// decideLocked takes best's result as lt's: the other replicas still
// queued or running are canceled, and when several devices voted, each
// one's credibility follows its vote.
func (g *Gateway) decideLocked(lt *task, best *voteGroup, votes int, ch *changes) {
	j := lt.job
	now := time.Now().UTC()
	res := *best.reps[0].Result
	lt.Result, lt.Node, lt.Attempt, lt.DoneAt = &res, best.reps[0].Node, best.reps[0].Attempt, now
	lt.Cert.How, lt.Cert.Canonical, lt.Cert.Waiting, lt.Cert.Solo = "quorum", best.digest, "", votes == 1
	if votes == 1 {
		lt.Cert.How = "trusted"
	}
	j.counts.Verifying--
	if res.ExitCode == 0 && res.Failure == "" {
		lt.State = api.TaskDone
		j.counts.Done++
	} else {
		lt.State = api.TaskFailed
		j.counts.Failed++
	}
	g.cancelOutstandingLocked(lt)
	// A task decided again (reopened) credits only the votes whose
	// verdict changed: each device is judged once per verdict.
	var agreed, dissented []identity.NodeID
	for _, r := range lt.replicas {
		counted := r.countsAsVote() && !slices.Contains(agreed, r.Node) && !slices.Contains(dissented, r.Node)
		prev := r.Vote
		switch {
		case counted && r.Result.Digest == best.digest:
			r.Vote = voteAgrees
			if prev != voteAgrees {
				agreed = append(agreed, r.Node)
			}
			delete(g.sealed, store.Digest(r.Result.Output.Digest))
		case counted:
			r.Vote = voteDissents
			if prev != voteDissents {
				dissented = append(dissented, r.Node)
			}
		}
		ch.recs = append(ch.recs, r.snapshot())
	}
	ch.recs = append(ch.recs, lt.snapshot())
	if g.finishJobLocked(j) {
		ch.jobs = append(ch.jobs, j.jobRecord)
	}
	if votes < 2 {
		return // one device's word: no evidence about it either way
	}
	for _, n := range agreed {
		g.creditLocked(n, j, true, ch)
	}
	for _, n := range dissented {
		g.creditLocked(n, j, false, ch)
		g.log.Warn("certified task: a device dissented from the result", "job", j.ID, "task", lt.Index, "node", n.Short())
	}
	g.recheckLocked(ch)
}

// cancelOutstandingLocked cancels lt's replicas still queued or running.
func (g *Gateway) cancelOutstandingLocked(lt *task) {
	for _, r := range lt.replicas {
		if r.Ringer {
			continue // it tests its device against the result taken
		}
		switch r.State {
		case api.TaskQueued:
			g.queue = slices.DeleteFunc(g.queue, func(q *task) bool { return q == r })
			r.counts().Queued--
		case api.TaskLeased:
			delete(g.leased, r.leaseID()) // revoked at its device's next heartbeat
			r.counts().Leased--
		default:
			continue
		}
		r.State = api.TaskCanceled
		r.counts().Canceled++
	}
}

// inconclusiveLocked fails lt: its replicas did not agree, and no more
// may run (why).
func (g *Gateway) inconclusiveLocked(lt *task, votes int, why string, ch *changes) {
	j := lt.job
	g.cancelOutstandingLocked(lt)
	for _, r := range lt.replicas {
		ch.recs = append(ch.recs, r.snapshot())
	}
	lt.State, lt.DoneAt = api.TaskFailed, time.Now().UTC()
	lt.Cert.How, lt.Cert.Waiting = "inconclusive", ""
	lt.History = append(lt.History, fmt.Sprintf("inconclusive: %d replicas, %d votes, no result reached the trust %.4g: %s", len(lt.replicas), votes, j.Spec.Certify.Trust, why))
	j.counts.Verifying--
	j.counts.Failed++
	ch.recs = append(ch.recs, lt.snapshot())
	if g.finishJobLocked(j) {
		ch.jobs = append(ch.jobs, j.jobRecord)
	}
	g.log.Warn("certified task inconclusive", "job", j.ID, "task", lt.Index, "replicas", len(lt.replicas))
}

// addReplicaLocked queues one more replica of lt, ahead of other work:
// its task waits for it.
func (g *Gateway) addReplicaLocked(lt *task, ch *changes) {
	r := &task{taskRecord: taskRecord{JobID: lt.JobID, Index: lt.Index, Replica: len(lt.replicas) + 1, State: api.TaskQueued},
		job: lt.job, parent: lt}
	lt.replicas = append(lt.replicas, r)
	r.counts().Queued++
	g.queue = slices.Insert(g.queue, 0, r)
	g.wakeLocked()
	ch.recs = append(ch.recs, r.snapshot())
}

// creditLocked records node's replicated vote on j's app: valid raises its
// score and its run of valid votes; invalid takes both to 0, counts a
// fault (quarantineFaults of them quarantine the device), and reopens
// every result accepted on its word alone since its previous fault. (BOINC
// reopens those since its last validated vote, which assumes a device
// that turns bad for good: one that lies now and then lies between its
// validated votes too.)
func (g *Gateway) creditLocked(node identity.NodeID, j *job, valid bool, ch *changes) {
	m := g.members[node]
	c := g.credLocked(node, j, true)
	if c == nil {
		return
	}
	g.credChanged = true
	if valid {
		c.Score++
		c.CV++
		c.Valid++
		c.LastValid = time.Now().UTC()
	} else {
		since := c.LastFault
		c.LastFault = time.Now().UTC()
		c.Score, c.CV = 0, 0
		c.Invalid++
		m.Faults++
		if m.Faults >= quarantineFaults && m.Quarantined == "" {
			m.Quarantined = fmt.Sprintf("caught returning %d wrong results (the last in job %s)", m.Faults, j.ID)
			g.log.Warn("device quarantined: it takes no certified work", "node", node.Short(), "name", m.Node.Name, "faults", m.Faults)
		}
		g.backtrackLocked(node, j.Spec.AppDigest, since, ch)
	}
	ch.members = append(ch.members, m.snapshot())
}

// backtrackLocked reopens the tasks of app decided after since (zero:
// ever) whose result needed node's word: those that rest on it alone, and
// those where its vote agreed with the result taken and the other votes
// alone would not reach the trust (a colluding device's partner may be the
// only other vote). Its votes there stop counting; each task is decided
// again by the other votes and more replicas.
func (g *Gateway) backtrackLocked(node identity.NodeID, app string, since time.Time, ch *changes) {
	for _, id := range g.jobOrder {
		j := g.jobs[id]
		if j.Spec.Certify == nil || j.Canceled != nil || j.Spec.AppDigest != app {
			continue
		}
		reopened := 0
		for _, lt := range j.tasks {
			if lt.Cert == nil || lt.Cert.Canonical == "" || !lt.DoneAt.After(since) ||
				lt.State != api.TaskDone && lt.State != api.TaskFailed {
				continue // undecided, or inconclusive: nothing rests on anyone's word
			}
			solo := lt.Cert.Solo && lt.Node == node
			voted := slices.ContainsFunc(lt.replicas, func(r *task) bool {
				return r.Node == node && r.Vote == voteAgrees && r.countsAsVote()
			})
			if !solo && (!voted || g.standsWithoutLocked(lt, node)) {
				continue
			}
			why := "rested on %s alone"
			if !solo {
				why = "was certified with the vote of %s"
			}
			reopenLocked(lt, fmt.Sprintf("its result "+why+", since caught returning a wrong result", node.Short()))
			for _, r := range lt.replicas {
				switch {
				case r.Node == node && r.countsAsVote():
					r.Vote = voteDiscredited
				case solo:
					r.Vote = ""
				}
				ch.recs = append(ch.recs, r.snapshot())
			}
			reopened++
			g.certifyLocked(lt, ch)
		}
		if reopened > 0 {
			g.finishJobLocked(j) // a reopened task may have ended at once
			ch.jobs = append(ch.jobs, j.jobRecord)
			g.log.Warn("certified results reopened", "job", j.ID, "tasks", reopened, "node", node.Short())
		}
	}
}

// recheckLocked looks again at the tasks whose replicas disagree once
// credibility changed: the weights that split them may now decide them.
func (g *Gateway) recheckLocked(ch *changes) {
	if g.rechecking {
		return
	}
	g.rechecking = true
	defer func() { g.rechecking = false }()
	for g.credChanged {
		g.credChanged = false
		for lt := range g.verifyingLocked() {
			if splitVotes(lt) {
				g.certifyLocked(lt, ch)
			}
		}
	}
}

// verifyingLocked yields the tasks of unfinished certified jobs that wait
// for their replicas' votes.
func (g *Gateway) verifyingLocked() iter.Seq[*task] {
	return func(yield func(*task) bool) {
		for _, id := range g.jobOrder {
			j := g.jobs[id]
			if j.Spec.Certify == nil || j.Finished != nil || j.counts.Verifying == 0 {
				continue
			}
			for _, lt := range j.tasks {
				if lt.State == api.TaskVerifying && !yield(lt) {
					return
				}
			}
		}
	}
}

// splitVotes reports whether lt's replicas reported more than one result.
func splitVotes(lt *task) bool {
	first := ""
	for _, r := range lt.replicas {
		if !r.countsAsVote() {
			continue
		}
		if first == "" {
			first = r.Result.Digest
		} else if r.Result.Digest != first {
			return true
		}
	}
	return false
}

// splitByClassLocked, for a job of class any, reports whether lt's votes
// split exactly along device classes (each result from one class, no two
// from the same): the app is then nondeterministic across classes (NaN
// bits differ between amd64 and ARM). The job is marked so and pinned to
// the heaviest result's class; the other classes' votes stop counting,
// and nobody's credibility changes.
func (g *Gateway) splitByClassLocked(lt *task, groups []*voteGroup, ch *changes) bool {
	if len(groups) < 2 {
		return false
	}
	classOf := map[string]string{} // digest -> class
	seen := map[string]bool{}      // classes
	for _, gr := range groups {
		for _, r := range gr.reps {
			if cl, ok := classOf[gr.digest]; ok && cl != r.Class || r.Class == "" {
				return false
			}
			classOf[gr.digest] = r.Class
		}
		if seen[classOf[gr.digest]] {
			return false
		}
		seen[classOf[gr.digest]] = true
	}
	j := lt.job
	// The heaviest result's class; between equals, the class with more
	// devices, which can vote more.
	size := map[string]int{}
	for _, m := range g.members {
		if rt := runtimeFor(&j.Spec, m.Node.Runtimes, m.Node.Platforms); rt != "" && m.Quarantined == "" {
			size[deviceClass(m, rt)]++
		}
	}
	pin := groups[0]
	for _, gr := range groups[1:] {
		if gr.w == pin.w && size[gr.reps[0].Class] > size[pin.reps[0].Class] {
			pin = gr
		}
	}
	j.PinClass = pin.reps[0].Class
	classes := make([]string, 0, len(seen))
	for cl := range seen {
		classes = append(classes, cl)
	}
	slices.Sort(classes)
	j.Nondeterministic = fmt.Sprintf("task %d's results split by device class (%s): the app's replicas run in %s only", lt.Index, strings.Join(classes, ", "), j.PinClass)
	g.log.Warn("certified job: app nondeterministic across device classes; nobody is blamed", "job", j.ID, "classes", classes, "pinned", j.PinClass)
	for _, t := range j.tasks {
		for _, r := range t.replicas {
			if r.Class != "" && r.Class != j.PinClass && r.Result != nil {
				r.Vote = voteOtherClass
				ch.recs = append(ch.recs, r.snapshot())
			}
		}
	}
	ch.jobs = append(ch.jobs, j.jobRecord)
	return true
}

// sealLocked keeps the output of replica r, reported by node, readable by
// node only until its task is certified (getBlob).
func (g *Gateway) sealLocked(d store.Digest, node identity.NodeID) {
	if g.sealed[d] == nil {
		g.sealed[d] = map[identity.NodeID]bool{}
	}
	g.sealed[d][node] = true
}

// sealedFromLocked reports whether blob d is the output of a replica not
// yet certified that node did not upload.
func (g *Gateway) sealedFromLocked(d store.Digest, node identity.NodeID) bool {
	holders, ok := g.sealed[d]
	return ok && !holders[node]
}

// certRand draws spot checks; tests replace it.
var certRandDefault = rand.Float64

// certStuckAfter is how long a certified task may wait for a replica that
// no device of the pool may take (every device seen within the hour that
// runs it has voted, or is quarantined, or of another class) before it
// fails as inconclusive; a variable for tests.
var certStuckAfter = 5 * time.Minute

// checkStuckLocked fails as inconclusive the certified tasks that have
// waited certStuckAfter for a vote no device may give. The sweeper calls
// it.
func (g *Gateway) checkStuckLocked(now time.Time, ch *changes) {
	for lt := range g.verifyingLocked() {
		i := slices.IndexFunc(lt.replicas, func(r *task) bool { return r.State == api.TaskQueued })
		if i < 0 && !slices.ContainsFunc(lt.replicas, func(r *task) bool { return r.State == api.TaskLeased }) {
			// Nothing runs for it (a replica's record was lost in a
			// crash): decide, or ask for another replica.
			g.certifyLocked(lt, ch)
			continue
		}
		if i < 0 || g.anyVoterLocked(lt.replicas[i]) {
			lt.stuckSince = time.Time{}
			continue
		}
		if lt.stuckSince.IsZero() {
			lt.stuckSince = now
			continue
		}
		if now.Sub(lt.stuckSince) >= certStuckAfter {
			_, _, votes, _ := g.tally(lt)
			g.inconclusiveLocked(lt, votes, fmt.Sprintf("no other device of the pool may vote (waited %s)", certStuckAfter), ch)
		}
	}
}

// anyVoterLocked reports whether a device of the pool may take replica r:
// one that is live, or was seen within the last hour (a laptop asleep).
func (g *Gateway) anyVoterLocked(r *task) bool {
	for _, m := range g.members {
		if m.memberRecord.State == api.MemberPending || m.state == api.MemberLost && time.Since(m.lastSeen) > time.Hour {
			continue
		}
		if rt := runtimeFor(&r.job.Spec, m.Node.Runtimes, m.Node.Platforms); rt != "" && g.replicaFitsLocked(r, m, rt) {
			return true
		}
	}
	return false
}

// replicaCount is how many of lt's replicas count towards its
// max_replicas: not its known-answer checks, nor the votes discredited
// since (so that a task reopened without them may ask for others).
func replicaCount(lt *task) int {
	n := 0
	for _, r := range lt.replicas {
		if !r.Ringer && r.Vote != voteDiscredited {
			n++
		}
	}
	return n
}

// reopenLocked takes decided certified task lt back to verifying (why):
// its result is withdrawn until its votes decide it again.
func reopenLocked(lt *task, why string) {
	j := lt.job
	j.Finished = nil
	if lt.State == api.TaskDone {
		j.counts.Done--
	} else {
		j.counts.Failed--
	}
	j.counts.Verifying++
	lt.State, lt.Result, lt.DoneAt = api.TaskVerifying, nil, time.Time{}
	lt.Cert = &certRecord{Rolled: true, Check: true}
	lt.History = append(lt.History, "reopened: "+why)
}
