package runc

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/hearth-home/hearth/sandbox"
	"github.com/hearth-home/hearth/sandbox/ocitask"
	"github.com/hearth-home/hearth/sandbox/sandboxtest"
)

// need skips a test that cannot run here: it needs root, runc, and a
// static test binary (each task's init). In CI it must run.
func need(t testing.TB) {
	t.Helper()
	skip := func(format string, a ...any) {
		t.Helper()
		if os.Getenv("CI") != "" {
			t.Fatalf(format, a...)
		}
		t.Skipf(format, a...)
	}
	if os.Getuid() != 0 {
		skip("runc tasks need root")
	}
	if _, err := exec.LookPath("runc"); err != nil {
		skip("runc is not installed (apt install runc)")
	}
	if err := ocitask.CheckStatic(os.Args[0]); err != nil {
		skip("%v (make test does)", err)
	}
}

var nsSeq atomic.Int64

// testConfig is a Config of its own: namespace and state dir.
func testConfig(t testing.TB) Config {
	return Config{
		Namespace: "hearth-test-" + strconv.Itoa(os.Getpid()) + "-" + strconv.FormatInt(nsSeq.Add(1), 10),
		StateDir:  t.TempDir(),
	}
}

// open makes a runtime on cfg, closed when the test ends.
func open(t testing.TB, cfg Config) *Runtime {
	t.Helper()
	rt, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rt.Close() })
	return rt
}

// newRuntime makes a runtime of its own; what it leaves is swept when the
// test ends.
func newRuntime(t testing.TB, cfg Config) *Runtime {
	t.Helper()
	need(t)
	base := testConfig(t)
	if cfg.Namespace == "" {
		cfg.Namespace = base.Namespace
	}
	if cfg.StateDir == "" {
		cfg.StateDir = base.StateDir
	}
	rt := open(t, cfg)
	t.Cleanup(func() { rt.Sweep(context.Background(), func(string) bool { return false }) })
	return rt
}

func hostApp(t *testing.T) sandbox.App {
	return sandboxtest.OCITestApp(t, sandboxtest.HostPlatform())
}

func TestSuite(t *testing.T) {
	rt := newRuntime(t, Config{})
	sandboxtest.Run(t, func(t *testing.T) sandbox.Runtime { return rt }, sandboxtest.Apps{
		TestApp: hostApp(t),
		Bad:     sandboxtest.GarbageApp(t),
	})
}

// The hostile-container tests, the same as the containerd runtime's.
func TestContainers(t *testing.T) {
	sandboxtest.RunContainers(t, func(t *testing.T, c sandboxtest.ContainerConfig) sandbox.Runtime {
		return newRuntime(t, Config{PidsLimit: c.PidsLimit, Platforms: c.Platforms})
	}, ErrPlatform)
}

// restartChild names the env var that makes the test binary the agent
// that is killed.
const restartChild = "HEARTH_RUNC_RESTART_CHILD"

// An agent killed with SIGKILL under running tasks leaves them running;
// its successor recovers them: one still running, one that ended
// meanwhile, one that passes its deadline after the restart. Nothing they
// printed is lost.
func TestRecoverAfterRestart(t *testing.T) {
	ctx := context.Background()
	app := hostApp(t)
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

	need(t)
	cfg := testConfig(t)
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
	t.Cleanup(func() { second.Sweep(ctx, func(string) bool { return false }) })
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
	if _, err := second.Recover(ctx, "job/0/1"); !errors.Is(err, sandbox.ErrNotFound) {
		t.Errorf("Recover after Delete = %v", err)
	}
	entries, _ := os.ReadDir(second.tasksDir())
	for _, e := range entries {
		t.Errorf("state dir keeps %s", e.Name())
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

// SetCPU holds a spinning container to its share of a core, and lifting
// the cap gives the whole core back; the task ends normally.
func TestSetCPU(t *testing.T) {
	rt := newRuntime(t, Config{})
	ctx := context.Background()
	for _, c := range []struct {
		name   string
		cores  float64
		lo, hi float64
	}{
		{"quarter", 0.25, 0.12, 0.35},
		{"lifted", 5, 0.4, 1.05},
	} {
		task, err := rt.Start(ctx, sandbox.Spec{ID: "setcpu-" + c.name, App: hostApp(t),
			Args: []string{"spin", "1500ms"}, Limits: sandbox.Limits{CPU: 1}})
		if err != nil {
			t.Fatal(err)
		}
		if err := rt.SetCPU(ctx, task.ID(), c.cores); err != nil {
			t.Fatal(err)
		}
		if _, ok := rt.CPUUsage(task.ID()); !ok {
			t.Errorf("%s: no CPU usage from the cgroup", c.name)
		}
		wctx, cancel := context.WithTimeout(ctx, time.Minute)
		res, err := task.Wait(wctx)
		cancel()
		if err != nil || res.Failure != "" {
			t.Fatalf("%s: %+v, %v", c.name, res, err)
		}
		share := res.CPU.Seconds() / res.Wall.Seconds()
		t.Logf("%s: cpu %v wall %v: %.2f of a core", c.name, res.CPU, res.Wall, share)
		if share < c.lo || share > c.hi {
			t.Errorf("%s: the container used %.2f of a core, want %.2f-%.2f", c.name, share, c.lo, c.hi)
		}
		task.Delete(ctx)
	}
}

// Sweep removes containers that no known task claims and leaves the
// claimed ones and this runtime's own tasks alone.
func TestSweep(t *testing.T) {
	need(t)
	cfg := testConfig(t)
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
	t.Cleanup(func() { second.Sweep(ctx, func(string) bool { return false }) })
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
}

// Unpacked images are kept across restarts, and a new runtime finds them
// without unpacking again.
func TestImagesKept(t *testing.T) {
	need(t)
	cfg := testConfig(t)
	app := hostApp(t)
	first := open(t, cfg)
	if err := first.Prepare(context.Background(), app); err != nil {
		t.Fatal(err)
	}
	first.Close()
	second := open(t, cfg)
	second.mu.Lock()
	im := second.images[app.Digest]
	second.mu.Unlock()
	if im == nil || im.bytes == 0 || len(im.config.Entrypoint) == 0 {
		t.Fatalf("the unpacked image was not found again: %+v", im)
	}
}
