package sandboxtest

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/hearth-home/hearth/sandbox"
)

// errStuck ends a pipe the test gave up on, so that a broken runtime fails
// the test instead of hanging it.
var errStuck = errors.New("sandboxtest: no answer in time")

// startStdio starts a task with Spec.Stdin or Spec.Stdout set, skipping
// the test where the runtime refuses them as it may: with an error
// wrapping sandbox.ErrUnsupported.
func (h *harness) startStdio(spec sandbox.Spec) sandbox.Task {
	h.t.Helper()
	h.prepare()
	task, err := h.rt.Start(h.ctx(), spec)
	if errors.Is(err, sandbox.ErrUnsupported) {
		h.t.Skipf("%s runtime: %v", h.rt.Name(), err)
	}
	if err != nil {
		h.t.Fatalf("Start(%s): %v", spec.ID, err)
	}
	h.t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		task.Kill(ctx)
		task.Delete(ctx)
	})
	return task
}

// The program reads its input as it is written, and its output arrives as
// it is written: the caller can drive it in lockstep, one line and its
// answer at a time, as the agent drives a stream's map function. Result's
// Stdout stays empty.
func testStdio(h *harness) {
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	watchdog := time.AfterFunc(30*time.Second, func() {
		inR.CloseWithError(errStuck)
		outR.CloseWithError(errStuck)
	})
	defer watchdog.Stop()
	spec := h.spec("lines")
	spec.Stdin, spec.Stdout = inR, outW
	task := h.startStdio(spec)
	out := bufio.NewReader(outR)
	for i := range 3 {
		if _, err := fmt.Fprintf(inW, "message %d\n", i); err != nil {
			h.t.Fatalf("writing message %d: %v", i, err)
		}
		for _, want := range []string{fmt.Sprintf("got message %d\n", i), "\n"} {
			got, err := out.ReadString('\n')
			if err != nil || got != want {
				h.t.Fatalf("answer to message %d: %q, %v; want %q", i, got, err, want)
			}
		}
	}
	inW.Close()
	res := h.wait(task)
	h.exited(res, 0)
	if len(res.Stdout) != 0 || res.StdoutTruncated {
		h.t.Errorf("Result.Stdout = %q with Spec.Stdout set", res.Stdout)
	}
}

// Kill ends a task whose program waits for input that never comes.
func testKillWhileReading(h *harness) {
	inR, inW := io.Pipe()
	defer inW.Close()
	spec := h.spec("lines")
	spec.Stdin = inR
	task := h.startStdio(spec)
	time.Sleep(200 * time.Millisecond) // let it get to its read
	if err := task.Kill(h.ctx()); err != nil {
		h.t.Fatalf("Kill: %v", err)
	}
	killed := time.Now()
	res := h.wait(task)
	if took := time.Since(killed); took > slack {
		h.t.Errorf("the task ended %v after Kill", took)
	}
	h.stopped(res, sandbox.FailKilled)
}

// A negative Timeout is none: the task runs to its end, or until killed.
func testNoTimeout(h *harness) {
	spec := h.spec("exit", "0", "300ms")
	spec.Limits.Timeout = sandbox.NoTimeout
	h.exited(h.run(spec), 0)

	spec = h.spec("sleep")
	spec.Limits.Timeout = sandbox.NoTimeout
	task := h.start(spec)
	time.Sleep(200 * time.Millisecond)
	if err := task.Kill(h.ctx()); err != nil {
		h.t.Fatalf("Kill: %v", err)
	}
	h.stopped(h.wait(task), sandbox.FailKilled)
}
