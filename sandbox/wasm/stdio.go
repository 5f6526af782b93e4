package wasm

import (
	"context"
	"errors"
	"io"

	"github.com/tetratelabs/wazero/sys"

	"github.com/hearth-home/hearth/sandbox"
)

// A read or write that wazero hands to an io.Reader or io.Writer cannot be
// interrupted: closing the module when the task's ctx ends (Kill, the
// timeout) takes effect only once the call returns to the guest, so a
// program waiting for input that never comes would hold Kill off forever.
// Spec.Stdin and Spec.Stdout are therefore called from a goroutine of
// their own, which the program's call waits for, or for the task's stop.

// stdin is Spec.Stdin as the program reads it.
type stdin struct {
	t   *task
	r   io.Reader
	buf []byte // reused while no read is abandoned
}

// Read implements io.Reader.
func (s *stdin) Read(p []byte) (int, error) {
	if len(s.buf) < len(p) {
		s.buf = make([]byte, len(p))
	}
	// The read gets a buffer of its own: abandoned, it must not write into
	// the guest's memory later.
	if nb, ok := s.r.(sandbox.NonBlocking); ok && nb.WillNotBlock(len(p)) {
		return s.r.Read(p)
	}
	buf := s.buf[:len(p)]
	var n int
	var err error
	s.t.unblocked(func() { n, err = s.r.Read(buf) }, func() { s.buf = nil })
	copy(p, buf[:n])
	return n, err
}

// stdout is Spec.Stdout as the program writes it.
type stdout struct {
	t   *task
	w   io.Writer
	buf []byte
}

// Write implements io.Writer.
func (s *stdout) Write(p []byte) (int, error) {
	if nb, ok := s.w.(sandbox.NonBlocking); ok && nb.WillNotBlock(len(p)) {
		return s.w.Write(p) // it copies p, as a writer must not keep it
	}
	s.buf = append(s.buf[:0], p...)
	buf := s.buf
	var n int
	var err error
	s.t.unblocked(func() { n, err = s.w.Write(buf) }, func() { s.buf = nil })
	return n, err
}

// unblocked runs call, which may block in the caller's reader or writer,
// in a goroutine and waits for it. If the task is stopped first, it calls
// abandon and ends the program where it stands, the way WASI's proc_exit
// does: wazero turns the panic into the call's *sys.ExitError, with the
// exit code wazero gives a module whose ctx ended, so outcome tells a
// timeout or a kill as it would have without the wait. Returning an error
// to the program instead would let it run on, and perhaps exit on its own
// with a code of its choosing, before wazero's interrupt check stops it.
// The abandoned goroutine ends when the caller's Read or Write returns.
func (t *task) unblocked(call func(), abandon func()) {
	if t.ctx.Err() != nil {
		t.exitStopped()
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		call()
	}()
	select {
	case <-done:
	case <-t.ctx.Done():
		abandon()
		t.exitStopped()
	}
}

// exitStopped ends a stopped task's program from inside a host call.
func (t *task) exitStopped() {
	code := sys.ExitCodeContextCanceled
	if errors.Is(t.ctx.Err(), context.DeadlineExceeded) {
		code = sys.ExitCodeDeadlineExceeded
	}
	panic(sys.NewExitError(code))
}
