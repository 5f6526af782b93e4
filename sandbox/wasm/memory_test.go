package wasm

import (
	"context"
	"io"
	"runtime"
	"testing"
	"time"
	"unsafe"

	"github.com/hearth-home/hearth/sandbox"
)

// Linear memory grows in place on Linux (one reservation, no copy), keeps
// what the program wrote, reads zero where it grew, never passes the
// limit, and on a 32-bit device goes on past its reservation on the heap.
func TestLinearMemoryGrows(t *testing.T) {
	l := newLimiter(8 << 20)
	m := l.Allocate(0, 0).(*linearMemory)
	defer m.Free()
	a := m.Reallocate(2 * pageSize)
	a[0], a[len(a)-1] = 1, 2
	b := m.Reallocate(40 * pageSize)
	if len(b) != 40*pageSize || b[0] != 1 || b[2*pageSize-1] != 2 || b[2*pageSize] != 0 || b[len(b)-1] != 0 {
		t.Fatalf("after growing: len %d, contents %d %d %d %d", len(b), b[0], b[2*pageSize-1], b[2*pageSize], b[len(b)-1])
	}
	if runtime.GOOS == "linux" && unsafe.SliceData(a) != unsafe.SliceData(b) {
		t.Error("on Linux the memory moved when it grew; want it grown in place")
	}
	if got := m.Reallocate(8<<20 + pageSize); got != nil || l.refused != 8<<20+pageSize {
		t.Fatalf("growth past the limit: %d bytes given, refused %d", len(got), l.refused)
	}

	// A reservation smaller than the limit, as on a 32-bit device.
	was := maxReserve
	maxReserve = 4 * pageSize
	defer func() { maxReserve = was }()
	m2 := newLimiter(8<<20).Allocate(0, 0).(*linearMemory)
	defer m2.Free()
	c := m2.Reallocate(3 * pageSize)
	c[5] = 7
	d := m2.Reallocate(10 * pageSize)
	if len(d) != 10*pageSize || d[5] != 7 || m2.mapped != nil {
		t.Fatalf("past the reservation: len %d, byte 5 = %d, still mapped %v", len(d), d[5], m2.mapped != nil)
	}
}

// A task killed while it waits on its stdin gives its memory back: wazero
// does not free it then, the task does.
func TestMemoryFreedAfterKill(t *testing.T) {
	rt := newRuntime(t, Config{CacheDir: sharedCache})
	inR, _ := io.Pipe() // nothing ever comes
	tk := startLines(t, rt, sandbox.Spec{Stdin: inR, Limits: sandbox.Limits{Timeout: sandbox.NoTimeout}})
	time.Sleep(300 * time.Millisecond) // waiting in its first read
	if runtime.GOOS == "linux" && (tk.mem.mem == nil || tk.mem.mem.mapped == nil) {
		t.Fatal("the running task has no reserved memory")
	}
	tk.Kill(context.Background())
	waitWithin(t, tk, 5*time.Second)
	tk.mem.mem.freed.Lock()
	defer tk.mem.mem.freed.Unlock()
	if tk.mem.mem.mapped != nil || tk.mem.mem.buf != nil {
		t.Fatal("the killed task's memory is still held")
	}
}
