package hearthinit

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// FinitModule loads a module with finit_module(2), letting the kernel
// decompress it when compressed.
func FinitModule(f *os.File, compressed bool) error {
	flags := 0
	if compressed {
		flags = unix.MODULE_INIT_COMPRESSED_FILE
	}
	err := unix.FinitModule(int(f.Fd()), "", flags)
	if errors.Is(err, unix.EEXIST) {
		return errModuleExists
	}
	return err
}
