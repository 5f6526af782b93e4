package hearthinit

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ErrCmdline is returned when the kernel command line lacks what U-Boot's
// boot script passes: the image was started some other way.
var ErrCmdline = errors.New("kernel command line")

// Cmdline is what the boot script tells hearth-init.
type Cmdline struct {
	// Slot is "A" or "B", the root slot U-Boot booted.
	Slot string
	// DiskSignature is the MBR disk signature of the boot disk.
	DiskSignature uint32
	// Trial is set on the first boot of a freshly installed slot.
	Trial bool
}

// SlotPartition is the slot's partition number: A is 2, B is 3.
func (c Cmdline) SlotPartition() int {
	if c.Slot == "B" {
		return 3
	}
	return 2
}

// ParseCmdline reads hearth.slot=A|B, hearth.disk=<8 hex digits> and
// hearth.trial=1 from the contents of /proc/cmdline.
func ParseCmdline(s string) (Cmdline, error) {
	var c Cmdline
	var disk bool
	for _, f := range strings.Fields(s) {
		k, v, _ := strings.Cut(f, "=")
		switch k {
		case "hearth.slot":
			if v != "A" && v != "B" {
				return c, fmt.Errorf("%w: hearth.slot=%q: want A or B", ErrCmdline, v)
			}
			c.Slot = v
		case "hearth.disk":
			n, err := strconv.ParseUint(v, 16, 32)
			if err != nil || len(v) != 8 {
				return c, fmt.Errorf("%w: hearth.disk=%q: want the MBR disk signature as 8 hex digits", ErrCmdline, v)
			}
			c.DiskSignature, disk = uint32(n), true
		case "hearth.trial":
			c.Trial = v == "1"
		}
	}
	if c.Slot == "" || !disk {
		return c, fmt.Errorf("%w: %q lacks hearth.slot and hearth.disk (was the kernel started by Hearth's boot.scr?)", ErrCmdline, strings.TrimSpace(s))
	}
	return c, nil
}
