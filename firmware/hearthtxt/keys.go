package hearthtxt

import (
	"encoding/base64"
	"fmt"
	"math"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// A key is one setting of the file: how to read it, how to write it and how
// to explain it in the template.
type key struct {
	name    string
	help    string // one line, for the template
	example string // a valid value, shown commented out in the template
	secret  bool
	set     func(c *Config, v string) error
	get     func(c Config) string
}

// keys are in the order Format writes them.
var keys = []key{
	{name: "role", help: "agent (a device that runs work) or gateway (the one device that coordinates the home)", example: "agent",
		set: func(c *Config, v string) error {
			switch r := strings.ToLower(v); r {
			case RoleAgent, RoleGateway:
				c.Role = r
				return nil
			}
			return badValue("write agent or gateway")
		},
		get: func(c Config) string { return c.Role }},
	{name: "token", help: "the join token that `hearth-gateway init` printed; without it the owner approves the device (hearth pool approve)", example: "hearth1.0123456789abcdef0123456789abcdef.secret-part-of-the-token", secret: true,
		set: func(c *Config, v string) error {
			if v != Stored {
				if err := checkToken(v); err != nil {
					return err
				}
			}
			c.Token = v
			return nil
		},
		get: func(c Config) string { return c.Token }},
	{name: "join", help: "the gateway's address when mDNS cannot find it: host or host:port (port " + strconv.Itoa(DefaultPort) + " if left out)", example: "192.168.1.10:7443",
		set: func(c *Config, v string) error {
			if _, _, err := splitJoin(v); err != nil {
				return err
			}
			c.Join = v
			return nil
		},
		get: func(c Config) string { return c.Join }},
	{name: "name", help: "this device's name in `hearth pool ls` and on the network: letters, digits and -", example: "kitchen-pi",
		set: func(c *Config, v string) error {
			if !isLabel(v) {
				return badValue("use 1 to 63 letters, digits and -, not starting or ending with -, e.g. kitchen-pi")
			}
			c.Name = v
			return nil
		},
		get: func(c Config) string { return c.Name }},
	{name: "wifi_ssid", help: "the Wi-Fi network's name (leave out for ethernet)", example: "MyHomeWiFi",
		set: func(c *Config, v string) error {
			if len(v) > 32 {
				return badValue("a Wi-Fi name has at most 32 bytes")
			}
			c.WifiSSID = v
			return nil
		},
		get: func(c Config) string { return c.WifiSSID }},
	{name: "wifi_psk", help: "the Wi-Fi password (moved off this card at first boot)", example: "correct horse battery staple", secret: true,
		set: func(c *Config, v string) error {
			if v != Stored {
				if err := checkPSK(v); err != nil {
					return err
				}
			}
			c.WifiPSK = v
			return nil
		},
		get: func(c Config) string { return c.WifiPSK }},
	{name: "wifi_country", help: "the two-letter country code Wi-Fi channels are allowed for", example: "DE",
		set: func(c *Config, v string) error {
			if len(v) != 2 || !isLetters(v) {
				return badValue("write a two-letter country code, e.g. DE, GB or US")
			}
			c.WifiCountry = strings.ToUpper(v)
			return nil
		},
		get: func(c Config) string { return c.WifiCountry }},
	{name: "ssh_key", help: "a public key (one line of authorized_keys) allowed to log in over SSH; none: no SSH", example: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB me@laptop",
		set: func(c *Config, v string) error {
			if err := checkSSHKey(v); err != nil {
				return err
			}
			c.SSHKey = v
			return nil
		},
		get: func(c Config) string { return c.SSHKey }},
	{name: "power_budget", help: "the most watts this device may draw for Hearth's work, e.g. 4.5", example: "4.5",
		set: func(c *Config, v string) error {
			num := strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(v, "W"), "w"))
			f, err := strconv.ParseFloat(num, 64)
			if err != nil || math.IsInf(f, 0) || math.IsNaN(f) || f <= 0 {
				return badValue("write a number of watts above 0 with a dot, e.g. 4.5")
			}
			c.PowerBudget = f
			return nil
		},
		get: func(c Config) string {
			if c.PowerBudget == 0 {
				return ""
			}
			return strconv.FormatFloat(c.PowerBudget, 'g', -1, 64)
		}},
	{name: "timezone", help: "the time zone for schedules and logs, as a name from the tz database", example: "Europe/Berlin",
		set: func(c *Config, v string) error {
			if err := checkTimezone(v); err != nil {
				return err
			}
			c.Timezone = v
			return nil
		},
		get: func(c Config) string { return c.Timezone }},
	{name: "ip", help: "a fixed address with its prefix length; leave out to get one by DHCP", example: "192.168.1.50/24",
		set: func(c *Config, v string) error {
			p, err := netip.ParsePrefix(v)
			if err != nil {
				if a, err := netip.ParseAddr(v); err == nil && a.Is4() {
					return badValue(fmt.Sprintf("add the prefix length, e.g. %s/24", a))
				}
				return badValue("write an IPv4 address and prefix length, e.g. 192.168.1.50/24")
			}
			if !p.Addr().Is4() || p.Bits() < 1 || p.Bits() > 30 {
				return badValue("write an IPv4 address and a prefix length from 1 to 30, e.g. 192.168.1.50/24")
			}
			if p.Addr() == p.Masked().Addr() {
				return badValue(fmt.Sprintf("%s is the network's own address; choose a device address inside it, e.g. %s", p, p.Addr().Next()))
			}
			c.IP = p
			return nil
		},
		get: func(c Config) string {
			if !c.IP.IsValid() {
				return ""
			}
			return c.IP.String()
		}},
	{name: "router", help: "the default gateway (your router) for a fixed ip", example: "192.168.1.1",
		set: func(c *Config, v string) error {
			a, err := netip.ParseAddr(v)
			if err != nil || !a.Is4() {
				return badValue("write the router's IPv4 address, e.g. 192.168.1.1")
			}
			c.Router = a
			return nil
		},
		get: func(c Config) string {
			if !c.Router.IsValid() {
				return ""
			}
			return c.Router.String()
		}},
	{name: "dns", help: "name servers, separated by commas (with a fixed ip; with DHCP they replace the network's)", example: "192.168.1.1, 9.9.9.9",
		set: func(c *Config, v string) error {
			var out []netip.Addr
			for f := range strings.SplitSeq(v, ",") {
				a, err := netip.ParseAddr(strings.TrimSpace(f))
				if err != nil {
					return badValue("write IP addresses separated by commas, e.g. 192.168.1.1, 9.9.9.9")
				}
				out = append(out, a)
			}
			c.DNS = out
			return nil
		},
		get: func(c Config) string {
			s := make([]string, len(c.DNS))
			for i, a := range c.DNS {
				s[i] = a.String()
			}
			return strings.Join(s, ", ")
		}},
	{name: "ntp", help: "time servers, separated by commas (default " + DefaultNTP + "), or off: a Raspberry Pi has no clock of its own", example: "pool.ntp.org, 192.168.1.1",
		set: func(c *Config, v string) error {
			if strings.EqualFold(v, NTPOff) {
				c.NTP = []string{NTPOff}
				return nil
			}
			var out []string
			for f := range strings.SplitSeq(v, ",") {
				f = strings.TrimSpace(f)
				if _, _, err := splitHostPort(f, 123); err != nil {
					return badValue("write time servers' names or addresses separated by commas, e.g. pool.ntp.org, 192.168.1.1, or off")
				}
				out = append(out, f)
			}
			c.NTP = out
			return nil
		},
		get: func(c Config) string { return strings.Join(c.NTP, ", ") }},
	{name: "trial_timeout", help: "how long a new version has to reach the gateway again before the device goes back to the one before: seconds, or a duration like 90s, 5m", example: "120s",
		set: func(c *Config, v string) error {
			d, err := time.ParseDuration(v)
			if n, aerr := strconv.Atoi(v); aerr == nil {
				d, err = time.Duration(n)*time.Second, nil
			}
			if err != nil || d < MinTrialTimeout || d > MaxTrialTimeout {
				return badValue("write a duration from 10s to 1h, e.g. 120s or 5m")
			}
			c.TrialTimeout = d
			return nil
		},
		get: func(c Config) string {
			if c.TrialTimeout == 0 {
				return ""
			}
			if c.TrialTimeout%time.Second == 0 {
				return strconv.Itoa(int(c.TrialTimeout/time.Second)) + "s"
			}
			return c.TrialTimeout.String()
		}},
}

