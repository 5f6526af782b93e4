package hearthtxt

import (
	"errors"
	"fmt"
)

// Validate checks every setting and that they fit together, as Parse does
// for a file; use it on a Config built by other means before Format.
func (c Config) Validate() error {
	var errs []error
	for _, k := range keys {
		v := k.get(c)
		if v == "" {
			continue
		}
		var tmp Config
		if err := setValue(&tmp, k, v); err != nil {
			errs = append(errs, &LineError{Key: k.name, Err: ErrBadValue, Advice: err.Error()})
		}
	}
	for _, e := range crossCheck(c) {
		errs = append(errs, e)
	}
	return errors.Join(errs...)
}

// crossCheck finds settings that do not fit together. Each error names the
// key a person should change.
func crossCheck(c Config) []*LineError {
	var errs []*LineError
	bad := func(key, advice string) {
		errs = append(errs, &LineError{Key: key, Err: ErrBadValue, Advice: advice})
	}
	if c.Router.IsValid() && !c.IP.IsValid() {
		bad("router", "router goes with a fixed ip; add ip = (this device's address)/24, or remove router to use DHCP")
	}
	if c.Router.IsValid() && c.IP.IsValid() {
		switch {
		case c.Router == c.IP.Addr():
			bad("router", "the router's address is this device's own ip; write your router's address")
		case !c.IP.Masked().Contains(c.Router):
			bad("router", fmt.Sprintf("%s is outside %s; the router must be in the same network as ip", c.Router, c.IP.Masked()))
		}
	}
	if c.WifiPSK != "" && c.WifiSSID == "" {
		bad("wifi_psk", "a Wi-Fi password needs the network's name: add wifi_ssid = (your Wi-Fi's name)")
	}
	if c.EffectiveRole() == RoleGateway {
		if c.Token != "" && c.Token != Stored {
			bad("token", "a gateway makes its own join token; remove token, or set role = agent to join another gateway")
		}
		if c.Join != "" {
			bad("join", "a gateway joins no other; remove join, or set role = agent")
		}
	}
	return errs
}
