package agent

import (
	"io"
	"sync"
)

// pipe is a stream instance's stdin or stdout: an in-memory pipe with a
// buffer, unlike io.Pipe, so that neither side waits for the other on each
// line. The feeder writes a whole batch and goes on to read answers; the
// instance reads the batch and writes its answers, each Write done at once
// while the buffer has room. Its ends are sandbox.NonBlocking: the wasm runtime
// then calls it directly, without a goroutine per call. Bounded by
// pipeBuffer: a writer waits while the buffer is full (a write larger than
// the buffer goes once the buffer is empty).
type pipe struct {
	mu   sync.Mutex
	cond sync.Cond
	buf  []byte
	// wclosed: the writer has closed (reads drain the buffer, then EOF);
	// rerr: the reader has closed (writes and reads fail with it).
	wclosed bool
	rerr    error
}

// pipeBuffer is what a pipe holds before a writer waits.
const pipeBuffer = 1 << 20

func newPipe() *pipe {
	p := &pipe{}
	p.cond.L = &p.mu
	return p
}

// Read reads what is buffered, waiting for some when there is none.
func (p *pipe) Read(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for len(p.buf) == 0 && !p.wclosed && p.rerr == nil {
		p.cond.Wait()
	}
	switch {
	case p.rerr != nil:
		return 0, p.rerr
	case len(p.buf) == 0:
		return 0, io.EOF
	}
	n := copy(b, p.buf)
	p.buf = p.buf[n:]
	if len(p.buf) == 0 {
		p.buf = p.buf[:0:0] // let a large buffer go
	}
	p.cond.Broadcast()
	return n, nil
}

// Write copies b into the buffer, waiting while it is full.
func (p *pipe) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for !p.room(len(b)) && p.rerr == nil && !p.wclosed {
		p.cond.Wait()
	}
	switch {
	case p.rerr != nil:
		return 0, p.rerr
	case p.wclosed:
		return 0, io.ErrClosedPipe
	}
	p.buf = append(p.buf, b...)
	p.cond.Broadcast()
	return len(b), nil
}

func (p *pipe) room(n int) bool { return len(p.buf) == 0 || len(p.buf)+n <= pipeBuffer }

// readEnd and writeEnd are a pipe as the instance's stdin (it reads) and
// stdout (it writes): each says, as sandbox.NonBlocking, when its call
// returns at once. Only one goroutine reads and one writes, and the other
// side only adds data or makes room, so the answer holds until the call.
type (
	readEnd  struct{ *pipe }
	writeEnd struct{ *pipe }
)

// WillNotBlock: a Read returns at once when data is buffered or the pipe
// is closed.
func (r readEnd) WillNotBlock(int) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.buf) > 0 || r.wclosed || r.rerr != nil
}

// WillNotBlock: a Write of n bytes returns at once when there is room or
// the pipe is closed.
func (w writeEnd) WillNotBlock(n int) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.room(n) || w.wclosed || w.rerr != nil
}

// CloseWrite is the writer's close: reads return what is buffered, then
// io.EOF.
func (p *pipe) CloseWrite() {
	p.mu.Lock()
	p.wclosed = true
	p.cond.Broadcast()
	p.mu.Unlock()
}

// CloseRead is the reader's close: reads and writes fail with err from now
// on.
func (p *pipe) CloseRead(err error) {
	p.mu.Lock()
	if p.rerr == nil {
		p.rerr = err
	}
	p.cond.Broadcast()
	p.mu.Unlock()
}
