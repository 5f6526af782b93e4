package sandboxtest

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"syscall"
	"testing"
	"time"

	"github.com/hearth-home/hearth/sandbox"
)

// Reopenable is a container runtime that the restart tests open more than
// once on the same state, as an agent restarted on its data dir does.
type Reopenable struct {
	// Config is a new configuration for runtimes of their own, encoded as
	// a string (it crosses to a child process in an environment
	// variable); what its runtimes leave is removed when t ends.
	Config func(t *testing.T) string
	// Open opens a runtime on a configuration; it is closed when t ends.
	Open func(t *testing.T, cfg string) sandbox.Runtime
}

// childEnv is set in the process that plays the agent killed with
// SIGKILL: it holds the runtime's configuration.
const childEnv = "HEARTH_SANDBOXTEST_RESTART_CHILD"

// RunControl checks what a container runtime does besides the Runtime
// contract: tasks that survive their agent's death, Pause and Resume,
// SetCPU, CPUUsage and Sweep. It must be called from a test of its own
// (not a parallel one): the restart test runs that test again in a child
// process.
func RunControl(t *testing.T, r Reopenable) {
	if cfg := os.Getenv(childEnv); cfg != "" {
		restartChild(t, r, cfg)
		return
	}
	t.Run("RecoverAfterRestart", func(t *testing.T) { testRecoverAfterRestart(t, r) })
	t.Run("PauseResume", func(t *testing.T) { testPauseResume(t, r) })
	t.Run("SetCPU", func(t *testing.T) { testSetCPU(t, r) })
	t.Run("Sweep", func(t *testing.T) { testSweep(t, r) })
}

// restartSpecs are the tasks of the restart test: "ended" ends once the
// file "go" appears in its /in, after the first agent is dead; "endless",
// without a deadline, once "stop" appears, after the second agent has
// recovered it.
func restartSpecs(app sandbox.App, in string) map[string]sandbox.Spec {
	return map[string]sandbox.Spec{
		"running":  {ID: "job/0/1", App: app, Args: []string{"spin", "1500ms"}, Limits: sandbox.Limits{Timeout: time.Minute}},
		"ended":    {ID: "job/1/1", App: app, Args: []string{"await", "/in/go", "7"}, InDir: in},
		"deadline": {ID: "job/2/1", App: app, Args: []string{"loop"}, Limits: sandbox.Limits{Timeout: 2 * time.Second}},
		"endless":  {ID: "job/3/1", App: app, Args: []string{"await", "/in/stop", "0"}, InDir: in, Limits: sandbox.Limits{Timeout: sandbox.NoTimeout}},
	}
}

// restartChild is the first agent: it starts the tasks, says so, and
// waits to be killed.
func restartChild(t *testing.T, r Reopenable, env string) {
	in, cfg, _ := cutEnv(env)
	rt := r.Open(t, cfg)
	specs := restartSpecs(OCITestApp(t, HostPlatform()), in)
	// The timed tasks last: one that ended while this agent still ran
	// would be collected by it, and its successor would find nothing.
	for _, name := range []string{"ended", "endless", "deadline", "running"} {
		if _, err := rt.Start(context.Background(), specs[name]); err != nil {
			t.Fatal(err)
		}
	}
	fmt.Println("started")
	select {} // until killed
}

func cutEnv(env string) (in, cfg string, ok bool) {
	for i := range len(env) {
		if env[i] == '\n' {
			return env[:i], env[i+1:], true
		}
	}
	return "", env, false
}

