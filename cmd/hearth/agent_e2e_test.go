package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/hearth-home/hearth/agent"
	"github.com/hearth-home/hearth/gateway"
	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/sandbox"
	"github.com/hearth-home/hearth/sandbox/wasm"
)

// buildVanity compiles the vanity example to WebAssembly next to a copy of
// its small job spec, and returns the spec's path.
func buildVanity(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds examples/vanity for wasip1")
	}
	dir := t.TempDir()
	cmd := exec.Command("go", "build", "-trimpath", "-o", filepath.Join(dir, "vanity.wasm"), "../../examples/vanity")
	cmd.Env = append(os.Environ(), "GOOS=wasip1", "GOARCH=wasm")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build vanity.wasm: %v\n%s", err, out)
	}
	spec, err := os.ReadFile("../../examples/vanity/job-small.yaml")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "job-small.yaml")
	if err := os.WriteFile(path, spec, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// startAgent runs a real agent with the wasm runtime, paired by join token;
// opts change its configuration.
func startAgent(t *testing.T, g *gateway.Gateway, opts ...func(*agent.Config)) {
	t.Helper()
	rt, err := wasm.New(wasm.Config{})
	if err != nil {
		t.Fatal(err)
	}
	cfg := agent.Config{
		DataDir:   t.TempDir(),
		Name:      "test-agent",
		Gateway:   g.Addr().String(),
		JoinToken: g.JoinToken().String(),
		Runtimes:  []sandbox.Runtime{rt},
		Slots:     max(2, runtime.NumCPU()),
	}
	for _, o := range opts {
		o(&cfg)
	}
	a, err := agent.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil && ctx.Err() == nil {
			t.Errorf("agent: %v", err)
		}
	})
}

// TestEndToEndWithAgent runs the small vanity job the way a person does:
// submit and wait, then fetch the verified results.
func TestEndToEndWithAgent(t *testing.T) {
	spec := buildVanity(t)
	g, env := startGateway(t)
	startAgent(t, g)

	out, errOut, code := runCLI(t, env, "job", "submit", spec, "--wait")
	if code != exitOK {
		t.Fatalf("submit --wait: exit %d\n%s\n%s", code, out, errOut)
	}
	id := strings.SplitN(out, "\n", 2)[0]
	if !strings.Contains(out, "job "+id+" done: 3 of 3 tasks succeeded, 0 failed") {
		t.Errorf("summary:\n%s", out)
	}

	dir := filepath.Join(t.TempDir(), "results")
	out = mustRun(t, env, 0, "job", "results", id, "--out", dir)
	if !strings.Contains(out, "3 tasks") || !strings.Contains(out, "all result digests verified") {
		t.Errorf("results:\n%s", out)
	}
	// From examples/vanity/job-small.yaml: shards 0 and 2 find a key.
	for shard, found := range map[string]bool{"0": true, "1": false, "2": true} {
		stdout, err := os.ReadFile(filepath.Join(dir, shard, "stdout"))
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Contains(string(stdout), `"found":true`); got != found {
			t.Errorf("shard %s: found=%v, want %v; stdout %s", shard, got, found, stdout)
		}
		if _, err := os.Stat(filepath.Join(dir, shard, "result.json")); err != nil {
			t.Errorf("shard %s: /out/result.json not fetched: %v", shard, err)
		}
	}
	if get := mustRun(t, env, 0, "pool", "ls"); !strings.Contains(get, "test-agent") {
		t.Errorf("pool ls:\n%s", get)
	}
}

// TestEndToEndCertified runs a certified job on two real agents: a program
// that prints the clock and random bytes agrees byte for byte on both
// (certified tasks run with fixed clocks), so each task is certified by
// the quorum of the two devices.
func TestEndToEndCertified(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the sandbox test app for wasip1")
	}
	dir := t.TempDir()
	cmd := exec.Command("go", "build", "-trimpath", "-o", filepath.Join(dir, "clock.wasm"), "../../sandbox/sandboxtest/testapp")
	cmd.Env = append(os.Environ(), "GOOS=wasip1", "GOARCH=wasm")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build testapp: %v\n%s", err, out)
	}
	spec := filepath.Join(dir, "clock.yaml")
	if err := os.WriteFile(spec, []byte(`name: clock
runtime: wasm
app: clock.wasm
tasks: 3
args: ["clock"]
certify:
  trust: 0.9
  min_replicas: 2
`), 0o644); err != nil {
		t.Fatal(err)
	}
	g, env := startGateway(t)
	startAgent(t, g, func(c *agent.Config) { c.Name = "kitchen" })
	startAgent(t, g, func(c *agent.Config) { c.Name = "attic" })

	out, errOut, code := runCLI(t, env, "job", "submit", spec, "--wait")
	if code != exitOK {
		t.Fatalf("submit --wait: exit %d\n%s\n%s", code, out, errOut)
	}
	id := strings.SplitN(out, "\n", 2)[0]
	d := decodeJSON[api.JobDetail](t, mustRun(t, env, 0, "job", "get", id, "-o", "json"))
	if d.State != api.JobDone || d.Counts.Done != 3 {
		t.Fatalf("job %s %+v", d.State, d.Counts)
	}
	for _, tk := range d.Tasks {
		c := tk.Certification
		if c == nil || c.How != "quorum" || len(tk.Replicas) != 2 || tk.Replicas[0].Node == tk.Replicas[1].Node ||
			tk.Replicas[0].Vote != "agrees" || tk.Replicas[1].Vote != "agrees" {
			t.Fatalf("task %d: %+v %+v", tk.Index, c, tk.Replicas)
		}
		if !strings.HasPrefix(string(tk.Result.Stdout), "time 1640995200") {
			t.Errorf("task %d ran with the host's clock: %q", tk.Index, tk.Result.Stdout)
		}
	}
	if get := mustRun(t, env, 0, "job", "get", id); !strings.Contains(get, "quorum") || !strings.Contains(get, "agrees") {
		t.Errorf("job get:\n%s", get)
	}
}
