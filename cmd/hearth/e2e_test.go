package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hearth-home/hearth/gateway"
	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/internal/identity"
	"github.com/hearth-home/hearth/internal/tarball"
)

// startGateway runs a real gateway in a temporary directory and returns it
// with an environment whose only credentials are the ones it wrote, as
// `hearth-gateway init` does.
func startGateway(t *testing.T) (*gateway.Gateway, map[string]string) {
	t.Helper()
	dir := t.TempDir()
	g, err := gateway.New(gateway.Config{DataDir: dir, Listen: "127.0.0.1:0", Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- g.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("gateway: %v", err)
		}
	})
	path, err := g.WriteCredentials()
	if err != nil {
		t.Fatal(err)
	}
	return g, map[string]string{"HOME": t.TempDir(), "HEARTH_CREDENTIALS": path}
}

// mustRun runs the CLI and fails the test unless it exits with want.
func mustRun(t *testing.T, env map[string]string, want int, args ...string) string {
	t.Helper()
	out, errOut, code := runCLI(t, env, args...)
	if code != want {
		t.Fatalf("hearth %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, want, out, errOut)
	}
	return out
}

func decodeJSON[T any](t *testing.T, s string) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, s)
	}
	return v
}

// scriptedNode speaks the agent protocol without running anything: the
// real agent lives in agent/ and is tested with the gateway in e2e/. For
// each lease it reports exit code 0 (1 when the task's args say "fail"),
// "hello from <index>" on stdout and a file in /out.
type scriptedNode struct {
	id identity.Identity
	c  *api.Client
}