// An agent killed with SIGKILL under running tasks leaves them running;
// its successor recovers them: one still running, one that ended
// meanwhile, one that passes its deadline after the restart, one without
// a deadline that keeps running. Nothing they printed is lost.
func testRecoverAfterRestart(t *testing.T, r Reopenable) {
	ctx := context.Background()
	app := OCITestApp(t, HostPlatform())
	cfg := r.Config(t)
	in := t.TempDir()
	// "endless" has no deadline: a test that fails before it lets it go
	// must not leave it running.
	t.Cleanup(func() { os.WriteFile(filepath.Join(in, "stop"), nil, 0o644) })
	parent := regexp.QuoteMeta(t.Name()[:len(t.Name())-len("/RecoverAfterRestart")])
	child := exec.Command(os.Args[0], "-test.run=^"+parent+"$")
	child.Env = append(os.Environ(), childEnv+"="+in+"\n"+cfg)
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

	second := r.Open(t, cfg)
	results := map[string]sandbox.Result{}
	for name, s := range restartSpecs(app, in) {
		task, err := second.Recover(ctx, s.ID)
		if err != nil {
			t.Fatalf("Recover(%s): %v", name, err)
		}
		if name == "endless" {
			wctx, cancel := context.WithTimeout(ctx, 500*time.Millisecond)
			if res, err := task.Wait(wctx); err == nil {
				t.Errorf("endless: ended after its recovery: %+v", res)
			}
			cancel()
			if err := os.WriteFile(filepath.Join(in, "stop"), nil, 0o644); err != nil {
				t.Fatal(err)
			}
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
	if r := results["endless"]; r.Failure != "" || r.ExitCode != 0 {
		t.Errorf("endless: %+v", r)
	}
	if r := results["ended"]; r.ExitCode != 7 || string(r.Stdout) != "out\n" || string(r.Stderr) != "err\n" {
		t.Errorf("ended: exit %d, stdout %q, stderr %q", r.ExitCode, r.Stdout, r.Stderr)
	}
	res := results["deadline"]
	if res.Failure != sandbox.FailTimeout {
		t.Errorf("deadline: %+v", res)
	}
	if res.Wall < 2*time.Second || res.Wall > 4*time.Second {
		t.Errorf("the task with a 2s deadline ran for %v", res.Wall)
	}
	if _, err := second.Recover(ctx, "job/0/1"); !errors.Is(err, sandbox.ErrNotFound) {
		t.Errorf("Recover after Delete = %v", err)
	}
}

// Pause freezes a task (it does not end while paused) and Resume thaws
// it.
func testPauseResume(t *testing.T, r Reopenable) {
	rt := r.Open(t, r.Config(t))
	p, ok := rt.(sandbox.Pauser)
	if !ok {
		t.Fatal("the runtime cannot pause")
	}
	ctx := context.Background()
	task, err := rt.Start(ctx, sandbox.Spec{ID: "pausable", App: OCITestApp(t, HostPlatform()), Args: []string{"spin", "500ms"}})
	if err != nil {
		t.Fatal(err)
	}
	defer task.Delete(ctx)
	if err := p.Pause(ctx, "pausable"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Second)
	wctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	if _, err := task.Wait(wctx); err == nil {
		t.Errorf("a paused task ended")
	}
	cancel()
	if err := p.Resume(ctx, "pausable"); err != nil {
		t.Fatal(err)
	}
	res, err := task.Wait(ctx)
	if err != nil || res.Failure != "" || res.Wall < time.Second {
		t.Errorf("after resuming: %+v, %v", res, err)
	}
}

// SetCPU holds a spinning container to its share of a core, and lifting
// the cap gives the whole core back; the task ends normally, and its CPU
// use can be read while it runs.
func testSetCPU(t *testing.T, r Reopenable) {
	rt := r.Open(t, r.Config(t))
	th, ok := rt.(sandbox.Throttler)
	meter, metered := rt.(sandbox.CPUMeter)
	if !ok || !metered {
		t.Fatal("the runtime cannot throttle or meter")
	}
	ctx := context.Background()
	for _, c := range []struct {
		name   string
		cores  float64
		lo, hi float64
	}{
		{"quarter", 0.25, 0.12, 0.35},
		{"lifted", 5, 0.4, 1.05}, // what the machine has free, well above the cap
	} {
		task, err := rt.Start(ctx, sandbox.Spec{ID: "setcpu-" + c.name, App: OCITestApp(t, HostPlatform()),
			Args: []string{"spin", "1500ms"}, Limits: sandbox.Limits{CPU: 1}})
		if err != nil {
			t.Fatal(err)
		}
		if err := th.SetCPU(ctx, task.ID(), c.cores); err != nil {
			t.Fatal(err)
		}
		if _, ok := meter.CPUUsage(task.ID()); !ok {
			t.Errorf("%s: no CPU usage while it runs", c.name)
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

// Sweep removes containers that no known task claims, running or not, and
// leaves the claimed ones and this runtime's own tasks alone.
func testSweep(t *testing.T, r Reopenable) {
	cfg := r.Config(t)
	ctx := context.Background()
	app := OCITestApp(t, HostPlatform())
	first := r.Open(t, cfg)
	for _, id := range []string{"orphan", "claimed"} {
		if _, err := first.Start(ctx, sandbox.Spec{ID: id, App: app, Args: []string{"sleep"}}); err != nil {
			t.Fatal(err)
		}
	}
	if c, ok := first.(io.Closer); ok {
		c.Close() // as if the agent died
	}
	second := r.Open(t, cfg)
	sw, ok := second.(sandbox.Sweeper)
	if !ok {
		t.Fatal("the runtime cannot sweep")
	}
	own, err := second.Start(ctx, sandbox.Spec{ID: "own", App: app, Args: []string{"sleep"}})
	if err != nil {
		t.Fatal(err)
	}
	defer own.Delete(ctx)
	n, err := sw.Sweep(ctx, func(id string) bool { return id == "claimed" })
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
