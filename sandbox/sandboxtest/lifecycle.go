package sandboxtest

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"sync"
	"time"

	"github.com/hearth-home/hearth/sandbox"
)

func testBadApp(h *harness) {
	err := h.rt.Prepare(h.ctx(), h.apps.Bad)
	if !errors.Is(err, sandbox.ErrBadApp) {
		h.t.Fatalf("Prepare(bad app) = %v, want an error wrapping ErrBadApp", err)
	}
}

// Prepare may be called again, and at once from many goroutines.
func testPrepareIdempotent(h *harness) {
	for range 2 {
		if err := h.rt.Prepare(h.ctx(), h.apps.TestApp); err != nil {
			h.t.Fatalf("Prepare: %v", err)
		}
	}
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		wg.Go(func() { errs <- h.rt.Prepare(h.ctx(), h.apps.TestApp) })
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			h.t.Fatalf("concurrent Prepare: %v", err)
		}
	}
	h.exited(h.run(h.spec("exit", "0")), 0)
}

// Tasks running at once see only their own args, files and streams.
func testConcurrent(h *harness) {
	const n = 8
	type run struct {
		spec sandbox.Spec
		task sandbox.Task
		in   map[string]string
	}
	runs := make([]run, n)
	for i := range runs {
		r := &runs[i]
		r.in = map[string]string{fmt.Sprintf("token-%d", i): fmt.Sprintf("content %d\n", i)}
		r.spec = h.spec("copy")
		r.spec.InDir = h.writeTree(r.in)
		r.spec.OutDir = h.t.TempDir()
	}
	h.prepare()
	var wg sync.WaitGroup
	for i := range runs {
		wg.Go(func() {
			r := &runs[i]
			task, err := h.rt.Start(h.ctx(), r.spec)
			if err != nil {
				h.t.Errorf("Start %d: %v", i, err)
				return
			}
			r.task = task
		})
	}
	wg.Wait()
	for i, r := range runs {
		if r.task == nil {
			continue
		}
		res := h.wait(r.task)
		h.exited(res, 0)
		if want := fmt.Sprintf("copied token-%d\n", i); string(res.Stdout) != want {
			h.t.Errorf("task %d: stdout %q, want %q", i, res.Stdout, want)
		}
		if got := h.readTree(r.spec.OutDir); !maps.Equal(got, r.in) {
			h.t.Errorf("task %d: out dir holds %q, want %q", i, got, r.in)
		}
		if err := r.task.Delete(h.ctx()); err != nil {
			h.t.Errorf("Delete %d: %v", i, err)
		}
	}
}

// An ID is taken from Start until Delete.
func testDuplicateID(h *harness) {
	spec := h.spec("sleep")
	task := h.start(spec)
	again := h.spec("exit", "0")
	again.ID = spec.ID
	if dup, err := h.rt.Start(h.ctx(), again); !errors.Is(err, sandbox.ErrExists) {
		if dup != nil {
			dup.Kill(h.ctx())
		}
		h.t.Fatalf("Start with a live ID = %v, want ErrExists", err)
	}
	if err := task.Kill(h.ctx()); err != nil {
		h.t.Fatal(err)
	}
	h.stopped(h.wait(task), sandbox.FailKilled)
	if err := task.Delete(h.ctx()); err != nil {
		h.t.Fatalf("Delete: %v", err)
	}
	h.exited(h.run(again), 0)
}

func testWaitTwice(h *harness) {
	task := h.start(h.spec("exit", "3"))
	first := h.wait(task)
	second := h.wait(task)
	h.exited(first, 3)
	h.exited(second, 3)
	if string(first.Stdout) != string(second.Stdout) || first.Wall != second.Wall {
		h.t.Errorf("Wait results differ: %+v, %+v", first, second)
	}
}

// Wait gives up when its ctx ends, and the task runs on.
func testWaitContext(h *harness) {
	task := h.start(h.spec("sleep"))
	ctx, cancel := context.WithTimeout(h.ctx(), 100*time.Millisecond)
	defer cancel()
	if res, err := task.Wait(ctx); err == nil {
		h.t.Fatalf("Wait with an ended ctx returned %+v", res)
	}
	if err := task.Kill(h.ctx()); err != nil {
		h.t.Fatal(err)
	}
	h.stopped(h.wait(task), sandbox.FailKilled)
}

func testRecoverUnknown(h *harness) {
	if _, err := h.rt.Recover(h.ctx(), "sandboxtest-no-such-task"); !errors.Is(err, sandbox.ErrNotFound) {
		h.t.Fatalf("Recover(unknown) = %v, want ErrNotFound", err)
	}
}

// Delete releases the task but leaves the caller's directories alone.
func testDelete(h *harness) {
	in := map[string]string{"kept": "kept\n"}
	spec := h.spec("copy")
	spec.InDir = h.writeTree(in)
	spec.OutDir = h.t.TempDir()
	task := h.start(spec)
	h.exited(h.wait(task), 0)
	if err := task.Delete(h.ctx()); err != nil {
		h.t.Fatalf("Delete: %v", err)
	}
	if _, err := h.rt.Recover(h.ctx(), spec.ID); !errors.Is(err, sandbox.ErrNotFound) {
		h.t.Errorf("Recover after Delete = %v, want ErrNotFound", err)
	}
	for _, dir := range []string{spec.InDir, spec.OutDir} {
		if got := h.readTree(dir); !maps.Equal(got, in) {
			h.t.Errorf("after Delete %s holds %q, want %q", dir, got, in)
		}
	}
}
