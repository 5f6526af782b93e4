package mdns

import "net/netip"

// Port is the mDNS port.
const Port = 5353

// The mDNS groups (RFC 6762 3).
var (
	GroupV4 = netip.AddrPortFrom(netip.AddrFrom4([4]byte{224, 0, 0, 251}), Port)
	GroupV6 = netip.AddrPortFrom(netip.MustParseAddr("ff02::fb"), Port)
)
