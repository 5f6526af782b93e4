package slot

import (
	"fmt"
	"strconv"
	"strings"
)

// Cmdline is what the boot script tells the kernel, and so hearth-init and
// the updater, on the kernel command line.
type Cmdline struct {
	// Slot is the slot U-Boot booted (hearth.slot=A|B).
	Slot Name
	// DiskSignature is the boot disk's MBR signature (hearth.disk=, 8 hex
	// digits).
	DiskSignature uint32
	// Trial is set on the first boot of a newly installed slot
	// (hearth.trial=1). It stays set for the whole boot, committed or
	// not: Device.OnTrial tells.
	Trial bool
}

// SlotPartition is the booted slot's partition number.
func (c Cmdline) SlotPartition() int { return c.Slot.Partition() }

// ParseCmdline reads hearth.slot, hearth.disk and hearth.trial from the
// contents of /proc/cmdline.
func ParseCmdline(s string) (Cmdline, error) {
	var c Cmdline
	var disk bool
	for _, f := range strings.Fields(s) {
		k, v, _ := strings.Cut(f, "=")
		switch k {
		case "hearth.slot":
			if !Name(v).Valid() {
				return c, fmt.Errorf("%w: hearth.slot=%q: want A or B", ErrCmdline, v)
			}
			c.Slot = Name(v)
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
