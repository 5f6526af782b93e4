package hearthinit

import (
	"fmt"
	"net"
)

// DefaultName is the host name of a device whose hearth.txt names none:
// hearth- and the last four hex digits of its first ethernet MAC, which is
// also what the sticker on many boards shows.
func DefaultName(mac net.HardwareAddr) string {
	if len(mac) < 2 {
		return "hearth"
	}
	return fmt.Sprintf("hearth-%02x%02x", mac[len(mac)-2], mac[len(mac)-1])
}
