package gateway

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/internal/identity"
	"github.com/hearth-home/hearth/store"
)

// certNode is a device of a certified pool, driven by the test: it runs
// every lease it gets at once, honestly unless lie says otherwise.
type certNode struct {
	*testNode
	name string
	// lie, when it returns true for a lease, makes the device report a
	// wrong result for it.
	lie func(l api.Lease) bool
	// collude makes its lies the same as every other colluder's.
	collude bool
	ran     int       // replicas it ran
	beat    time.Time // its last heartbeat
	lied    int       // wrong results it reported
}

func newCertNode(t *testing.T, tg *testGateway, name, arch string) *certNode {
	t.Helper()
	n := newNode(t, tg.Gateway)
	_, err := n.c.Hello(context.Background(), api.HelloRequest{
		Node: api.NodeInfo{Name: name, Arch: arch, Runtimes: []string{"wasm"}}, JoinToken: tg.JoinToken().String()})
	if err != nil {
		t.Fatalf("hello: %v", err)
	}
	return &certNode{testNode: n, name: name, lie: func(api.Lease) bool { return false }}
}

// honest is the right answer to task index.
func honest(index int) string { return fmt.Sprintf("the answer to task %d", index) }

// certResult builds a sealed result of l whose stdout and /out archive are
// stdout (so that two devices computing the same agree byte for byte).
func (n *certNode) certResult(t *testing.T, l api.Lease, stdout string) api.TaskResult {
	t.Helper()
	out := []byte("archive: " + stdout)
	d := store.DigestOf(out)
	if err := n.c.PutBlob(context.Background(), string(d), bytes.NewReader(out), int64(len(out))); err != nil {
		t.Fatalf("put output: %v", err)
	}
	r := api.TaskResult{LeaseID: l.ID, JobID: l.JobID, Index: l.Index, Attempt: l.Attempt, Replica: l.Replica,
		Stdout: []byte(stdout), Output: api.BlobRef{Digest: string(d), Size: int64(len(out))}}
	r.Digest = api.ResultDigest(&r)
	r.Seal = api.ResultSeal(n.id.ID.String(), l.ID, r.Digest)
	return r
}

// step leases what the gateway gives at once and reports it; it returns
// how many leases it ran.
func (n *certNode) step(t *testing.T) int {
	t.Helper()
	if time.Since(n.beat) > time.Second {
		// Alive, or the gateway takes it for lost and its leases move.
		if _, err := n.c.Heartbeat(context.Background(), api.Heartbeat{}); err != nil {
			t.Fatalf("%s: heartbeat: %v", n.name, err)
		}
		n.beat = time.Now()
	}
	ls, err := n.c.Lease(context.Background(), api.LeaseRequest{Runtimes: []string{"wasm"}, Max: 8})
	if err != nil {
		t.Fatalf("%s: lease: %v", n.name, err)
	}
	if len(ls) == 0 {
		return 0
	}
	rs := make([]api.TaskResult, len(ls))
	for i, l := range ls {
		if l.Replica == 0 || !l.Deterministic {
			t.Fatalf("%s: lease %s of a certified job without replica or determinism", n.name, l.ID)
		}
		out := honest(l.Index)
		if n.lie(l) {
			out = fmt.Sprintf("a wrong answer from %s to task %d", n.name, l.Index)
			if n.collude {
				out = fmt.Sprintf("the colluders' wrong answer to task %d", l.Index)
			}
			n.lied++
		}
		rs[i] = n.certResult(t, l, out)
	}
	for i, a := range n.report(t, rs...) {
		if a != api.AckAccepted && a != api.AckStale {
			t.Fatalf("%s: result %s: %s", n.name, ls[i].ID, a)
		}
	}
	n.ran += len(ls)
	return len(ls)
}

func submitCertified(t *testing.T, tg *testGateway, tasks int, c api.CertifySpec) api.Job {
	t.Helper()
	app := []byte("\x00asm certified module " + t.Name())
	d := store.DigestOf(app)
	ctx := context.Background()
	if err := tg.admin.PutBlob(ctx, string(d), bytes.NewReader(app), int64(len(app))); err != nil {
		t.Fatal(err)
	}
	j, err := tg.admin.SubmitJob(ctx, api.JobSpec{Name: "cert", Runtime: "wasm", AppDigest: string(d), Tasks: tasks, Certify: &c})
	if err != nil {
		t.Fatal(err)
	}
	return j
}

