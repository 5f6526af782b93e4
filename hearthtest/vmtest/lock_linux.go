package vmtest

import (
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// lockHost waits until no other VM of vmtest runs on this machine, and
// returns the function that lets the next one go. Test packages run in
// parallel, and an emulated VM takes a host core or two: one at a time
// leaves the others' timing tests the cores they expect.
func lockHost() (unlock func(), err error) {
	f, err := os.OpenFile(filepath.Join(os.TempDir(), "hearth-vmtest.lock"), os.O_CREATE|os.O_RDWR, 0o666)
	if err != nil {
		return nil, err
	}
	for {
		err = unix.Flock(int(f.Fd()), unix.LOCK_EX)
		if err != unix.EINTR {
			break
		}
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return func() { f.Close() }, nil
}
