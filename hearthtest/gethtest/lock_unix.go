//go:build unix

package gethtest

import (
	"os"

	"golang.org/x/sys/unix"
)

// lockFile takes an exclusive lock on path, waiting for other processes to
// release it, and returns its release.
func lockFile(path string) (unlock func(), err error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX); err != nil {
		f.Close()
		return nil, err
	}
	return func() { f.Close() }, nil
}
