package wasm

import (
	"fmt"
	"math"

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
	refused uint64 // the largest size refused, 0 when none
}

func newLimiter(limit int64) *limiter {
	return &limiter{limit: min(uint64(limit), uint64(math.MaxInt))}
}

// Allocate implements experimental.MemoryAllocator.
func (l *limiter) Allocate(_, _ uint64) experimental.LinearMemory {
	return &linearMemory{l: l}
}

// reason explains a refusal for Result.Reason.
func (l *limiter) reason() string {
	return fmt.Sprintf("memory growth to %s refused: the limit is %s", mib(l.refused), mib(l.limit))
}

// linearMemory is a task's memory: a byte slice that grows, never past the
// limit. Only the task's goroutine touches it.
type linearMemory struct {
	l   *limiter
	buf []byte
}

// Reallocate implements experimental.LinearMemory.
func (m *linearMemory) Reallocate(size uint64) []byte {
	if size > m.l.limit {
		m.l.refused = max(m.l.refused, size)
		return nil
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
func (m *linearMemory) Free() { m.buf = nil }

// mib shows a size for people.
func mib(b uint64) string {
	if b%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", b>>20)
	}
	return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20))
}
