package hearthtxt

import (
	"fmt"
	"net/netip"
	"strings"
)

// Set sets one key of c from a value as hearth.txt would hold it (for
// `hearth firmware configure`), with the same checks as Parse; "" unsets
// the key. A bad value's error wraps ErrBadValue and says what to write.
func Set(c *Config, name, value string) error {
	k, ok := lookup(strings.ToLower(name))
	if !ok {
		return fmt.Errorf("no setting %q: %s", name, unknownAdvice(name))
	}
	if value == "" {
		unset[k.name](c)
		return nil
	}
	if err := setValue(c, k, value); err != nil {
		return fmt.Errorf("%s: %w", k.name, err)
	}
	return nil
}

// unset clears each key's field.
var unset = map[string]func(*Config){
	"role":          func(c *Config) { c.Role = "" },
	"token":         func(c *Config) { c.Token = "" },
	"join":          func(c *Config) { c.Join = "" },
	"name":          func(c *Config) { c.Name = "" },
	"wifi_ssid":     func(c *Config) { c.WifiSSID = "" },
	"wifi_psk":      func(c *Config) { c.WifiPSK = "" },
	"wifi_country":  func(c *Config) { c.WifiCountry = "" },
	"ssh_key":       func(c *Config) { c.SSHKey = "" },
	"power_budget":  func(c *Config) { c.PowerBudget = 0 },
	"timezone":      func(c *Config) { c.Timezone = "" },
	"ip":            func(c *Config) { c.IP = netip.Prefix{} },
	"router":        func(c *Config) { c.Router = netip.Addr{} },
	"dns":           func(c *Config) { c.DNS = nil },
	"ntp":           func(c *Config) { c.NTP = nil },
	"trial_timeout": func(c *Config) { c.TrialTimeout = 0 },
}
