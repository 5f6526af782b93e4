package discovery

import (
	"crypto/rand"
	"encoding/hex"
	"net/netip"
	"time"
)

// Roles a node announces.
const (
	RoleGateway = "gateway"
	RoleAgent   = "agent"
)

// Announcement is what a node tells its neighbours about itself. Everything
// but Port and the addresses travels in the TXT record, as hints: a
// neighbour may lie, so nothing here is trusted for security.
type Announcement struct {
	ID       string // node ID; required
	Instance string // random per process start, so a restart is visible; New fills it when empty
	Role     string // RoleGateway or RoleAgent
	Arch     string // e.g. "arm64", "armv7"
	Proto    int    // protocol version spoken
	Name     string // human-friendly device name; may be empty
	Port     int    // TCP port the node listens on, 1-65535; required
}

// Peer is a neighbour heard on the network.
type Peer struct {
	Announcement
	Addrs    []netip.Addr // as announced, IPv4 first; IPv6 link-local ones lack a zone
	LastSeen time.Time    // when it was last heard
	Expires  time.Time    // when it is dropped unless heard again
}

// newInstance returns a random instance ID: 8 bytes, hex.
func newInstance() string {
	var b [8]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
