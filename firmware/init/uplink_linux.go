package hearthinit

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"
)

// Uplink is the interface the device's network goes through.
type Uplink struct {
	Link netlink.Link
	Wifi bool
	// Note, when set, says why the uplink is not what hearth.txt asked
	// for: a cable won over Wi-Fi, or there is no Wi-Fi hardware.
	Note string
}

// CableGrace is how long a network cable has, once the Wi-Fi interface
// is there, to show a carrier and be used instead of Wi-Fi.
const CableGrace = 3 * time.Second

// WaitUplink waits up to timeout for the interface to use and brings the
// ethernet ports up as they appear. Without Wi-Fi asked for, that is the
// first ethernet port (WaitEthernet). With Wi-Fi asked for, it is the
// first Wi-Fi interface, unless an ethernet port has a cable plugged in
// (carrier) before CableGrace has passed since the Wi-Fi interface
// appeared: a cable is faster and needs no password. A device with Wi-Fi
// asked for and no Wi-Fi hardware uses its ethernet port, with a Note.
func (n *Net) WaitUplink(ctx context.Context, timeout time.Duration, wantWifi bool) (Uplink, error) {
	if !wantWifi {
		eth, err := n.WaitEthernet(ctx, timeout)
		if err != nil {
			if w := n.wireless(); w != "" {
				err = fmt.Errorf("%w; this device has Wi-Fi (%s): set wifi_ssid and wifi_psk in hearth.txt", err, w)
			}
			return Uplink{}, err
		}
		return Uplink{Link: eth[0]}, nil
	}
	deadline := time.Now().Add(timeout)
	up := map[int]bool{}
	var wlanSince time.Time
	for {
		links, err := n.H.LinkList()
		if err != nil {
			return Uplink{}, err
		}
		sort.Slice(links, func(i, j int) bool { return links[i].Attrs().Index < links[j].Attrs().Index })
		var eth []netlink.Link
		var wlan netlink.Link
		for _, l := range links {
			switch {
			case isWireless(l.Attrs().Name):
				if wlan == nil {
					wlan = l
				}
			case isEthernet(l):
				eth = append(eth, l)
				if !up[l.Attrs().Index] {
					if err := n.H.LinkSetUp(l); err != nil {
						return Uplink{}, fmt.Errorf("bringing %s up: %w", l.Attrs().Name, err)
					}
					up[l.Attrs().Index] = true
				}
			}
		}
		for _, l := range eth {
			if l.Attrs().RawFlags&unix.IFF_LOWER_UP != 0 {
				return Uplink{Link: l, Note: "a network cable is plugged in: using it, not Wi-Fi"}, nil
			}
		}
		if wlan != nil {
			if wlanSince.IsZero() {
				wlanSince = time.Now()
			}
			if time.Since(wlanSince) >= CableGrace {
				return Uplink{Link: wlan, Wifi: true}, nil
			}
		}
		if time.Now().After(deadline) {
			if len(eth) > 0 {
				return Uplink{Link: eth[0], Note: ErrNoWifi.Error()}, nil
			}
			return Uplink{}, fmt.Errorf("%w (and no network cable port) after %s", ErrNoWifi, timeout)
		}
		if !sleep(ctx, 100*time.Millisecond) {
			return Uplink{}, ctx.Err()
		}
	}
}

// wireless names the first Wi-Fi interface, if any.
func (n *Net) wireless() string {
	links, _ := n.H.LinkList()
	for _, l := range links {
		if isWireless(l.Attrs().Name) {
			return l.Attrs().Name
		}
	}
	return ""
}
