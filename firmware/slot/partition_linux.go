package slot

import (
	"os"

	"golang.org/x/sys/unix"
)

// dropCache drops f's clean pages from the page cache: the read-back must
// see the device, not the pages just written.
func dropCache(f *os.File) error {
	return unix.Fadvise(int(f.Fd()), 0, 0, unix.FADV_DONTNEED)
}
