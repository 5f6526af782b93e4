package wasm

import (
	"time"

	"golang.org/x/sys/unix"
)

// threadCPU is the processor time of the calling thread. The task's
// goroutine is locked to its thread, so the difference between two calls
// is the CPU the task used, host functions included.
func threadCPU() (time.Duration, bool) {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts); err != nil {
		return 0, false
	}
	return time.Duration(ts.Nano()), true
}
