package slot

import "errors"

var (
	// ErrBootEnv is returned when hearthboot.env is not what the boot
	// script reads: the three variables, single digits, A and B.
	ErrBootEnv = errors.New("hearthboot.env")
	// ErrCmdline is returned when the kernel command line lacks what the
	// boot script passes: the image was started some other way.
	ErrCmdline = errors.New("kernel command line")
	// ErrNoDisk is returned when no block device carries the boot disk's
	// signature, or the disk lacks a partition.
	ErrNoDisk = errors.New("boot disk not found")
	// ErrTrial is returned by Install on a trial boot not yet committed:
	// the inactive slot is then the way back and must not be written.
	ErrTrial = errors.New("the running slot is on trial")
	// ErrTooLarge is returned by Install for an image larger than the
	// inactive slot's partition.
	ErrTooLarge = errors.New("slot image larger than its partition")
	// ErrSize is returned by Install when the image's reader gives more
	// or fewer bytes than its size says.
	ErrSize = errors.New("slot image of the wrong size")
	// ErrHash is returned by Install when the partition, read back, does
	// not hold the image's sha256.
	ErrHash = errors.New("slot image hash mismatch")
	// ErrState is returned when the update state file on the data
	// partition cannot be read.
	ErrState = errors.New("firmware state")
)
