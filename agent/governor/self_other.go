//go:build !linux

package governor

import "time"

// processCPU is not read here: Hearth's devices run Linux.
func processCPU() (time.Duration, bool) { return 0, false }