// drive runs the nodes in turn until job id finishes, and returns it.
func drive(t *testing.T, tg *testGateway, id string, nodes ...*certNode) api.JobDetail {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	order := rand.New(rand.NewPCG(7, 8))
	for idle := 0; ; {
		// Devices ask for work in no set order, as real ones do.
		order.Shuffle(len(nodes), func(i, j int) { nodes[i], nodes[j] = nodes[j], nodes[i] })
		ran := 0
		for _, n := range nodes {
			ran += n.step(t)
		}
		if ran > 0 {
			idle = 0
			continue
		}
		j, err := tg.admin.Job(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if j.State.Final() {
			return j
		}
		if idle++; idle > 300 || time.Now().After(deadline) {
			t.Fatalf("job %s stuck in %s: %+v", id, j.State, j.Counts)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// wrongAccepted counts j's tasks certified with a result that is not the
// honest one.
func wrongAccepted(j api.JobDetail) int {
	n := 0
	for _, tk := range j.Tasks {
		if tk.State == api.TaskDone && string(tk.Result.Stdout) != honest(tk.Index) {
			n++
		}
	}
	return n
}

func memberOf(tg *testGateway, n *certNode) memberRecord {
	tg.mu.Lock()
	defer tg.mu.Unlock()
	return tg.members[n.id.ID].snapshot()
}

func TestCertifiedReplicasAgree(t *testing.T) {
	tg := startGateway(t, t.TempDir(), Config{})
	a, b, c := newCertNode(t, tg, "a", "amd64"), newCertNode(t, tg, "b", "amd64"), newCertNode(t, tg, "c", "amd64")
	j := submitCertified(t, tg, 6, api.CertifySpec{Trust: 0.9, MinReplicas: 2})
	d := drive(t, tg, j.ID, a, b, c)
	if d.State != api.JobDone || d.Counts.Done != 6 || d.Replicas == nil {
		t.Fatalf("job %s %+v replicas %+v", d.State, d.Counts, d.Replicas)
	}
	for _, tk := range d.Tasks {
		cert := tk.Certification
		if cert == nil || cert.How != "quorum" || cert.Canonical != tk.Result.Digest || cert.Confidence <= 0.9 {
			t.Fatalf("task %d certification %+v", tk.Index, cert)
		}
		nodes := map[string]bool{}
		agree := 0
		for _, r := range tk.Replicas {
			if r.Node != "" && nodes[r.Node] {
				t.Fatalf("task %d: two replicas on %s", tk.Index, r.Node)
			}
			nodes[r.Node] = true
			if r.Vote == "agrees" {
				agree++
			}
		}
		// Two fresh devices (weight 9 each): 81 / (1 + 81) > 0.9.
		if agree != 2 || len(tk.Replicas) != 2 {
			t.Fatalf("task %d replicas %+v", tk.Index, tk.Replicas)
		}
	}
	for _, n := range []*certNode{a, b, c} {
		m := memberOf(tg, n)
		if m.Faults != 0 || m.Quarantined != "" {
			t.Fatalf("%s: faults %d %q", n.name, m.Faults, m.Quarantined)
		}
	}
}

// TestCertifiedLiar: one device of three lies, every time and then one
// time in ten; no wrong result is certified, the liar is quarantined, and
// the honest devices' credibility only rises.
func TestCertifiedLiar(t *testing.T) {
	for _, tc := range []struct {
		name string
		rate float64
		min  int
	}{{"always", 1, 2}, {"one in ten", 0.1, 1}} {
		t.Run(tc.name, func(t *testing.T) {
			tg := startGateway(t, t.TempDir(), Config{})
			tg.certRand = rand.New(rand.NewPCG(1, 2)).Float64
			a, b := newCertNode(t, tg, "honest-a", "amd64"), newCertNode(t, tg, "honest-b", "amd64")
			liar := newCertNode(t, tg, "liar", "amd64")
			r := rand.New(rand.NewPCG(3, 4))
			liar.lie = func(api.Lease) bool { return r.Float64() < tc.rate }
			tasks := 1000
			if testing.Short() {
				tasks = 200
			}
			j := submitCertified(t, tg, tasks, api.CertifySpec{Trust: 0.9, MinReplicas: tc.min})
			d := drive(t, tg, j.ID, liar, a, b)
			if d.State != api.JobDone || d.Counts.Done != tasks {
				t.Fatalf("job %s %+v", d.State, d.Counts)
			}
			if n := wrongAccepted(d); n != 0 {
				t.Fatalf("%d wrong results certified", n)
			}
			lm := memberOf(tg, liar)
			if lm.Quarantined == "" || lm.Faults < quarantineFaults {
				t.Fatalf("liar (lied %d times of %d) not quarantined: faults %d", liar.lied, liar.ran, lm.Faults)
			}
			if ms, _ := tg.admin.Members(context.Background()); !slices.ContainsFunc(ms, func(m api.Member) bool { return m.Quarantined != "" }) {
				t.Fatal("hearth pool ls does not show the quarantine")
			}
			if m, err := tg.admin.Release(context.Background(), "liar"); err != nil || m.Quarantined != "" || memberOf(tg, liar).Faults != 0 {
				t.Fatalf("release: %+v %v", m, err)
			}
			for _, n := range []*certNode{a, b} {
				m := memberOf(tg, n)
				cr := m.Credibility[d.Spec.AppDigest]
				if m.Faults != 0 || cr == nil || cr.Invalid != 0 || cr.Score != cr.Valid {
					t.Fatalf("%s: faults %d credibility %+v", n.name, m.Faults, cr)
				}
			}
			t.Logf("liar lied %d of %d replicas, caught %d times; replicas run %d for %d tasks",
				liar.lied, liar.ran, lm.Faults, a.ran+b.ran+liar.ran, tasks)
		})
	}
}

// TestCertifiedTraitor: a device that earned enough credibility to be
// believed alone starts lying; a spot check catches it, and every result
// accepted on its word alone since its last validated vote runs again.
func TestCertifiedTraitor(t *testing.T) {
	tg := startGateway(t, t.TempDir(), Config{})
	tg.certRand = rand.New(rand.NewPCG(5, 6)).Float64
	a, b, c := newCertNode(t, tg, "a", "amd64"), newCertNode(t, tg, "b", "amd64"), newCertNode(t, tg, "c", "amd64")
	warm := submitCertified(t, tg, 300, api.CertifySpec{Trust: 0.9})
	drive(t, tg, warm.ID, a, b, c)
	before := memberOf(tg, c).Credibility
	var cv int
	for _, cr := range before {
		cv = cr.CV
	}
	// c turns bad.
	c.lie = func(api.Lease) bool { return true }
	var ids []string
	for i := 0; memberOf(tg, c).Faults == 0 && i < 5; i++ {
		j := submitCertified(t, tg, 300, api.CertifySpec{Trust: 0.9})
		ids = append(ids, j.ID)
		drive(t, tg, j.ID, c, a, b)
	}
	if memberOf(tg, c).Faults == 0 {
		t.Fatalf("the traitor lied %d times unseen", c.lied)
	}
	// Every result is right in the end: what rested on c's word alone was
	// reopened and ran again (the jobs that were done run again until it
	// has).
	reopened := 0
	for _, id := range append(ids, warm.ID) {
		d := drive(t, tg, id, a, b, c)
		if n := wrongAccepted(d); n != 0 {
			t.Fatalf("job %s: %d wrong results stand", id, n)
		}
		for _, tk := range d.Tasks {
			for _, h := range tk.History {
				if strings.HasPrefix(h, "reopened") {
					reopened++
				}
			}
		}
	}
	t.Logf("traitor (CV %d when it turned) lied %d times; %d results that rested on its word reopened", cv, c.lied, reopened)
	if reopened == 0 {
		t.Fatal("no result reopened")
	}
}

// TestCertifiedCopier: a device cannot replay another's report as its own
// (the seal names the other device and lease), nor read another replica's
// output before the task is certified. A device that learns another's
// whole result some other way can seal it as its own: the seal does not
// stop that, withholding the outputs does (docs/certification.md).
func TestCertifiedCopier(t *testing.T) {
	tg := startGateway(t, t.TempDir(), Config{})
	a, b := newCertNode(t, tg, "a", "amd64"), newCertNode(t, tg, "b", "amd64")
	j := submitCertified(t, tg, 1, api.CertifySpec{Trust: 0.9, MinReplicas: 2})
	la, lb := a.lease(t, 1), b.lease(t, 1)
	if len(la) != 1 || len(lb) != 1 || la[0].Replica == lb[0].Replica {
		t.Fatalf("leases %+v %+v", la, lb)
	}
	ra := a.certResult(t, la[0], honest(0))
	if got := a.report(t, ra); got[0] != api.AckAccepted {
		t.Fatalf("a: %s", got[0])
	}
	// b replays a's report as its own: the seal is a's.
	copied := ra
	copied.LeaseID, copied.Replica, copied.Attempt = lb[0].ID, lb[0].Replica, lb[0].Attempt
	if got := b.report(t, copied); got[0] != api.AckRejected {
		t.Fatalf("copied report: %s, want rejected", got[0])
	}
	// Nor may b read a's output while the task is not certified.
	_, err := b.c.GetBlob(context.Background(), ra.Output.Digest, io.Discard)
	if !errors.Is(err, api.ErrForbidden) {
		t.Fatalf("b reads a's sealed output: %v", err)
	}
	if _, err := a.c.GetBlob(context.Background(), ra.Output.Digest, io.Discard); err != nil {
		t.Fatalf("a reads its own output: %v", err)
	}
	// A replica without its seal is refused too.
	unsealed := b.certResult(t, lb[0], honest(0))
	unsealed.Seal = ""
	if got := b.report(t, unsealed); got[0] != api.AckRejected {
		t.Fatalf("unsealed report: %s, want rejected", got[0])
	}
	if got := b.report(t, b.certResult(t, lb[0], honest(0))); got[0] != api.AckAccepted {
		t.Fatalf("b: %s", got[0])
	}
	d, err := tg.admin.Job(context.Background(), j.ID)
	if err != nil || d.State != api.JobDone {
		t.Fatalf("job %v %v", d.State, err)
	}
	if _, err := b.c.GetBlob(context.Background(), ra.Output.Digest, io.Discard); err != nil {
		t.Fatalf("certified output not readable: %v", err)
	}
}

// TestCertifiedSurvivesRestart: replicas reported before the gateway
// stops count after it starts again.
func TestCertifiedSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	tg := startGateway(t, dir, Config{})
	a, b := newCertNode(t, tg, "a", "amd64"), newCertNode(t, tg, "b", "amd64")
	j := submitCertified(t, tg, 1, api.CertifySpec{Trust: 0.9, MinReplicas: 2})
	la, lb := a.lease(t, 1), b.lease(t, 1)
	if got := a.report(t, a.certResult(t, la[0], honest(0))); got[0] != api.AckAccepted {
		t.Fatalf("a: %s", got[0])
	}
	tg.stop()
	tg = startGateway(t, dir, Config{})
	for _, n := range []*certNode{a, b} { // the gateway listens on a new port
		n.c, _ = api.NewAgentClient(tg.Addr().String(), n.id, identity.Pin(tg.ID()))
	}
	d, err := tg.admin.Job(context.Background(), j.ID)
	if err != nil || d.State != api.JobRunning || d.Counts.Verifying != 1 || d.Replicas.Done != 1 || d.Replicas.Leased != 1 {
		t.Fatalf("after restart: %v %+v %+v %v", d.State, d.Counts, d.Replicas, err)
	}
	if got := b.report(t, b.certResult(t, lb[0], honest(0))); got[0] != api.AckAccepted {
		t.Fatalf("b after restart: %s", got[0])
	}
	d, _ = tg.admin.Job(context.Background(), j.ID)
	if d.State != api.JobDone || d.Tasks[0].Certification.How != "quorum" {
		t.Fatalf("job %s %+v", d.State, d.Tasks[0].Certification)
	}
}

// TestCertifiedNondeterministicAcrossClasses: with class any, results that
// split exactly by device class mark the app so; nobody is blamed, and the
// task is decided within one class.
func TestCertifiedNondeterministicAcrossClasses(t *testing.T) {
	tg := startGateway(t, t.TempDir(), Config{})
	x1, x2 := newCertNode(t, tg, "x1", "amd64"), newCertNode(t, tg, "x2", "amd64")
	arm := newCertNode(t, tg, "arm", "arm64")
	arm.lie = func(api.Lease) bool { return true } // its NaN bits differ
	j := submitCertified(t, tg, 1, api.CertifySpec{Trust: 0.9, MinReplicas: 2, Class: api.ClassAny})
	// One replica on each class first.
	lx, la := x1.lease(t, 1), arm.lease(t, 1)
	arm.report(t, arm.certResult(t, la[0], "NaN with the sign bit clear"))
	x1.report(t, x1.certResult(t, lx[0], honest(0)))
	d := drive(t, tg, j.ID, x2, arm, x1)
	if d.State != api.JobDone || d.Nondeterministic == "" || string(d.Tasks[0].Result.Stdout) != honest(0) {
		t.Fatalf("job %s nondeterministic %q result %q", d.State, d.Nondeterministic, d.Tasks[0].Result.Stdout)
	}
	for _, n := range []*certNode{x1, x2, arm} {
		if m := memberOf(tg, n); m.Faults != 0 {
			t.Fatalf("%s blamed: %d faults", n.name, m.Faults)
		}
	}
	t.Log(d.Nondeterministic)
}

// TestCertifySpecRefusesBadInput: each bad field is named.
func TestCertifySpecRefusesBadInput(t *testing.T) {
	for _, tc := range []struct {
		c     api.CertifySpec
		field string
	}{
		{api.CertifySpec{Trust: 0.3}, "certify.trust"},
		{api.CertifySpec{Trust: 1}, "certify.trust"},
		{api.CertifySpec{MinReplicas: -1}, "certify.min_replicas"},
		{api.CertifySpec{MinReplicas: 4, MaxReplicas: 3}, "certify.max_replicas"},
		{api.CertifySpec{MaxReplicas: 1}, "certify.max_replicas"},
		{api.CertifySpec{Class: "loose"}, "certify.class"},
		{api.CertifySpec{SpotCheck: 1.5}, "certify.spot_check"},
	} {
		s := api.JobSpec{Name: "x", Runtime: "wasm", Certify: &tc.c}
		err := api.ValidateJobSpec(&s)
		if !errors.Is(err, api.ErrBadSpec) || !strings.Contains(err.Error(), tc.field) {
			t.Errorf("%+v: %v, want an error naming %s", tc.c, err, tc.field)
		}
	}
	s := api.JobSpec{Name: "x", Runtime: "wasm", Certify: &api.CertifySpec{}}
	if err := api.ValidateJobSpec(&s); err != nil || s.Certify.Trust != 0.9 || s.Certify.MinReplicas != 1 ||
		s.Certify.MaxReplicas != 5 || s.Certify.Class != api.ClassStrict || s.Certify.SpotCheck != 0.05 {
		t.Fatalf("defaults: %+v %v", s.Certify, err)
	}
}

// TestCertBench prints the certification figures (make bench): the
// replicas an honest pool of three runs beyond one per task, at trust 0.9
// from fresh devices and after 1,000 tasks per device, and at 0.99; and
// the wrong results certified with one device of three lying one time in
// ten.
func TestCertBench(t *testing.T) {
	if os.Getenv("HEARTH_CERT_BENCH") == "" {
		t.Skip("set HEARTH_CERT_BENCH=1 (make bench)")
	}
	const perDevice = 1000
	overhead := func(ran, tasks int) float64 { return float64(ran-tasks) / float64(tasks) * 100 }
	// Without tail copies: the simulated devices run their leases in
	// turns, so each one's leases look like stragglers to the others
	// (tail copies have their own figure, TestTailBench).
	tg := startGateway(t, t.TempDir(), Config{NoTailCopies: true})
	nodes := []*certNode{newCertNode(t, tg, "a", "amd64"), newCertNode(t, tg, "b", "amd64"), newCertNode(t, tg, "c", "amd64")}
	ran := func() int { return nodes[0].ran + nodes[1].ran + nodes[2].ran }
	run := func(trust float64) (int, api.JobDetail) {
		before := ran()
		j := submitCertified(t, tg, perDevice*len(nodes), api.CertifySpec{Trust: trust})
		d := drive(t, tg, j.ID, nodes...)
		return ran() - before, d
	}
	tasks := perDevice * len(nodes)
	fresh, d1 := run(0.9)
	steady, d2 := run(0.9)
	high, d3 := run(0.99)
	for _, d := range []api.JobDetail{d1, d2, d3} {
		if d.State != api.JobDone || wrongAccepted(d) != 0 {
			t.Fatalf("job %s: %s, %d wrong", d.ID, d.State, wrongAccepted(d))
		}
	}
	fmt.Printf("BENCH cert.overhead_trust_0.9 %.1f %%\n", overhead(steady, tasks))
	fmt.Printf("BENCH cert.overhead_trust_0.9_fresh %.1f %%\n", overhead(fresh, tasks))
	fmt.Printf("BENCH cert.overhead_trust_0.99 %.1f %%\n", overhead(high, tasks))

	lg := startGateway(t, t.TempDir(), Config{NoTailCopies: true})
	honestA, honestB := newCertNode(t, lg, "a", "amd64"), newCertNode(t, lg, "b", "amd64")
	liar := newCertNode(t, lg, "liar", "amd64")
	r := rand.New(rand.NewPCG(9, 10))
	liar.lie = func(api.Lease) bool { return r.Float64() < 0.1 }
	j := submitCertified(t, lg, perDevice, api.CertifySpec{Trust: 0.9})
	d := drive(t, lg, j.ID, honestA, honestB, liar)
	fmt.Printf("BENCH cert.wrong_accepted %d results\n", wrongAccepted(d))
	fmt.Printf("BENCH cert.liar_lies %d results\n", liar.lied)
	fmt.Printf("BENCH cert.overhead_one_liar_0.9 %.1f %%\n", overhead(honestA.ran+honestB.ran+liar.ran, perDevice))
}

// TestCertifiedLateReplicaIsStale: a device whose replica lease expired
// and moved on cannot vote with its late result, whatever it holds now.
func TestCertifiedLateReplicaIsStale(t *testing.T) {
	tg := startGateway(t, t.TempDir(), Config{LeaseTTL: 300 * time.Millisecond})
	a, b := newCertNode(t, tg, "a", "amd64"), newCertNode(t, tg, "b", "amd64")
	submitCertified(t, tg, 1, api.CertifySpec{MinReplicas: 2})
	first := a.lease(t, 2)
	if len(first) != 1 {
		t.Fatalf("a got %d replicas of one task", len(first))
	}
	waitFor(t, "a's lease to expire", func() bool {
		tg.mu.Lock()
		defer tg.mu.Unlock()
		return tg.leased[first[0].ID] == nil
	})
	b.lease(t, 1)
	again := a.lease(t, 1)
	if len(again) != 1 || again[0].ID == first[0].ID {
		t.Fatalf("a's second lease: %+v", again)
	}
	if got := a.report(t, a.certResult(t, first[0], honest(0))); got[0] != api.AckStale {
		t.Fatalf("late result of an expired replica: %s, want stale", got[0])
	}
}

// TestCertifiedStuckIsInconclusive: three fresh devices, one of which
// dissents on the only task: 81 against 9 is below 0.9, and no fourth
// device may vote, so the task fails as inconclusive, and nobody is
// blamed.
func TestCertifiedStuckIsInconclusive(t *testing.T) {
	defer func(a, e time.Duration) { certStuckAfter, stuckCheckEvery = a, e }(certStuckAfter, stuckCheckEvery)
	certStuckAfter, stuckCheckEvery = 500*time.Millisecond, 100*time.Millisecond
	tg := startGateway(t, t.TempDir(), Config{})
	a, b, liar := newCertNode(t, tg, "a", "amd64"), newCertNode(t, tg, "b", "amd64"), newCertNode(t, tg, "liar", "amd64")
	liar.lie = func(api.Lease) bool { return true }
	j := submitCertified(t, tg, 1, api.CertifySpec{MinReplicas: 3})
	d := drive(t, tg, j.ID, a, b, liar)
	tk := d.Tasks[0]
	if d.State != api.JobFailed || tk.Certification.How != "inconclusive" || d.Replicas.Queued+d.Replicas.Leased != 0 {
		t.Fatalf("job %s, task %+v, replicas %+v", d.State, tk.Certification, d.Replicas)
	}
	if m := memberOf(tg, liar); m.Faults != 0 {
		t.Fatalf("blamed without a decision: %d faults", m.Faults)
	}
	tg.mu.Lock()
	defer tg.mu.Unlock()
	if len(tg.queue) != 0 || len(tg.leased) != 0 {
		t.Fatalf("left behind: %d queued, %d leased", len(tg.queue), len(tg.leased))
	}
}

// TestCertifiedCancel: a certified job's queued and running replicas end
// with it, and the counts say so.
func TestCertifiedCancel(t *testing.T) {
	tg := startGateway(t, t.TempDir(), Config{})
	a := newCertNode(t, tg, "a", "amd64")
	j := submitCertified(t, tg, 3, api.CertifySpec{MinReplicas: 2})
	if ls := a.lease(t, 8); len(ls) != 3 {
		t.Fatalf("a got %d leases, want one replica of each task", len(ls))
	}
	c, err := tg.admin.CancelJob(context.Background(), j.ID)
	if err != nil {
		t.Fatal(err)
	}
	if c.Counts != (api.TaskCounts{Canceled: 3}) || *c.Replicas != (api.TaskCounts{Canceled: 6}) {
		t.Fatalf("counts %+v replicas %+v", c.Counts, c.Replicas)
	}
	tg.mu.Lock()
	defer tg.mu.Unlock()
	if len(tg.queue) != 0 || len(tg.leased) != 0 {
		t.Fatalf("left behind: %d queued, %d leased", len(tg.queue), len(tg.leased))
	}
}

// TestCertifiedColludingPair: two fresh devices that return the same wrong
// answer join a pool of three established honest ones. At trust 0.99 the
// pair's agreement (9·9 = 81, 81/82 = 0.988) is not enough, and the honest
// devices' weight outvotes it: no wrong result is certified, and the pair
// is caught.
func TestCertifiedColludingPair(t *testing.T) {
	tg := startGateway(t, t.TempDir(), Config{})
	tg.certRand = rand.New(rand.NewPCG(11, 12)).Float64
	honestNodes := []*certNode{newCertNode(t, tg, "a", "amd64"), newCertNode(t, tg, "b", "amd64"), newCertNode(t, tg, "c", "amd64")}
	warm := submitCertified(t, tg, 200, api.CertifySpec{Trust: 0.99, MinReplicas: 2})
	drive(t, tg, warm.ID, honestNodes...)
	x, y := newCertNode(t, tg, "x", "amd64"), newCertNode(t, tg, "y", "amd64")
	for _, n := range []*certNode{x, y} {
		n.lie, n.collude = func(api.Lease) bool { return true }, true
	}
	j := submitCertified(t, tg, 200, api.CertifySpec{Trust: 0.99, MinReplicas: 2})
	d := drive(t, tg, j.ID, append([]*certNode{x, y}, honestNodes...)...)
	if n := wrongAccepted(d); n != 0 {
		t.Fatalf("%d wrong results certified", n)
	}
	t.Logf("the pair lied %d times; faults %d and %d", x.lied+y.lied, memberOf(tg, x).Faults, memberOf(tg, y).Faults)
}

// ringers lists the known-answer checks of job d: node → votes.
func ringers(d api.JobDetail) map[string][]string {
	out := map[string][]string{}
	for _, tk := range d.Tasks {
		for _, r := range tk.Replicas {
			if r.Ringer {
				out[r.Node] = append(out[r.Node], r.Vote)
			}
		}
	}
	return out
}

// TestCertifiedRinger: a fresh device that lies joins a pool whose app has
// results certified by two devices. With spot_check 1, each replica it
// takes while untrusted comes with a known-answer check (a replica of a
// certified task); it fails the first, is caught before any of its lies is
// voted on, and the honest devices' answers to their checks agree.
func TestCertifiedRinger(t *testing.T) {
	tg := startGateway(t, t.TempDir(), Config{NoTailCopies: true})
	tg.certRand = rand.New(rand.NewPCG(21, 22)).Float64
	a, b := newCertNode(t, tg, "a", "amd64"), newCertNode(t, tg, "b", "amd64")
	warm := submitCertified(t, tg, 20, api.CertifySpec{Trust: 0.9, MinReplicas: 2})
	drive(t, tg, warm.ID, a, b)
	liar := newCertNode(t, tg, "liar", "amd64")
	liar.lie = func(api.Lease) bool { return true }
	j := submitCertified(t, tg, 10, api.CertifySpec{Trust: 0.9, MinReplicas: 2, SpotCheck: 1})
	d := drive(t, tg, j.ID, liar, a, b)
	if n := wrongAccepted(d); n != 0 {
		t.Fatalf("%d wrong results certified", n)
	}
	w, err := tg.admin.Job(context.Background(), warm.ID)
	if err != nil {
		t.Fatal(err)
	}
	checks := ringers(w)
	liarID := liar.id.ID.String()
	if v := checks[liarID]; len(v) == 0 || v[0] != voteDissents {
		t.Fatalf("the liar's known-answer checks: %v, want a dissent first (all: %v)", v, checks)
	}
	if f := memberOf(tg, liar).Faults; f < 1 {
		t.Fatalf("the liar has %d faults after failing a known-answer check", f)
	}
	for node, votes := range checks {
		for _, v := range votes {
			if node != liarID && v != voteAgrees {
				t.Errorf("an honest device's known-answer check: %q", v)
			}
		}
	}
	t.Logf("known-answer checks: %v; the liar lied %d times", checks, liar.lied)
}

// TestCertifiedColludingFreshPool: two colluders that return the same
// wrong answer every time join two honest devices, all fresh, at trust
// 0.9, where two fresh devices' agreement (81/82) certifies a result when
// nobody else votes on it. Known-answer checks (spot_check 0.05, only
// while a device is untrusted) and the honest devices' votes catch both;
// every result certified with a caught colluder's vote is decided again
// without it, so that none is wrong when the job ends; and the wrong
// results ever certified stay within the bound docs/certification.md
// states.
func TestCertifiedColludingFreshPool(t *testing.T) {
	tg := startGateway(t, t.TempDir(), Config{NoTailCopies: true})
	tg.certRand = rand.New(rand.NewPCG(31, 32)).Float64
	nodes := []*certNode{newCertNode(t, tg, "a", "amd64"), newCertNode(t, tg, "b", "amd64")}
	x, y := newCertNode(t, tg, "x", "amd64"), newCertNode(t, tg, "y", "amd64")
	for _, n := range []*certNode{x, y} {
		n.lie, n.collude = func(api.Lease) bool { return true }, true
	}
	j := submitCertified(t, tg, 200, api.CertifySpec{Trust: 0.9, MinReplicas: 2})
	d := drive(t, tg, j.ID, append(nodes, x, y)...)
	if n := wrongAccepted(d); n != 0 {
		t.Fatalf("%d wrong results certified when the job ended", n)
	}
	reopened, discredited := 0, 0
	for _, tk := range d.Tasks {
		for _, h := range tk.History {
			if strings.HasPrefix(h, "reopened") {
				reopened++
			}
		}
		for _, r := range tk.Replicas {
			if r.Vote == voteDiscredited {
				discredited++
			}
		}
	}
	for _, n := range []*certNode{x, y} {
		if f := memberOf(tg, n).Faults; f < 1 {
			t.Errorf("colluder %s was never caught", n.name)
		}
	}
	for _, n := range nodes {
		if f := memberOf(tg, n).Faults; f != 0 {
			t.Errorf("honest device %s has %d faults", n.name, f)
		}
	}
	// Each result reopened had been certified wrong (the colluders never
	// agree with an honest device). docs/certification.md: a device that
	// lies on every result goes uncaught through n of them with
	// probability at most (1 - spot_check)^n, 0.006 for n = 100 at 0.05;
	// the pair's joint results before the first catch are fewer than
	// either's.
	if reopened > 100 {
		t.Errorf("%d results were certified wrong before the pair was caught, beyond the bound of 100", reopened)
	}
	names := map[string]string{}
	for _, n := range append(nodes, x, y) {
		names[n.id.ID.String()] = n.name
	}
	checks := map[string][]string{}
	for node, votes := range ringers(d) {
		checks[names[node]] = votes
	}
	t.Logf("the pair lied %d times; faults %d and %d; %d results certified wrong were reopened and decided again, %d votes discredited; known-answer checks %v",
		x.lied+y.lied, memberOf(tg, x).Faults, memberOf(tg, y).Faults, reopened, discredited, checks)
}

// isRinger reports whether lease l is a known-answer check (the test peeks;
// a device cannot tell).
func isRinger(tg *testGateway, l api.Lease) bool {
	tg.mu.Lock()
	defer tg.mu.Unlock()
	t := tg.leased[l.ID]
	return t != nil && t.Ringer
}

// TestCertifiedRingerCannotFailResults: a liar's dissent from a known
// answer does not reopen it, so that in a pool too small to outvote the
// liar again (min = max = 2 replicas) no result is failed on its word; and
// a device caught on known-answer checks alone has the results it
// co-certified decided again without it, beyond max_replicas, with no
// result failed either.
func TestCertifiedRingerCannotFailResults(t *testing.T) {
	tg := startGateway(t, t.TempDir(), Config{NoTailCopies: true})
	tg.certRand = rand.New(rand.NewPCG(41, 42)).Float64
	a, b := newCertNode(t, tg, "a", "amd64"), newCertNode(t, tg, "b", "amd64")
	spec := api.CertifySpec{Trust: 0.8, MinReplicas: 2, MaxReplicas: 2}
	warm := submitCertified(t, tg, 10, spec)
	drive(t, tg, warm.ID, a, b)
	// The liar answers real tasks honestly and known-answer checks
	// wrongly: caught only there.
	liar := newCertNode(t, tg, "liar", "amd64")
	liar.lie = func(l api.Lease) bool { return isRinger(tg, l) }
	spec.SpotCheck = 0.3
	j := submitCertified(t, tg, 30, spec)
	d := drive(t, tg, j.ID, liar, a, b)
	w, err := tg.admin.Job(context.Background(), warm.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, dd := range []api.JobDetail{w, d} {
		if dd.State != api.JobDone || dd.Counts.Failed != 0 || wrongAccepted(dd) != 0 {
			t.Fatalf("job %s: %s %+v, %d wrong", dd.ID, dd.State, dd.Counts, wrongAccepted(dd))
		}
	}
	if liar.lied == 0 || memberOf(tg, liar).Faults == 0 {
		t.Fatalf("the liar lied %d times on known-answer checks, faults %d", liar.lied, memberOf(tg, liar).Faults)
	}
	reopened := 0
	for _, tk := range d.Tasks {
		for _, h := range tk.History {
			if strings.HasPrefix(h, "reopened") {
				reopened++
			}
		}
	}
	t.Logf("the liar failed %d known-answer checks (faults %d); %d results it co-certified were decided again", liar.lied, memberOf(tg, liar).Faults, reopened)
}
