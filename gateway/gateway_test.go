package gateway

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/internal/identity"
	"github.com/hearth-home/hearth/store"
)

type testGateway struct {
	*Gateway
	dir    string
	cancel context.CancelFunc
	done   chan error
	admin  *api.Admin
}

func startGateway(t *testing.T, dir string, cfg Config) *testGateway {
	t.Helper()
	cfg.DataDir, cfg.Listen = dir, "127.0.0.1:0"
	g, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	tg := &testGateway{Gateway: g, dir: dir, cancel: cancel, done: make(chan error, 1)}
	go func() { tg.done <- g.Run(ctx) }()
	tg.admin, err = api.NewAdminClient(g.Credentials())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(tg.stop)
	return tg
}

func (tg *testGateway) stop() {
	if tg.cancel != nil {
		tg.cancel()
		<-tg.done
		tg.cancel = nil
	}
}

type testNode struct {
	id identity.Identity
	c  *api.Client
}

func newNode(t *testing.T, g *Gateway) *testNode {
	t.Helper()
	id, _ := identity.Generate()
	c, err := api.NewAgentClient(g.Addr().String(), id, identity.Pin(g.ID()))
	if err != nil {
		t.Fatal(err)
	}
	return &testNode{id: id, c: c}
}

func (n *testNode) hello(t *testing.T, token string) api.HelloResponse {
	t.Helper()
	resp, err := n.c.Hello(context.Background(), api.HelloRequest{
		Node: api.NodeInfo{Name: n.id.ID.Short(), Runtimes: []string{"wasm"}}, JoinToken: token})
	if err != nil {
		t.Fatalf("hello: %v", err)
	}
	return resp
}

func (n *testNode) lease(t *testing.T, max int) []api.Lease {
	t.Helper()
	ls, err := n.c.Lease(context.Background(), api.LeaseRequest{Runtimes: []string{"wasm"}, Max: max, Wait: api.Duration(200 * time.Millisecond)})
	if err != nil {
		t.Fatalf("lease: %v", err)
	}
	return ls
}

// result builds a valid result for l, uploading its output archive.
func (n *testNode) result(t *testing.T, l api.Lease, stdout string, failure string) api.TaskResult {
	t.Helper()
	out := []byte("archive of " + l.ID)
	d := store.DigestOf(out)
	if err := n.c.PutBlob(context.Background(), string(d), bytes.NewReader(out), int64(len(out))); err != nil {
		t.Fatalf("put output: %v", err)
	}
	r := api.TaskResult{LeaseID: l.ID, JobID: l.JobID, Index: l.Index, Attempt: l.Attempt,
		Stdout: []byte(stdout), Failure: failure, Output: api.BlobRef{Digest: string(d), Size: int64(len(out))}}
	if failure != "" {
		r.ExitCode = -1
	}
	r.Digest = api.ResultDigest(&r)
	return r
}

func (n *testNode) report(t *testing.T, rs ...api.TaskResult) []api.AckStatus {
	t.Helper()
	acks, err := n.c.Report(context.Background(), rs)
	if err != nil {
		t.Fatalf("report: %v", err)
	}
	out := make([]api.AckStatus, len(acks))
	for i, a := range acks {
		out[i] = a.Status
	}
	return out
}

func submit(t *testing.T, tg *testGateway, tasks int, retries int) api.Job {
	t.Helper()
	app := []byte("\x00asm fake module " + t.Name())
	d := store.DigestOf(app)
	ctx := context.Background()
	if err := tg.admin.PutBlob(ctx, string(d), bytes.NewReader(app), int64(len(app))); err != nil {
		t.Fatal(err)
	}
	j, err := tg.admin.SubmitJob(ctx, api.JobSpec{Name: "t", Runtime: "wasm", AppDigest: string(d), Tasks: tasks,
		Args: []string{"-shard", "{{index}}", "-of", "{{tasks}}"}, Retries: &retries})
	if err != nil {
		t.Fatal(err)
	}
	return j
}

