package wasm

import (
	"fmt"
	"math"
	"sync"

	"github.com/tetratelabs/wazero/experimental"
)

// pageSize is the size of a wasm memory page.
const pageSize = 64 << 10

// limiter caps one task's linear memory. wazero's own cap
// (RuntimeConfig.WithMemoryLimitPages) holds for a whole wazero runtime and
// is compiled into the modules, so per-task limits through it would mean a
// runtime, and a compilation, per distinct limit. An allocator handed to
// each instantiation caps each task alike, and tells us when it refused,
// which a failed memory.grow alone does not: the guest sees -1 and may die
// in any way it likes (a Go program exits with code 2).
type limiter struct {
	limit   uint64
	refused uint64        // the largest size refused, 0 when none
	mem     *linearMemory // the one it allocated, freed by free
}

func newLimiter(limit int64) *limiter {
	return &limiter{limit: min(uint64(limit), uint64(math.MaxInt))}
}

// Allocate implements experimental.MemoryAllocator.
func (l *limiter) Allocate(_, _ uint64) experimental.LinearMemory {
	l.mem = &linearMemory{l: l}
	return l.mem
}

// free frees the task's memory once its run is over, whatever wazero did:
// wazero frees it when the program returns or exits, but not when a
// stopped task is ended from inside a host call (exitStopped) or when
// instantiation fails, and a reservation, unlike a slice of the heap, is
// not collected.
func (l *limiter) free() {
	if l.mem != nil {
		l.mem.Free()
	}
}

// reason explains a refusal for Result.Reason.
func (l *limiter) reason() string {
	return fmt.Sprintf("memory growth to %s refused: the limit is %s", mib(l.refused), mib(l.limit))
}

// linearMemory is a task's memory: a byte slice that grows, never past the
// limit. Only the task's goroutine touches it.
//
// Where it can (reserve, on Linux), it is one mapping of the limit's size
// made at the first allocation, of which the memory grows in place: no
// copy when it grows, and only the pages the program touches are resident.
// A slice of the Go heap instead is copied at each growth, and a freed one
// reused for another task's is cleared whole, which makes all of its
// capacity resident: a Go program's 4.8 MiB of linear memory cost the
// agent about 10 MiB of memory that way.
type linearMemory struct {
	l      *limiter
	buf    []byte
	mapped []byte     // the reservation buf is in, if any
	freed  sync.Mutex // Free may come from wazero and from limiter.free
}

// Reallocate implements experimental.LinearMemory.
func (m *linearMemory) Reallocate(size uint64) []byte {
	if size > m.l.limit {
		m.l.refused = max(m.l.refused, size)
		return nil
	}
	if m.buf == nil && m.mapped == nil {
		m.mapped, _ = reserve(m.l.limit)
	}
	if m.mapped != nil {
		if size <= uint64(len(m.mapped)) {
			m.buf = m.mapped[:size]
			return m.buf
		}
		// Past what could be reserved (a 32-bit device, a large limit):
		// on the heap from now on.
		buf := make([]byte, size)
		copy(buf, m.buf)
		release(m.mapped)
		m.mapped, m.buf = nil, buf
		return m.buf
	}
	if size <= uint64(cap(m.buf)) {
		m.buf = m.buf[:size]
		return m.buf
	}
	// Double to keep copying linear in the final size, but never reserve
	// beyond the limit.
	c := size
	if m.buf != nil {
		c = max(size, min(2*uint64(cap(m.buf)), m.l.limit))
	}
	buf := make([]byte, size, c)
	copy(buf, m.buf)
	m.buf = buf
	return m.buf
}

// Free implements experimental.LinearMemory.
func (m *linearMemory) Free() {
	m.freed.Lock()
	defer m.freed.Unlock()
	if m.mapped != nil {
		release(m.mapped)
	}
	m.buf, m.mapped = nil, nil
}

// mib shows a size for people.
func mib(b uint64) string {
	if b%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", b>>20)
	}
	return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20))
}
