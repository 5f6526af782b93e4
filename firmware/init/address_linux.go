package hearthinit

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/vishvananda/netlink"
	"golang.org/x/sync/errgroup"

	"github.com/hearth-home/hearth/firmware/hearthtxt"
)

// ConfigureAddress sets hearth.txt's fixed ip on link, or keeps a DHCP
// lease on it in grp (named hostname, with hearth.txt's dns), and hands
// each address to onAddr. It returns the DHCP client, nil for a fixed ip.
func ConfigureAddress(ctx context.Context, grp *errgroup.Group, n *Net, link netlink.Link, cfg hearthtxt.Config, hostname string, onAddr func(netip.Prefix)) *DHCP {
	if cfg.IP.IsValid() {
		if err := n.Static(link, cfg.IP, cfg.Router, cfg.DNS); err != nil {
			n.Log.Error("static network", "err", err)
			return nil
		}
		n.Log.Info("network up", "iface", link.Attrs().Name, "addr", cfg.IP, "router", cfg.Router, "static", true)
		onAddr(cfg.IP)
		return nil
	}
	d := &DHCP{Net: n, Link: link, Hostname: hostname, DNS: cfg.DNS, OnLease: onAddr, kick: make(chan struct{}, 1)}
	grp.Go(func() error {
		// Without DHCP the device is still worth running: its role waits
		// for a network, and a fixed ip in hearth.txt is the way out.
		if err := d.Run(ctx); err != nil {
			n.Log.Error("DHCP stopped", "err", err)
		}
		return nil
	})
	return d
}

// RunWifi keeps w connected in grp and configures the address (DHCP or
// fixed, as ConfigureAddress) once it first connects; DHCP then asks
// again after each reconnection, as after a cable plugged in again.
func RunWifi(ctx context.Context, grp *errgroup.Group, w *Wifi, cfg hearthtxt.Config, hostname string, onAddr func(netip.Prefix)) {
	var once sync.Once
	var d *DHCP
	w.OnConnect = func() { // called by one goroutine at a time
		first := false
		once.Do(func() {
			d, first = ConfigureAddress(ctx, grp, w.Net, w.Link, cfg, hostname, onAddr), true
		})
		if !first && d != nil {
			d.Kick()
		}
	}
	grp.Go(func() error {
		if err := w.Run(ctx); err != nil {
			w.Net.Log.Error(err.Error()+": no Wi-Fi; the role runs anyway and waits for a network", "iface", w.Link.Attrs().Name)
		}
		return nil
	})
}

// ErrPSKLost is returned when hearth.txt says the Wi-Fi password is
// stored but the data partition no longer has it.
var ErrPSKLost = errors.New("hearth.txt says wifi_psk is stored, but the data partition lost it: write the Wi-Fi password over (stored) in hearth.txt again")

// WifiPassword is the Wi-Fi password: hearth.txt's, or the one stored in
// secretDir when hearth.txt says (stored). Empty for an open network.
func WifiPassword(cfg hearthtxt.Config, secretDir string) (string, error) {
	if cfg.WifiPSK != hearthtxt.Stored {
		return cfg.WifiPSK, nil
	}
	b, err := os.ReadFile(filepath.Join(secretDir, WifiPSKFile))
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrPSKLost, err)
	}
	return strings.TrimSuffix(string(b), "\n"), nil
}
