package discovery

import "errors"

var (
	// ErrNoInterface is returned by Run when none of the selected interfaces
	// is up, multicast-capable and has an address. The wrapping error lists
	// why each was refused.
	ErrNoInterface = errors.New("discovery: no usable interface: name one that is up, multicast-capable and has an address (Config.Interfaces, --iface), or where multicast is blocked join the gateway statically (--join host:port)")

	// ErrAnnouncement is returned by Run when the Announcement given to New
	// cannot be announced (missing ID, bad port, a field too long or with
	// characters TXT records cannot carry).
	ErrAnnouncement = errors.New("discovery: invalid announcement")

	// ErrRunning is returned by Run when the Discovery is already running.
	ErrRunning = errors.New("discovery: already running")
)