// SecretKeys are the keys whose values leave the card at first boot.
var SecretKeys = []string{"token", "wifi_psk"}

// KnownKeys lists every key in the order of the template.
func KnownKeys() []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = k.name
	}
	return out
}

func lookup(name string) (key, bool) {
	for _, k := range keys {
		if k.name == name {
			return k, true
		}
	}
	return key{}, false
}

// hint is a bad value's advice, what to write instead. It is an
// ErrBadValue.
type hint string

func (h hint) Error() string { return string(h) }

func (h hint) Unwrap() error { return ErrBadValue }

func badValue(advice string) error { return hint(advice) }

// isLabel reports whether s is a host name label: 1 to 63 letters, digits
// and '-', not starting or ending with '-'. (Hand-written, as is isTZName:
// regexp would add 0.2 MB, 6%, to hearth-init.)
func isLabel(s string) bool {
	if len(s) == 0 || len(s) > 63 || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for _, r := range s {
		if !isAlnum(r) && r != '-' {
			return false
		}
	}
	return true
}

func isAlnum(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
}

// isTZName reports whether s looks like a time zone name when no tz
// database is at hand to check it against (the appliance's initramfs has
// none): ^[A-Za-z_+-]+(/[A-Za-z0-9_+-]+)*$.
func isTZName(s string) bool {
	for i, part := range strings.Split(s, "/") {
		if part == "" {
			return false
		}
		for _, r := range part {
			if !(isAlnum(r) && (i > 0 || r > '9') || r == '_' || r == '+' || r == '-') {
				return false
			}
		}
	}
	return true
}

