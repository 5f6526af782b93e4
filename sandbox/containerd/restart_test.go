package containerd

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	containerd "github.com/containerd/containerd/v2/client"
	"github.com/containerd/errdefs"

	"github.com/hearth-home/hearth/sandbox"
)

// restartable is a runtime config that a second runtime reuses, as an
// agent restarted on the same data dir does.
func restartable(t *testing.T) Config {
	return Config{Socket: socket(t), Namespace: namespaceFor(t), StateDir: t.TempDir()}
}

func open(t *testing.T, cfg Config) *Runtime {
	t.Helper()
	rt, err := New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return rt
}

// restartChild is set in the process that plays the agent killed with
// SIGKILL: it holds the runtime's config as JSON.
const restartChild = "HEARTH_CONTAINERD_TEST_RESTART"

// An agent killed with SIGKILL under running tasks leaves them running;
// its successor recovers them: one still running, one that ended
// meanwhile, one that passes its deadline after the restart. Nothing they
// printed is lost.
func TestRecoverAfterRestart(t *testing.T) {
	ctx := context.Background()
	app := hostApp(t)
	// "ended" ends once the file "go" appears in its /in: after the first
	// agent is dead.
	specs := map[string]sandbox.Spec{
		"running":  {ID: "job/0/1", App: app, Args: []string{"spin", "1500ms"}, Limits: sandbox.Limits{Timeout: time.Minute}},
		"ended":    {ID: "job/1/1", App: app, Args: []string{"await", "/in/go", "7"}},
		"deadline": {ID: "job/2/1", App: app, Args: []string{"loop"}, Limits: sandbox.Limits{Timeout: 2 * time.Second}},
	}
	if env := os.Getenv(restartChild); env != "" {
		var cfg struct {
			Config
			In string
		}
		if err := json.Unmarshal([]byte(env), &cfg); err != nil {
			t.Fatal(err)
		}
		s := specs["ended"]
		s.InDir = cfg.In
		specs["ended"] = s
		rt := open(t, cfg.Config)
		for _, s := range specs {
			if _, err := rt.Start(ctx, s); err != nil {
				t.Fatal(err)
			}
		}
		fmt.Println("started")
		select {} // until killed
	}

	cfg := restartable(t)
	t.Cleanup(func() { wipe(t, cfg.Socket, cfg.Namespace) })
	in := t.TempDir()
	raw, _ := json.Marshal(struct {
		Config
		In string
	}{cfg, in})
	child := exec.Command(os.Args[0], "-test.run=^TestRecoverAfterRestart$")
	child.Env = append(os.Environ(), restartChild+"="+string(raw))
	child.Stderr = os.Stderr
	out, err := child.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || line != "started\n" {
		child.Process.Kill()
		child.Wait()
		t.Fatalf("the first agent said %q, %v", line, err)
	}
	child.Process.Signal(syscall.SIGKILL)
	child.Wait()
	if err := os.WriteFile(filepath.Join(in, "go"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	time.Sleep(500 * time.Millisecond) // "ended" ends while no agent runs

	second := open(t, cfg)
	defer second.Close()
	results := map[string]sandbox.Result{}
	for name, s := range specs {
		task, err := second.Recover(ctx, s.ID)
		if err != nil {
			t.Fatalf("Recover(%s): %v", name, err)
		}
		res, err := task.Wait(ctx)
		if err != nil {
			t.Fatalf("Wait(%s): %v", name, err)
		}
		results[name] = res
		if err := task.Delete(ctx); err != nil {
			t.Errorf("Delete(%s): %v", name, err)
		}
	}
	if r := results["running"]; r.Failure != "" || r.ExitCode != 0 || r.Wall < 1500*time.Millisecond {
		t.Errorf("running: %+v", r)
	}
	if r := results["ended"]; r.ExitCode != 7 || string(r.Stdout) != "out\n" || string(r.Stderr) != "err\n" {
		t.Errorf("ended: exit %d, stdout %q, stderr %q", r.ExitCode, r.Stdout, r.Stderr)
	}
	r := results["deadline"]
	if r.Failure != sandbox.FailTimeout {
		t.Errorf("deadline: %+v", r)
	}
	if r.Wall < 2*time.Second || r.Wall > 4*time.Second {
		t.Errorf("the task with a 2s deadline ran for %v", r.Wall)
	}
	// Nothing is left behind.
	if _, err := second.Recover(ctx, "job/0/1"); !errors.Is(err, sandbox.ErrNotFound) {
		t.Errorf("Recover after Delete = %v", err)
	}
	entries, _ := os.ReadDir(cfg.StateDir)
	for _, e := range entries {
		t.Errorf("state dir keeps %s", e.Name())
	}
}

// Delete removes the container and its snapshot, not only the task.
func TestDeleteCleansUp(t *testing.T) {
	rt := newRuntime(t, Config{})
	ctx := rt.nsctx(context.Background())
	task, err := rt.Start(ctx, sandbox.Spec{ID: "clean", App: hostApp(t), Args: []string{"exit", "0"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := task.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := rt.client.SnapshotService(rt.cfg.Snapshotter).Stat(ctx, "clean"); err != nil {
		t.Fatalf("snapshot before Delete: %v", err)
	}
	if err := task.Delete(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := rt.client.LoadContainer(ctx, "clean"); !errdefs.IsNotFound(err) {
		t.Errorf("container after Delete: %v", err)
	}
	if _, err := rt.client.SnapshotService(rt.cfg.Snapshotter).Stat(ctx, "clean"); !errdefs.IsNotFound(err) {
		t.Errorf("snapshot after Delete: %v", err)
	}
	if _, err := os.Stat(filepath.Join(rt.cfg.StateDir, "clean")); !os.IsNotExist(err) {
		t.Errorf("state after Delete: %v", err)
	}
}

// A container created but never started (the agent died in between) is
// removed by Recover, which reports the task lost.
func TestRecoverUnstarted(t *testing.T) {
	cfg := restartable(t)
	t.Cleanup(func() { wipe(t, cfg.Socket, cfg.Namespace) })
	rt := open(t, cfg)
	defer rt.Close()
	ctx := rt.nsctx(context.Background())
	im, err := rt.prepare(ctx, hostApp(t), false)
	if err != nil {
		t.Fatal(err)
	}
	spec := sandbox.Spec{ID: "unstarted"}
	if _, err := rt.client.NewContainer(ctx, "unstarted",
		containerd.WithContainerLabels(map[string]string{labelID: "unstarted"}),
		containerd.WithNewSnapshot("unstarted", im.img),
		containerd.WithNewSpec(rt.specOpts(im, spec, spec.Limits.WithDefaults(), sandbox.Nobody, sandbox.Nobody)...)); err != nil {
		t.Fatal(err)
	}
	if _, err := rt.Recover(ctx, "unstarted"); !errors.Is(err, sandbox.ErrNotFound) {
		t.Fatalf("Recover = %v, want ErrNotFound", err)
	}
	if _, err := rt.client.LoadContainer(ctx, "unstarted"); !errdefs.IsNotFound(err) {
		t.Errorf("container kept: %v", err)
	}
}

// Pause freezes a task (it does not end while paused) and Resume thaws
// it.
func TestPauseResume(t *testing.T) {
	rt := newRuntime(t, Config{})
	ctx := context.Background()
	task, err := rt.Start(ctx, sandbox.Spec{ID: "pausable", App: hostApp(t), Args: []string{"spin", "500ms"}})
	if err != nil {
		t.Fatal(err)
	}
	defer task.Delete(ctx)
	if err := rt.Pause(ctx, "pausable"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Second)
	wctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	if _, err := task.Wait(wctx); err == nil {
		t.Errorf("a paused task ended")
	}
	cancel()
	if err := rt.Resume(ctx, "pausable"); err != nil {
		t.Fatal(err)
	}
	res, err := task.Wait(ctx)
	if err != nil || res.Failure != "" || res.Wall < time.Second {
		t.Errorf("after resuming: %+v, %v", res, err)
	}
}

// Sweep removes containers that no known task claims, running or not, and
// leaves the claimed ones and this runtime's own tasks alone.
func TestSweep(t *testing.T) {
	cfg := restartable(t)
	t.Cleanup(func() { wipe(t, cfg.Socket, cfg.Namespace) })
	ctx := context.Background()
	app := hostApp(t)
	first := open(t, cfg)
	for _, id := range []string{"orphan", "claimed"} {
		if _, err := first.Start(ctx, sandbox.Spec{ID: id, App: app, Args: []string{"sleep"}}); err != nil {
			t.Fatal(err)
		}
	}
	first.Close() // as if the agent died

	second := open(t, cfg)
	defer second.Close()
	own, err := second.Start(ctx, sandbox.Spec{ID: "own", App: app, Args: []string{"sleep"}})
	if err != nil {
		t.Fatal(err)
	}
	defer own.Delete(ctx)
	n, err := second.Sweep(ctx, func(id string) bool { return id == "claimed" })
	if err != nil || n != 1 {
		t.Fatalf("Sweep = %d, %v; want 1 removed", n, err)
	}
	if _, err := second.Recover(ctx, "orphan"); !errors.Is(err, sandbox.ErrNotFound) {
		t.Errorf("the orphan survived: %v", err)
	}
	claimed, err := second.Recover(ctx, "claimed")
	if err != nil {
		t.Fatalf("the claimed task: %v", err)
	}
	claimed.Delete(ctx)
	if _, err := os.Stat(filepath.Join(cfg.StateDir, "orphan")); !os.IsNotExist(err) {
		t.Errorf("the orphan's state stays: %v", err)
	}
}
