package hearthinit

import (
	"time"

	"golang.org/x/sys/unix"
)

// stepClock moves the wall clock by offset.
func stepClock(offset time.Duration) error {
	tv := unix.NsecToTimeval(time.Now().Add(offset).UnixNano())
	return unix.Settimeofday(&tv)
}