// syncBuffer collects logs written from the gateway's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestPairing(t *testing.T) {
	var logs syncBuffer
	tg := startGateway(t, t.TempDir(), Config{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	ctx := context.Background()

	withToken := newNode(t, tg.Gateway)
	if r := withToken.hello(t, tg.JoinToken().String()); r.State != api.MemberReady {
		t.Fatalf("with token: state %s", r.State)
	}

	// A wrong token is refused and the node gets no work.
	bad := newNode(t, tg.Gateway)
	wrong, _ := api.NewJoinToken(tg.ID())
	_, err := bad.c.Hello(ctx, api.HelloRequest{JoinToken: wrong.String()})
	if !errors.Is(err, api.ErrForbidden) {
		t.Fatalf("wrong token: %v, want ErrForbidden", err)
	}
	if _, err := bad.c.Lease(ctx, api.LeaseRequest{Runtimes: []string{"wasm"}}); !errors.Is(err, api.ErrForbidden) {
		t.Fatalf("lease by refused node: %v, want ErrForbidden", err)
	}
	for _, want := range []string{"refused node: wrong join token", "refused work to a node that is not paired"} {
		if !strings.Contains(logs.String(), want) || !strings.Contains(logs.String(), bad.id.ID.Short()) {
			t.Errorf("the gateway's log lacks %q for node %s:\n%s", want, bad.id.ID.Short(), logs.String())
		}
	}

	// No token: pending until approved by its short ID.
	pending := newNode(t, tg.Gateway)
	if r := pending.hello(t, ""); r.State != api.MemberPending || !strings.Contains(r.Message, pending.id.ID.Short()) {
		t.Fatalf("without token: %+v", r)
	}
	if _, err := pending.c.Lease(ctx, api.LeaseRequest{Runtimes: []string{"wasm"}}); !errors.Is(err, api.ErrPending) {
		t.Fatalf("lease while pending: %v, want ErrPending", err)
	}
	if _, err := tg.admin.Approve(ctx, "ZZZZZZZ"); !errors.Is(err, api.ErrNotFound) {
		t.Fatalf("approve unknown: %v, want ErrNotFound", err)
	}
	m, err := tg.admin.Approve(ctx, pending.id.ID.Short())
	if err != nil || m.State != api.MemberReady {
		t.Fatalf("approve: %+v, %v", m, err)
	}
	if r := pending.hello(t, ""); r.State != api.MemberReady {
		t.Fatalf("after approval: state %s", r.State)
	}

	// A client that pins another gateway ID never talks to this one.
	stranger, _ := identity.Generate()
	c, _ := api.NewAgentClient(tg.Addr().String(), withToken.id, identity.Pin(stranger.ID))
	if _, err := c.Hello(ctx, api.HelloRequest{}); err == nil || !strings.Contains(err.Error(), "pinned") {
		t.Fatalf("hello to unpinned gateway: %v", err)
	}

	// The admin API wants the token.
	creds := tg.Credentials()
	creds.Token = "wrong"
	bogus, _ := api.NewAdminClient(creds)
	if _, err := bogus.Members(ctx); !errors.Is(err, api.ErrUnauthorized) {
		t.Fatalf("members with wrong admin token: %v", err)
	}
	ms, err := tg.admin.Members(ctx)
	if err != nil || len(ms) != 2 {
		t.Fatalf("members: %d, %v (the refused node must not be listed)", len(ms), err)
	}
}

func TestJobRunsAndResultsAreIdempotent(t *testing.T) {
	tg := startGateway(t, t.TempDir(), Config{})
	n := newNode(t, tg.Gateway)
	n.hello(t, tg.JoinToken().String())
	j := submit(t, tg, 3, 3)
	ls := n.lease(t, 10)
	if len(ls) != 3 {
		t.Fatalf("leased %d tasks, want 3", len(ls))
	}
	if got := strings.Join(ls[2].Args, " "); got != "-shard 2 -of 3" {
		t.Fatalf("templated args = %q", got)
	}
	r0 := n.result(t, ls[0], "zero", "")
	tampered := n.result(t, ls[1], "one", "")
	tampered.Stdout = []byte("forged")
	if got := n.report(t, r0, tampered); got[0] != api.AckAccepted || got[1] != api.AckRejected {
		t.Fatalf("acks = %v", got)
	}
	if got := n.report(t, r0); got[0] != api.AckDuplicate {
		t.Fatalf("second report of the same attempt: %v, want duplicate", got)
	}
	// Another node cannot report a task it never held.
	other := newNode(t, tg.Gateway)
	other.hello(t, tg.JoinToken().String())
	if got := other.report(t, other.result(t, ls[1], "one", "")); got[0] != api.AckStale {
		t.Fatalf("report by non-holder: %v, want stale", got)
	}
	n.report(t, n.result(t, ls[1], "one", ""), n.result(t, ls[2], "two", ""))
	d, err := tg.admin.Job(context.Background(), j.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d.State != api.JobDone || d.Counts.Done != 3 || string(d.Tasks[2].Result.Stdout) != "two" {
		t.Fatalf("job = %+v", d.Job)
	}
}

func TestExpiredLeaseRunsElsewhereAndLateResultCounts(t *testing.T) {
	tg := startGateway(t, t.TempDir(), Config{Heartbeat: 100 * time.Millisecond})
	a, b := newNode(t, tg.Gateway), newNode(t, tg.Gateway)
	a.hello(t, tg.JoinToken().String())
	b.hello(t, tg.JoinToken().String())
	j := submit(t, tg, 1, 3)
	la := a.lease(t, 1)
	if len(la) != 1 {
		t.Fatal("a got no lease")
	}
	// a goes silent; b heartbeats and waits for the task to come back.
	var lb []api.Lease
	deadline := time.Now().Add(5 * time.Second)
	for len(lb) == 0 && time.Now().Before(deadline) {
		b.c.Heartbeat(context.Background(), api.Heartbeat{})
		lb = b.lease(t, 1)
	}
	if len(lb) != 1 || lb[0].Attempt != 2 {
		t.Fatalf("b leases = %+v, want attempt 2", lb)
	}
	// a's heartbeat now learns its lease is revoked.
	hb, err := a.c.Heartbeat(context.Background(), api.Heartbeat{Running: []string{la[0].ID}})
	if err != nil || len(hb.Revoked) != 1 {
		t.Fatalf("heartbeat = %+v, %v; want the old lease revoked", hb, err)
	}
	// a's late result for attempt 1 is still accepted; b's is then stale.
	if got := a.report(t, a.result(t, la[0], "late", "")); got[0] != api.AckAccepted {
		t.Fatalf("late result: %v", got)
	}
	if got := b.report(t, b.result(t, lb[0], "late too", "")); got[0] != api.AckStale {
		t.Fatalf("result after the task is done: %v", got)
	}
	d, _ := tg.admin.Job(context.Background(), j.ID)
	if d.State != api.JobDone || d.Tasks[0].Result.Attempt != 1 || len(d.Tasks[0].History) == 0 {
		t.Fatalf("job = %+v task = %+v", d.Job, d.Tasks[0])
	}
}

func TestRetryLimit(t *testing.T) {
	tg := startGateway(t, t.TempDir(), Config{})
	n := newNode(t, tg.Gateway)
	n.hello(t, tg.JoinToken().String())
	j := submit(t, tg, 1, 1)
	for attempt := 1; attempt <= 2; attempt++ {
		ls := n.lease(t, 1)
		if len(ls) != 1 || ls[0].Attempt != attempt {
			t.Fatalf("attempt %d: leases %+v", attempt, ls)
		}
		n.report(t, n.result(t, ls[0], "", "lost"))
	}
	if ls := n.lease(t, 1); len(ls) != 0 {
		t.Fatalf("a third attempt was leased with retries: 1")
	}
	d, _ := tg.admin.Job(context.Background(), j.ID)
	if d.State != api.JobFailed || d.Tasks[0].State != api.TaskFailed {
		t.Fatalf("job %s task %s, want failed", d.State, d.Tasks[0].State)
	}
}

func TestRestartKeepsEverything(t *testing.T) {
	dir := t.TempDir()
	tg := startGateway(t, dir, Config{})
	n := newNode(t, tg.Gateway)
	n.hello(t, tg.JoinToken().String())
	j := submit(t, tg, 3, 3)
	ls := n.lease(t, 2)
	n.report(t, n.result(t, ls[0], "kept", ""))
	id, token := tg.ID(), tg.JoinToken()
	tg.stop()

	tg2 := startGateway(t, dir, Config{})
	if tg2.ID() != id || !tg2.JoinToken().Equal(token) {
		t.Fatal("identity or join token changed across restart")
	}
	n2 := &testNode{id: n.id}
	n2.c, _ = api.NewAgentClient(tg2.Addr().String(), n.id, identity.Pin(id))
	if r := n2.hello(t, ""); r.State != api.MemberReady {
		t.Fatalf("paired node after restart: %s", r.State)
	}
	d, err := tg2.admin.Job(context.Background(), j.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d.Counts != (api.TaskCounts{Queued: 1, Leased: 1, Done: 1}) || string(d.Tasks[0].Result.Stdout) != "kept" {
		t.Fatalf("after restart: %+v", d.Counts)
	}
	// The lease granted before the restart is still the node's.
	if got := n2.report(t, n2.result(t, ls[1], "after", "")); got[0] != api.AckAccepted {
		t.Fatalf("result for pre-restart lease: %v", got)
	}
	if got := n2.report(t, n2.result(t, ls[0], "kept", "")); got[0] != api.AckDuplicate {
		t.Fatalf("re-sent result after restart: %v, want duplicate", got)
	}
}

// A task lease loaded at the gateway's start waits RestartGrace for its
// device, not only LeaseTTL: devices come back in a crowd after a restart,
// and the result of work done while the gateway was down is still taken as
// the first attempt's. A device that does not come back loses the lease
// once the grace is over.
func TestLeaseWaitsForItsDeviceAfterRestart(t *testing.T) {
	dir := t.TempDir()
	cfg := Config{LeaseTTL: 200 * time.Millisecond, RestartGrace: 2 * time.Second}
	tg := startGateway(t, dir, cfg)
	n := newNode(t, tg.Gateway)
	n.hello(t, tg.JoinToken().String())
	j := submit(t, tg, 2, 3)
	ls := n.lease(t, 2)
	tg.stop()

	tg2 := startGateway(t, dir, cfg)
	time.Sleep(time.Second) // five TTLs, half the grace
	d, err := tg2.admin.Job(context.Background(), j.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d.Counts.Leased != 2 {
		t.Fatalf("1 s after the restart: %+v, want both tasks still leased", d.Counts)
	}
	n2 := &testNode{id: n.id}
	n2.c, _ = api.NewAgentClient(tg2.Addr().String(), n.id, identity.Pin(tg2.ID()))
	if got := n2.report(t, n2.result(t, ls[0], "done while the gateway was down", "")); got[0] != api.AckAccepted {
		t.Fatalf("result of the lease granted before the restart: %v", got)
	}
	waitFor(t, "the other lease to expire after the grace", func() bool {
		d, err := tg2.admin.Job(context.Background(), j.ID)
		return err == nil && d.Counts.Queued == 1
	})
	d, _ = tg2.admin.Job(context.Background(), j.ID)
	if d.Tasks[0].Attempt != 1 || d.Tasks[0].State != api.TaskDone {
		t.Errorf("task 0: %s on attempt %d, want done on the first", d.Tasks[0].State, d.Tasks[0].Attempt)
	}
}

func TestSubmitRefusesBadInput(t *testing.T) {
	tg := startGateway(t, t.TempDir(), Config{})
	ctx := context.Background()
	app := []byte("app")
	d := store.DigestOf(app)
	// Content that does not hash to the digest it is uploaded under.
	err := tg.admin.PutBlob(ctx, string(store.DigestOf([]byte("other"))), bytes.NewReader(app), 3)
	if !errors.Is(err, api.ErrDigestMismatch) {
		t.Fatalf("mismatched upload: %v", err)
	}
	cases := map[string]api.JobSpec{
		"runtime":    {Name: "x", Runtime: "jvm", AppDigest: string(d)},
		"app_digest": {Name: "x", Runtime: "wasm"},
		"app ":       {Name: "x", Runtime: "wasm", AppDigest: string(d)}, // never uploaded
	}
	for field, spec := range cases {
		_, err := tg.admin.SubmitJob(ctx, spec)
		if !errors.Is(err, api.ErrBadRequest) || !strings.Contains(err.Error(), field) {
			t.Errorf("submit with bad %s: %v", field, err)
		}
	}
}
