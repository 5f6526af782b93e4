package hearthinit

import "github.com/hearth-home/hearth/firmware/slot"

// Disk is the boot disk and its partitions. firmware/slot finds it, and
// reads the kernel command line, for the updater too.
type Disk = slot.Disk

// partitions lists a disk's partitions from its /sys/block directory.
var partitions = slot.Partitions
