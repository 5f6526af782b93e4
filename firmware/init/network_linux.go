package hearthinit

import (
	"github.com/hearth-home/hearth/internal/atomicfile"

	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"
)

// ErrNoEthernet is returned when no ethernet interface appeared in time.
var ErrNoEthernet = errors.New("no ethernet interface")

// Net configures links, addresses, routes and name servers through
// netlink, in the network namespace of H.
type Net struct {
	H   *netlink.Handle
	Log *slog.Logger
	// ResolvConf is the file name servers are written to (default
	// /etc/resolv.conf).
	ResolvConf string
}

// NewNet returns a Net for this process's network namespace.
func NewNet(log *slog.Logger) (*Net, error) {
	// Only rtnetlink: asking for every family fails on a kernel whose
	// xfrm or netfilter netlink is a module not loaded.
	h, err := netlink.NewHandle(unix.NETLINK_ROUTE)
	if err != nil {
		return nil, err
	}
	return &Net{H: h, Log: log}, nil
}

// Loopback brings lo up.
func (n *Net) Loopback() error {
	lo, err := n.H.LinkByName("lo")
	if err != nil {
		return err
	}
	return n.H.LinkSetUp(lo)
}

// isEthernet picks the wired interfaces by their names, as the kernel
// (eth0) and udev-less predictable names (end0, enp1s0) have them.
func isEthernet(l netlink.Link) bool {
	name := l.Attrs().Name
	return (strings.HasPrefix(name, "eth") || strings.HasPrefix(name, "en")) && len(l.Attrs().HardwareAddr) == 6 && !isWireless(name)
}

// isWireless reports whether a network interface is a Wi-Fi one: cfg80211
// links each to its radio in sysfs.
func isWireless(name string) bool {
	_, err := os.Stat(filepath.Join("/sys/class/net", name, "phy80211"))
	return err == nil
}

// WaitEthernet waits up to timeout for ethernet interfaces to appear (their
// drivers probe asynchronously, USB ones on a Pi last), brings them up and
// returns them in index order.
func (n *Net) WaitEthernet(ctx context.Context, timeout time.Duration) ([]netlink.Link, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	for {
		links, err := n.H.LinkList()
		if err != nil {
			return nil, err
		}
		var eth []netlink.Link
		for _, l := range links {
			if isEthernet(l) {
				eth = append(eth, l)
			}
		}
		if len(eth) > 0 {
			sort.Slice(eth, func(i, j int) bool { return eth[i].Attrs().Index < eth[j].Attrs().Index })
			for _, l := range eth {
				if err := n.H.LinkSetUp(l); err != nil {
					return nil, fmt.Errorf("bringing %s up: %w", l.Attrs().Name, err)
				}
			}
			return eth, nil
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("%w after %s", ErrNoEthernet, timeout)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// Static gives link a fixed address, a default route via router (when
// valid) and the name servers dns (when any).
func (n *Net) Static(link netlink.Link, ip netip.Prefix, router netip.Addr, dns []netip.Addr) error {
	if err := n.H.AddrReplace(link, &netlink.Addr{IPNet: ipNet(ip)}); err != nil {
		return fmt.Errorf("address %s on %s: %w", ip, link.Attrs().Name, err)
	}
	if router.IsValid() {
		if err := n.H.RouteReplace(&netlink.Route{LinkIndex: link.Attrs().Index, Gw: router.AsSlice()}); err != nil {
			return fmt.Errorf("default route via %s: %w", router, err)
		}
	}
	if len(dns) > 0 {
		return n.WriteResolvConf(dns, "")
	}
	return nil
}

// WriteResolvConf writes the name servers (and a search domain, if any).
func (n *Net) WriteResolvConf(dns []netip.Addr, search string) error {
	var b strings.Builder
	b.WriteString("# written by hearth-init\n")
	if search != "" {
		b.WriteString("search " + search + "\n")
	}
	for _, a := range dns {
		b.WriteString("nameserver " + a.String() + "\n")
	}
	path := n.ResolvConf
	if path == "" {
		path = "/etc/resolv.conf"
	}
	if err := os.MkdirAll(dirOf(path), 0o755); err != nil {
		return err
	}
	return atomicfile.WriteFile(path, []byte(b.String()), 0o644)
}

func dirOf(path string) string {
	if i := strings.LastIndexByte(path, '/'); i > 0 {
		return path[:i]
	}
	return "."
}

func ipNet(p netip.Prefix) *net.IPNet {
	return &net.IPNet{IP: p.Addr().AsSlice(), Mask: net.CIDRMask(p.Bits(), p.Addr().BitLen())}
}
