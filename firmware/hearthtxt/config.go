package hearthtxt

import (
	"net"
	"net/netip"
	"strconv"
	"time"
)

// Roles a device can have.
const (
	RoleAgent   = "agent"
	RoleGateway = "gateway"
)

// DefaultPort is the gateway's port when join names none.
const DefaultPort = 7443

// Stored is the value of a secret that an earlier boot moved to the data
// partition: Redact writes it, and Parse reads "(stored)" as it.
const Stored = "(stored)"

// Config is what hearth.txt says. The zero value is a file with every key
// left out: an agent that finds its gateway over mDNS and waits for the
// owner's approval, on ethernet with DHCP.
type Config struct {
	// Role is RoleAgent or RoleGateway ("" means RoleAgent).
	Role string
	// Token is the join token ("hearth1...."), Stored, or "" for none:
	// the device then waits for the owner's approval.
	Token string
	// Join is the gateway's host[:port] (default: found over mDNS; port
	// DefaultPort).
	Join string
	// Name is the device's name and host name (default: hearth- and the
	// last four hex digits of its first ethernet MAC).
	Name string
	// WifiSSID, WifiPSK (or Stored) and WifiCountry (two letters, e.g. DE)
	// set up Wi-Fi (default: ethernet only).
	WifiSSID, WifiPSK, WifiCountry string
	// SSHKey is one public key in authorized_keys form (default: no SSH).
	SSHKey string
	// PowerBudget is the device's budget in watts (0: the board's maximum).
	PowerBudget float64
	// Timezone is an IANA name such as Europe/Berlin (default UTC).
	Timezone string
	// IP is a static address with its prefix length (default: DHCP).
	IP netip.Prefix
	// Router is the default gateway for a static IP (default: none).
	Router netip.Addr
	// DNS are the name servers (default: DHCP's, else none).
	DNS []netip.Addr
	// NTP are the time servers, host or host:port (default DefaultNTP);
	// []string{NTPOff}: none.
	NTP []string
	// TrialTimeout is how long a newly installed version has to pair
	// with the gateway again before the device goes back to the version
	// before (0: 120 s; MinTrialTimeout to MaxTrialTimeout).
	TrialTimeout time.Duration
}

// DefaultNTP is the time server of a file that names none; NTPOff turns
// time from the network off.
const (
	DefaultNTP = "pool.ntp.org"
	NTPOff     = "off"
)

// TimeServers are the time servers to ask, NTP with its default applied:
// none when it is off.
func (c Config) TimeServers() []string {
	switch {
	case len(c.NTP) == 0:
		return []string{DefaultNTP}
	case len(c.NTP) == 1 && c.NTP[0] == NTPOff:
		return nil
	}
	return c.NTP
}

// The bounds of trial_timeout.
const (
	MinTrialTimeout = 10 * time.Second
	MaxTrialTimeout = time.Hour
)

// EffectiveRole is Role with its default applied.
func (c Config) EffectiveRole() string {
	if c.Role == "" {
		return RoleAgent
	}
	return c.Role
}

// JoinAddr is Join with the default port added, or "" when Join is unset.
func (c Config) JoinAddr() string {
	if c.Join == "" {
		return ""
	}
	host, port, err := splitJoin(c.Join)
	if err != nil {
		return c.Join
	}
	return net.JoinHostPort(host, strconv.Itoa(port))
}

// HasToken reports whether Token is a token to store (not unset, not Stored).
func (c Config) HasToken() bool { return c.Token != "" && c.Token != Stored }

// HasWifiPSK reports whether WifiPSK is a passphrase to store.
func (c Config) HasWifiPSK() bool { return c.WifiPSK != "" && c.WifiPSK != Stored }
