// Package e2e holds the multi-process tests: real binaries, each node in its
// own network namespace, discovery over mDNS on a bridge the test made.
package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hearth-home/hearth/e2e/home"
	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/hearthtest/netnstest"
)

var root = func() string { wd, _ := os.Getwd(); return filepath.Dir(wd) }()

// startHome builds a home or skips: these tests need root and `make build`.
// In CI a missing build is a failure, not a skip.
func startHome(t *testing.T, opts home.Options) *home.Home {
	t.Helper()
	netnstest.Require(t)
	opts.Bin = filepath.Join(root, "bin")
	if _, err := os.Stat(filepath.Join(root, "examples/vanity/vanity.wasm")); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("examples not built: `make test` builds them")
		}
		t.Skip("run `make build` first")
	}
	if testing.Verbose() {
		opts.Log = os.Stderr
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	h, err := home.Start(ctx, opts)
	if err != nil {
		if strings.Contains(err.Error(), "make build") && os.Getenv("CI") != "true" {
			t.Skip(err)
		}
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			for _, p := range append([]*home.Proc{h.Gateway}, h.Agents...) {
				t.Logf("--- %s log:\n%s", p.Name, tail(p.Log(), 60))
			}
		}
		h.Close()
	})
	return h
}

func tail(s string, n int) string {
	lines := strings.Split(s, "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

func waitReady(t *testing.T, h *home.Home, n int) []api.Member {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	ms, err := h.WaitReady(ctx, n)
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

// writeJob writes a vanity job spec to a temp file.
func writeJob(t *testing.T, tasks int, args ...string) string {
	t.Helper()
	spec := map[string]any{
		"name": "vanity", "runtime": "wasm", "app": filepath.Join(root, "examples/vanity/vanity.wasm"),
		"tasks": tasks, "args": args, "resources": map[string]any{"memory": "64Mi", "timeout": "60s"},
	}
	raw, _ := json.Marshal(spec)
	p := filepath.Join(t.TempDir(), "job.json")
	os.WriteFile(p, raw, 0o644)
	return p
}

func submit(t *testing.T, h *home.Home, spec string) api.Job {
	t.Helper()
	var j api.Job
	if err := h.CLIJSON(context.Background(), &j, "job", "submit", spec); err != nil {
		t.Fatal(err)
	}
	return j
}

func waitJob(t *testing.T, h *home.Home, id string, within time.Duration) api.JobDetail {
	t.Helper()
	deadline := time.Now().Add(within)
	var d api.JobDetail
	var err error
	for time.Now().Before(deadline) {
		// A gateway that was just restarted may not listen yet.
		if err = h.CLIJSON(context.Background(), &d, "job", "get", id); err == nil && d.State != api.JobRunning {
			return d
		}
		time.Sleep(200 * time.Millisecond)
	}
	var stuck []string
	for _, tk := range d.Tasks {
		if tk.State != api.TaskDone {
			stuck = append(stuck, fmt.Sprintf("task %d %s: certification %+v, replicas %+v", tk.Index, tk.State, tk.Certification, tk.Replicas))
		}
	}
	t.Fatalf("job %s still running after %s: %+v (last error: %v)\n%s", id, within, d.Counts, err, strings.Join(stuck, "\n"))
	return d
}

// TestHomeFormsItselfAndRunsVanity is the story: agents started
// with only the join token find the gateway over mDNS, pair, share a job,
// and the results come back verified.
func TestHomeFormsItselfAndRunsVanity(t *testing.T) {
	h := startHome(t, home.Options{Agents: 3, Prefix: "hta"})
	ms := waitReady(t, h, 3)
	for _, m := range ms {
		if !strings.HasPrefix(m.Node.Name, "agent-") || len(m.Node.Runtimes) == 0 {
			t.Errorf("member %+v", m)
		}
	}
	j := submit(t, h, filepath.Join(root, "examples/vanity/job-small.yaml"))
	d := waitJob(t, h, j.ID, 60*time.Second)
	if d.State != api.JobDone {
		t.Fatalf("job %s: %+v", d.State, d.Tasks)
	}
	nodes := map[string]bool{}
	for _, task := range d.Tasks {
		nodes[task.Node] = true
	}
	if len(nodes) < 2 {
		t.Errorf("all %d tasks ran on one node; the pool should share them", len(d.Tasks))
	}
	out := t.TempDir()
	if _, err := h.CLI(context.Background(), "job", "results", j.ID, "--out", out); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(out, "*", "result.json"))
	if len(files) != len(d.Tasks) {
		t.Fatalf("%d result files for %d tasks", len(files), len(d.Tasks))
	}
	var found []string
	for _, f := range files {
		raw, _ := os.ReadFile(f)
		if strings.Contains(string(raw), `"found":true`) {
			found = append(found, f)
		}
	}
	if len(found) == 0 {
		t.Fatal("no shard found a key")
	}
	verify := exec.Command(filepath.Join(root, "bin/vanity"), append([]string{"verify"}, found...)...)
	if out, err := verify.CombinedOutput(); err != nil {
		t.Fatalf("vanity verify: %v\n%s", err, out)
	}
}

// TestPendingNodeIsApprovedByOwner: without the token an agent waits as
// pending, gets no work, and is paired by `hearth pool approve`.
func TestPendingNodeIsApprovedByOwner(t *testing.T) {
	h := startHome(t, home.Options{Agents: 1, NoToken: true, Prefix: "htp"})
	ctx := context.Background()
	var pending api.Member
	deadline := time.Now().Add(20 * time.Second)
	for pending.ID == "" && time.Now().Before(deadline) {
		ms, _ := h.Members(ctx)
		for _, m := range ms {
			if m.State == api.MemberPending {
				pending = m
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	if pending.ID == "" {
		t.Fatal("the agent never showed up as pending")
	}
	j := submit(t, h, filepath.Join(root, "examples/vanity/job-small.yaml"))
	time.Sleep(2 * time.Second)
	var d api.JobDetail
	h.CLIJSON(ctx, &d, "job", "get", j.ID)
	if d.Counts.Queued != d.Spec.Tasks {
		t.Fatalf("a pending node got work: %+v", d.Counts)
	}
	if _, err := h.CLI(ctx, "pool", "approve", pending.ID[:7]); err != nil {
		t.Fatal(err)
	}
	if d := waitJob(t, h, j.ID, 60*time.Second); d.State != api.JobDone {
		t.Fatalf("after approval the job is %s", d.State)
	}
}

// TestBadTokenGetsNoWork: a node with a wrong token is refused and says so.
func TestBadTokenGetsNoWork(t *testing.T) {
	h := startHome(t, home.Options{Agents: 1, NoToken: true, Prefix: "htb",
		AgentArgs: []string{"--token", "hearth1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.BADSECRETBADSECRET"}})
	time.Sleep(4 * time.Second)
	ms, _ := h.Members(context.Background())
	if len(ms) != 0 {
		t.Fatalf("a node with a bad token is a member: %+v", ms)
	}
	if log := h.Agents[0].Log(); !strings.Contains(strings.ToLower(log), "token") {
		t.Fatalf("the agent's log does not say why it gets no work:\n%s", tail(log, 20))
	}
}

// TestLostAgentsTasksRunElsewhere: an agent killed with SIGKILL while it
// holds leases; its leases expire and the tasks finish on the others.
func TestLostAgentsTasksRunElsewhere(t *testing.T) {
	h := startHome(t, home.Options{Agents: 2, Prefix: "htl", AgentArgs: []string{"--slots", "2"}})
	waitReady(t, h, 2)
	// Slow tasks: no such prefix is found within the tries.
	j := submit(t, h, writeJob(t, 4, "-prefix", "0000000000", "-seed", "slow", "-shard", "{{index}}", "-shards", "4", "-tries", "40000"))
	ctx := context.Background()
	var victim string
	deadline := time.Now().Add(20 * time.Second)
	for victim == "" && time.Now().Before(deadline) {
		var d api.JobDetail
		h.CLIJSON(ctx, &d, "job", "get", j.ID)
		for _, task := range d.Tasks {
			if task.State == api.TaskLeased {
				victim = task.Node
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	ms, _ := h.Members(ctx)
	for _, m := range ms {
		for _, a := range h.Agents {
			if m.ID == victim && a.Name == m.Node.Name {
				t.Logf("killing %s (%s) with SIGKILL", a.Name, victim[:7])
				a.Kill()
			}
		}
	}
	if victim == "" {
		t.Fatal("no task was leased")
	}
	d := waitJob(t, h, j.ID, 90*time.Second)
	if d.State != api.JobDone {
		t.Fatalf("job %s: %+v", d.State, d.Tasks)
	}
	moved := 0
	for _, task := range d.Tasks {
		if task.Node == victim {
			t.Errorf("task %d's result is from the killed node", task.Index)
		}
		if task.Attempt > 1 {
			moved++
		}
	}
	if moved == 0 {
		t.Error("no task needed a second attempt, so the kill tested nothing")
	}
}

// TestGatewayCrashLosesNothing: the gateway is killed with SIGKILL while
// agents work; they keep their results and deliver them when it is back.
// crashGateway kills the gateway with SIGKILL 1.5 s into a job, leaves it
// down for 3 s while the agents' tasks finish, and starts it again.
func crashGateway(t *testing.T, h *home.Home) {
	t.Helper()
	time.Sleep(1500 * time.Millisecond)
	h.Gateway.Kill()
	time.Sleep(3 * time.Second)
	if err := h.Gateway.Start(); err != nil {
		t.Fatal(err)
	}
}

func TestGatewayCrashLosesNothing(t *testing.T) {
	h := startHome(t, home.Options{Agents: 2, Prefix: "htg"})
	waitReady(t, h, 2)
	j := submit(t, h, writeJob(t, 4, "-prefix", "0000000000", "-seed", "crash", "-shard", "{{index}}", "-shards", "4", "-tries", "30000"))
	crashGateway(t, h)
	d := waitJob(t, h, j.ID, 90*time.Second)
	if d.State != api.JobDone || d.Counts.Done != 4 {
		t.Fatalf("job %s: %+v", d.State, d.Counts)
	}
}

// TestCertifiedGatewayCrash: a certified job's replicas report while the
// gateway is killed with SIGKILL and restarted; nothing reported is lost,
// and every task is certified by two agreeing devices.
func TestCertifiedGatewayCrash(t *testing.T) {
	h := startHome(t, home.Options{Agents: 3, Prefix: "htc"})
	waitReady(t, h, 3)
	spec := map[string]any{
		"name": "vanity", "runtime": "wasm", "app": filepath.Join(root, "examples/vanity/vanity.wasm"),
		"tasks": 6, "args": []string{"-prefix", "0000000000", "-seed", "certified", "-shard", "{{index}}", "-shards", "6", "-tries", "20000"},
		"resources": map[string]any{"memory": "64Mi", "timeout": "60s"},
		"certify":   map[string]any{"trust": 0.9, "min_replicas": 2},
	}
	raw, _ := json.Marshal(spec)
	path := filepath.Join(t.TempDir(), "job.json")
	if err := os.WriteFile(path, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	j := submit(t, h, path)
	crashGateway(t, h)
	d := waitJob(t, h, j.ID, 120*time.Second)
	if d.State != api.JobDone || d.Counts.Done != 6 {
		t.Fatalf("job %s: %+v", d.State, d.Counts)
	}
	for _, tk := range d.Tasks {
		agree := map[string]bool{}
		for _, r := range tk.Replicas {
			if r.Vote == "agrees" {
				agree[r.Node] = true
			}
		}
		if tk.Certification == nil || tk.Certification.How != "quorum" || len(agree) < 2 {
			t.Fatalf("task %d: %+v, replicas %+v", tk.Index, tk.Certification, tk.Replicas)
		}
	}
}