func newScriptedNode(t *testing.T, g *gateway.Gateway, name, token string) (*scriptedNode, api.HelloResponse) {
	t.Helper()
	id, err := identity.Generate()
	if err != nil {
		t.Fatal(err)
	}
	c, err := api.NewAgentClient(g.Addr().String(), id, identity.Pin(g.ID()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	resp, err := c.Hello(context.Background(), api.HelloRequest{JoinToken: token,
		Node: api.NodeInfo{Name: name, OS: "linux", Arch: "arm64", Runtimes: []string{"wasm"}, CPUs: 4, Slots: 4, MemoryBytes: 1 << 30}})
	if err != nil {
		t.Fatal(err)
	}
	return &scriptedNode{id: id, c: c}, resp
}

// work takes leases until ctx ends.
func (n *scriptedNode) work(ctx context.Context, t *testing.T) {
	for ctx.Err() == nil {
		leases, err := n.c.Lease(ctx, api.LeaseRequest{Runtimes: []string{"wasm"}, Max: 4, FreeCPU: 4, FreeMemory: 1 << 30,
			Wait: api.Duration(200 * time.Millisecond)})
		if err != nil {
			if ctx.Err() == nil {
				t.Errorf("lease: %v", err)
			}
			return
		}
		for _, l := range leases {
			r, err := n.run(ctx, l)
			if err == nil {
				var acks []api.Ack
				acks, err = n.c.Report(ctx, []api.TaskResult{r})
				if err == nil && acks[0].Status != api.AckAccepted {
					err = fmt.Errorf("ack %+v", acks[0])
				}
			}
			// The test may end as soon as the gateway has the result,
			// before its answer arrives here.
			if err != nil && ctx.Err() == nil {
				t.Errorf("lease %s: %v", l.ID, err)
			}
			if err != nil {
				return
			}
		}
	}
}

func (n *scriptedNode) run(ctx context.Context, l api.Lease) (api.TaskResult, error) {
	out, err := os.MkdirTemp("", "hearth-out-")
	if err != nil {
		return api.TaskResult{}, err
	}
	defer os.RemoveAll(out)
	os.WriteFile(filepath.Join(out, "shard.txt"), []byte(fmt.Sprintf("shard %d of %s\n", l.Index, l.JobID)), 0o644)
	var archive bytes.Buffer
	if err := tarball.Pack(out, &archive, 0); err != nil {
		return api.TaskResult{}, err
	}
	d := digestOf(archive.Bytes())
	if err := n.c.PutBlob(ctx, d, bytes.NewReader(archive.Bytes()), int64(archive.Len())); err != nil {
		return api.TaskResult{}, err
	}
	r := api.TaskResult{LeaseID: l.ID, JobID: l.JobID, Index: l.Index, Attempt: l.Attempt,
		Stdout: []byte(fmt.Sprintf("hello from %d\n", l.Index)), Output: api.BlobRef{Digest: d, Size: int64(archive.Len())},
		WallMilli: 42, FinishedAt: time.Now().UTC()}
	if slices.Contains(l.Args, "fail") && l.Index == 1 {
		r.ExitCode, r.Stderr = 1, []byte("no luck\n")
	}
	r.Digest = api.ResultDigest(&r)
	return r, nil
}

func TestEndToEndPoolAndJobs(t *testing.T) {
	g, env := startGateway(t)

	st := decodeJSON[api.Status](t, mustRun(t, env, 0, "status", "-o", "json"))
	if st.ID != g.ID().String() || st.Version != "test" {
		t.Errorf("status %+v", st)
	}
	if out := mustRun(t, env, 0, "status"); !strings.Contains(out, g.ID().String()) || !strings.Contains(out, env["HEARTH_CREDENTIALS"]) {
		t.Errorf("status:\n%s", out)
	}
	if out := mustRun(t, env, 0, "pool", "ls"); !strings.Contains(out, "No devices") {
		t.Errorf("empty pool:\n%s", out)
	}

	// One node pairs with the join token, one waits for approval.
	_, resp := newScriptedNode(t, g, "plug", g.JoinToken().String())
	if resp.State != api.MemberReady {
		t.Fatalf("joined with token: %s", resp.State)
	}
	pi, resp := newScriptedNode(t, g, "pi", "")
	if resp.State != api.MemberPending {
		t.Fatalf("joined without token: %s", resp.State)
	}
	out := mustRun(t, env, 0, "pool", "ls")
	if row := lineWith(out, "pi"); !strings.HasPrefix(row, pi.id.ID.Short()) || !strings.Contains(row, "pending") {
		t.Errorf("pool ls, pending row %q:\n%s", row, out)
	}
	out = mustRun(t, env, 0, "pool", "approve", pi.id.ID.Short())
	if !strings.Contains(out, "approved "+pi.id.ID.Short()+" (pi)") {
		t.Errorf("approve: %s", out)
	}
	ms := decodeJSON[[]api.Member](t, mustRun(t, env, 0, "pool", "ls", "-o", "json"))
	if len(ms) != 2 || ms[0].State != api.MemberReady || ms[1].State != api.MemberReady {
		t.Errorf("members after approval: %+v", ms)
	}
	_, errOut, code := runCLI(t, env, "pool", "approve", "ZZZZZZZZ")
	if code != exitFail || !strings.Contains(errOut, `no device matches "ZZZZZZZZ"`) {
		t.Errorf("approve unknown: exit %d\n%s", code, errOut)
	}

	// Submit without waiting: nothing runs the tasks yet.
	app := "\x00asm test module"
	path := writeJob(t, "name: shards\nruntime: wasm\napp: app.wasm\ntasks: 3\nargs: [\"{{index}}\"]\ninputs:\n  - {name: seed, path: seed.txt}\n",
		map[string]string{"app.wasm": app, "seed.txt": "hearth"})
	job := decodeJSON[api.Job](t, mustRun(t, env, 0, "job", "submit", path, "-o", "json"))
	if job.ID == "" || job.Spec.AppDigest != digestOf([]byte(app)) || job.Spec.App != "app.wasm" ||
		job.Spec.Inputs[0].Digest != digestOf([]byte("hearth")) || job.Spec.Inputs[0].Path != "" {
		t.Errorf("submitted job %+v", job)
	}
	// The gateway holds what was uploaded.
	var blob bytes.Buffer
	if _, err := pi.c.GetBlob(context.Background(), job.Spec.AppDigest, &blob); err != nil || blob.String() != app {
		t.Errorf("app blob: %q, %v", blob.String(), err)
	}
	jobs := decodeJSON[[]api.Job](t, mustRun(t, env, 0, "job", "ls", "-o", "json"))
	if len(jobs) != 1 || jobs[0].ID != job.ID || jobs[0].Counts.Queued != 3 {
		t.Errorf("job ls: %+v", jobs)
	}
	if out := mustRun(t, env, 0, "job", "ls"); !strings.Contains(lineWith(out, job.ID), "0/3") {
		t.Errorf("job ls:\n%s", out)
	}
	d := decodeJSON[api.JobDetail](t, mustRun(t, env, 0, "job", "get", job.ID, "-o", "json"))
	if d.ID != job.ID || len(d.Tasks) != 3 || d.Tasks[2].State != api.TaskQueued {
		t.Errorf("job get: %+v", d)
	}
	if out := mustRun(t, env, 0, "job", "get", job.ID); !strings.Contains(out, "INDEX") || !strings.Contains(out, "seed "+digestOf([]byte("hearth"))) {
		t.Errorf("job get:\n%s", out)
	}
	_, errOut, code = runCLI(t, env, "job", "get", "nope-9")
	if code != exitFail || !strings.Contains(errOut, "not_found") {
		t.Errorf("job get unknown: exit %d\n%s", code, errOut)
	}
}

func TestEndToEndRunAndResults(t *testing.T) {
	g, env := startGateway(t)
	node, _ := newScriptedNode(t, g, "plug", g.JoinToken().String())
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); node.work(ctx, t) }()
	t.Cleanup(func() { cancel(); wg.Wait() })

	path := writeJob(t, "name: shards\nruntime: wasm\napp: app.wasm\ntasks: 3\n", map[string]string{"app.wasm": "module"})
	out, errOut, code := runCLI(t, env, "job", "submit", path, "--wait")
	if code != exitOK {
		t.Fatalf("submit --wait: exit %d\n%s\n%s", code, out, errOut)
	}
	id := strings.SplitN(out, "\n", 2)[0]
	if !strings.Contains(out, "job "+id+" done: 3 of 3 tasks succeeded, 0 failed") {
		t.Errorf("summary:\n%s", out)
	}
	if !strings.Contains(errOut, "job "+id+" ") || !strings.Contains(errOut, "/3 done") {
		t.Errorf("no progress line on stderr:\n%s", errOut)
	}

	dir := filepath.Join(t.TempDir(), "results")
	out = mustRun(t, env, 0, "job", "results", id, "--out", dir)
	if !strings.Contains(out, "3 tasks, 3 files, all result digests verified") {
		t.Errorf("results:\n%s", out)
	}
	for i := range 3 {
		got, _ := os.ReadFile(filepath.Join(dir, fmt.Sprint(i), "shard.txt"))
		stdout, _ := os.ReadFile(filepath.Join(dir, fmt.Sprint(i), "stdout"))
		if string(got) != fmt.Sprintf("shard %d of %s\n", i, id) || string(stdout) != fmt.Sprintf("hello from %d\n", i) {
			t.Errorf("task %d: shard.txt %q, stdout %q", i, got, stdout)
		}
	}
	get := mustRun(t, env, 0, "job", "get", id)
	if row := strings.Fields(lineWith(get, "hello from 1")); len(row) < 4 || row[0] != "1" || row[1] != "done" || row[3] != node.id.ID.Short() {
		t.Errorf("job get row %q:\n%s", row, get)
	}

	// A failed task fails the wait and is named.
	path = writeJob(t, "name: flaky\nruntime: wasm\napp: app.wasm\ntasks: 2\nargs: [fail]\n", map[string]string{"app.wasm": "module"})
	out, errOut, code = runCLI(t, env, "job", "submit", path, "--wait", "-o", "json")
	if code != exitFail {
		t.Fatalf("failing job: exit %d\n%s\n%s", code, out, errOut)
	}
	d := decodeJSON[api.JobDetail](t, out)
	if d.State != api.JobFailed || d.Tasks[1].Result.ExitCode != 1 || !strings.Contains(errOut, "job "+d.ID+" failed") {
		t.Errorf("failed job: %+v\n%s", d, errOut)
	}
}

func TestEndToEndRefusals(t *testing.T) {
	g, env := startGateway(t)

	// A wrong token: the gateway refuses and the CLI says what to do.
	var creds api.Credentials
	raw, _ := os.ReadFile(env["HEARTH_CREDENTIALS"])
	json.Unmarshal(raw, &creds)
	creds.Token = "wrong"
	bad := filepath.Join(t.TempDir(), "bad.json")
	creds.Save(bad)
	_, errOut, code := runCLI(t, env, "job", "ls", "--credentials", bad)
	if code != exitFail || !strings.Contains(errOut, "unauthorized") || !strings.Contains(errOut, "refused the admin token in "+bad) {
		t.Errorf("wrong token: exit %d\n%s", code, errOut)
	}

	// Nothing listens there: the CLI says so and names the override.
	_, errOut, code = runCLI(t, env, "status", "--gateway", "127.0.0.1:1")
	if code != exitFail || !strings.Contains(errOut, "unreachable") || !strings.Contains(errOut, "Is hearth-gateway running") {
		t.Errorf("unreachable: exit %d\n%s", code, errOut)
	}
	// --gateway points at the right one.
	mustRun(t, env, 0, "status", "--gateway", g.Addr().String())
}
