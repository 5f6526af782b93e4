package sandboxtest

import (
	"context"
	"fmt"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hearth-home/hearth/sandbox"
)

// hostOnlyEnv is set in the test process and must never reach a task.
const hostOnlyEnv = "HEARTH_SANDBOXTEST_HOST_ONLY"

// slack is how late a stopped task may end: a task past its timeout, or
// killed, must have ended within this much.
const slack = time.Second

// Run checks the runtime that factory makes against the Runtime contract.
// factory is called once per subtest (subtests run in parallel) and
// releases what it made with t.Cleanup. Run sets an environment variable
// that tasks must not see, so it cannot be called from a parallel test.
func Run(t *testing.T, factory func(t *testing.T) sandbox.Runtime, apps Apps) {
	t.Setenv(hostOnlyEnv, "leaked")
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			c.run(&harness{t: t, rt: factory(t), apps: apps})
		})
	}
}

var cases = []struct {
	name string
	run  func(h *harness)
}{
	{"Name", testName},
	{"ArgsAndEnv", testArgsAndEnv},
	{"EmptyEnv", testEmptyEnv},
	{"ExitCode", testExitCode},
	{"Files", testFiles},
	{"Sealed", testSealed},
	{"OutputTruncated", testOutputTruncated},
	{"Timeout", testTimeout},
	{"TimeoutWhileSleeping", testTimeoutWhileSleeping},
	{"Kill", testKill},
	{"KillWhileSleeping", testKillWhileSleeping},
	{"KillFinished", testKillFinished},
	{"Memory", testMemory},
	{"Trap", testTrap},
	{"BadApp", testBadApp},
	{"PrepareIdempotent", testPrepareIdempotent},
	{"Concurrent", testConcurrent},
	{"DuplicateID", testDuplicateID},
	{"WaitTwice", testWaitTwice},
	{"WaitContext", testWaitContext},
	{"RecoverUnknown", testRecoverUnknown},
	{"Delete", testDelete},
	{"WallAndCPU", testWallAndCPU},
	{"NoTimeout", testNoTimeout},
	{"Stdio", testStdio},
	{"KillWhileReading", testKillWhileReading},
	{"Deterministic", testDeterministic},
}

// harness is one subtest's view of the runtime.
type harness struct {
	t    *testing.T
	rt   sandbox.Runtime
	apps Apps
}

var taskSeq atomic.Int64

// spec is a task of the test app in the given mode, bounded so that a
// broken runtime fails the test instead of hanging it.
func (h *harness) spec(args ...string) sandbox.Spec {
	return sandbox.Spec{
		ID:     fmt.Sprintf("sandboxtest-%d-%d", os.Getpid(), taskSeq.Add(1)),
		App:    h.apps.TestApp,
		Args:   args,
		Limits: sandbox.Limits{Timeout: 30 * time.Second},
	}
}

func (h *harness) ctx() context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	h.t.Cleanup(cancel)
	return ctx
}

// prepare prepares the test app, so that timing Start or a run does not
// time a compilation too.
func (h *harness) prepare() {
	h.t.Helper()
	if err := h.rt.Prepare(h.ctx(), h.apps.TestApp); err != nil {
		h.t.Fatalf("Prepare: %v", err)
	}
}

// start prepares the app and starts the task, deleting it when the test
// ends.
func (h *harness) start(spec sandbox.Spec) sandbox.Task {
	h.t.Helper()
	if err := h.rt.Prepare(h.ctx(), spec.App); err != nil {
		h.t.Fatalf("Prepare: %v", err)
	}
	task, err := h.rt.Start(h.ctx(), spec)
	if err != nil {
		h.t.Fatalf("Start(%s): %v", spec.ID, err)
	}
	if task.ID() != spec.ID {
		h.t.Errorf("ID() = %q, want %q", task.ID(), spec.ID)
	}
	h.t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		task.Kill(ctx)
		task.Delete(ctx)
	})
	return task
}

func (h *harness) wait(task sandbox.Task) sandbox.Result {
	h.t.Helper()
	res, err := task.Wait(h.ctx())
	if err != nil {
		h.t.Fatalf("Wait(%s): %v", task.ID(), err)
	}
	return res
}

// run starts the task and waits for its result.
func (h *harness) run(spec sandbox.Spec) sandbox.Result {
	h.t.Helper()
	return h.wait(h.start(spec))
}

// exited checks that the program ran to its end with the given code.
func (h *harness) exited(res sandbox.Result, code int) {
	h.t.Helper()
	if res.Failure != "" || res.ExitCode != code {
		h.t.Fatalf("got exit %d, failure %q (%s), want exit %d\nstdout: %s\nstderr: %s",
			res.ExitCode, res.Failure, res.Reason, code, res.Stdout, res.Stderr)
	}
}

// failed checks that the task ended with the given failure and a reason.
func (h *harness) failed(res sandbox.Result, f sandbox.Failure) {
	h.t.Helper()
	if res.Failure != f {
		h.t.Fatalf("got failure %q (%s), exit %d, want %q\nstdout: %.2000s\nstderr: %.2000s",
			res.Failure, res.Reason, res.ExitCode, f, res.Stdout, res.Stderr)
	}
	if res.Reason == "" {
		h.t.Errorf("failure %q without a reason", f)
	}
}