func isLetters(s string) bool {
	for _, r := range s {
		if (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') {
			return false
		}
	}
	return true
}

func checkToken(v string) error {
	parts := strings.Split(v, ".")
	if len(parts) != 3 || parts[0] != "hearth1" || parts[1] == "" || len(parts[2]) < 16 {
		return badValue("paste the whole join token that `hearth-gateway init` printed: hearth1.<gateway>.<secret>")
	}
	for _, r := range v {
		if r <= ' ' || r > '~' {
			return badValue("the join token has no spaces or special characters; paste it again from `hearth-gateway init`")
		}
	}
	return nil
}

// checkPSK follows WPA2: a passphrase of 8 to 63 printable ASCII
// characters, or the 64 hex digits of the key itself.
func checkPSK(v string) error {
	if len(v) == 64 {
		if _, err := strconv.ParseUint(v[:16], 16, 64); err == nil && isHex(v) {
			return nil
		}
	}
	if len(v) < 8 || len(v) > 63 {
		return badValue("a Wi-Fi password has 8 to 63 characters")
	}
	for _, r := range v {
		if r < ' ' || r > '~' {
			return badValue("a Wi-Fi password has only printable ASCII characters (no accents or emoji)")
		}
	}
	return nil
}

func isHex(s string) bool {
	for _, r := range s {
		if !strings.ContainsRune("0123456789abcdefABCDEF", r) {
			return false
		}
	}
	return true
}

func checkSSHKey(v string) error {
	f := strings.Fields(v)
	if len(f) < 2 || !(strings.HasPrefix(f[0], "ssh-") || strings.HasPrefix(f[0], "ecdsa-") || strings.HasPrefix(f[0], "sk-")) {
		return badValue("paste one line of a .pub file, e.g. ssh-ed25519 AAAA... me@laptop")
	}
	if _, err := base64.StdEncoding.DecodeString(f[1]); err != nil {
		return badValue("the key's second part is not base64; paste the whole line of the .pub file again")
	}
	return nil
}

// zoneinfo reports whether this system has a tz database to check names
// against; without one (the appliance), names are checked by their form.
var zoneinfo = func() bool {
	_, err := time.LoadLocation("Europe/Berlin")
	return err == nil
}()

func checkTimezone(v string) error {
	const advice = "write a name from the tz database, e.g. Europe/Berlin, America/New_York or UTC"
	if !isTZName(v) {
		return badValue(advice)
	}
	if zoneinfo {
		if _, err := time.LoadLocation(v); err != nil {
			return badValue(advice)
		}
	}
	return nil
}

// splitJoin splits host[:port], with DefaultPort for a missing port.
func splitJoin(v string) (string, int, error) { return splitHostPort(v, DefaultPort) }

// splitHostPort splits host[:port], with port def for a missing one.
func splitHostPort(v string, def int) (string, int, error) {
	host, port := v, def
	if strings.ContainsAny(v, "/ ") {
		return "", 0, badValue("write only the gateway's address or name and maybe a port, without http:// or spaces, e.g. 192.168.1.10:7443")
	}
	if h, p, err := net.SplitHostPort(v); err == nil {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return "", 0, badValue("the port after : is a number from 1 to 65535, e.g. 192.168.1.10:7443")
		}
		host, port = h, n
	} else if strings.HasPrefix(v, "[") && strings.HasSuffix(v, "]") {
		host = v[1 : len(v)-1]
	}
	if a, err := netip.ParseAddr(host); err == nil {
		if a.Zone() != "" {
			return "", 0, badValue("leave out the %zone of the address")
		}
		return host, port, nil
	}
	if host == "" || strings.Count(host, ":") > 0 || !utf8.ValidString(host) {
		return "", 0, badValue("write the gateway's address or name, and a port if not 7443, e.g. 192.168.1.10:7443 or hearth-gw.local")
	}
	for label := range strings.SplitSeq(strings.TrimSuffix(host, "."), ".") {
		if !isLabel(label) {
			return "", 0, badValue("write the gateway's address or name, and a port if not 7443, e.g. 192.168.1.10:7443 or hearth-gw.local")
		}
	}
	return host, port, nil
}
