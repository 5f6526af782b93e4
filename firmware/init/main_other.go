//go:build !linux

package hearthinit

import (
	"fmt"
	"os"
)

// Main says that hearth-init runs on Linux only: it is the appliance
// image's PID 1.
func Main(args []string, version string) int {
	fmt.Fprintln(os.Stderr, "hearth-init", version, "runs only as PID 1 of the Hearth appliance image (Linux)")
	return 2
}
