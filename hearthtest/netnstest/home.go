package netnstest

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"testing"
)

// Node is one simulated device.
type Node struct {
	Namespace string     // name for `ip netns exec` and Cmd
	Interface string     // the node's link to the home: "eth0", or "lo" in a loopback Home
	IP        netip.Addr // IPv4 address on Interface (127.0.0.1 in a loopback Home)
	IP6       netip.Addr // IPv6 address on Interface (::1 in a loopback Home)
}

// Home is a simulated home network. Close it (or let the testing.TB helpers
// do it) to delete its namespaces.
type Home struct {
	Hub    string       // namespace holding bridge br0; empty in a loopback Home
	Prefix netip.Prefix // the nodes' IPv4 /24
	Nodes  []Node

	namespaces []string // everything Close deletes, hub first
	taps       int      // tap devices added so far
}

// MaxNodes is the largest n Build accepts.
const MaxNodes = 250

// Build creates a Home of n nodes, each in its own namespace and wired to a
// bridge in the hub namespace. prefix starts every namespace name (a few
// letters, e.g. "demo"). On error nothing is left behind. The caller must
// Close the Home.
func Build(prefix string, n int) (*Home, error) {
	if n < 1 || n > MaxNodes {
		return nil, fmt.Errorf("netnstest: %d nodes: want 1 to %d", n, MaxNodes)
	}
	if err := Supported(); err != nil {
		return nil, err
	}
	nm := newNames(prefix, n)
	h := &Home{Hub: nm.hub, Prefix: nm.v4, namespaces: append([]string{nm.hub}, nm.nodes...)}
	if err := h.build(nm); err != nil {
		return nil, errors.Join(err, h.Close())
	}
	return h, nil
}

func (h *Home) build(nm names) error {
	var add strings.Builder
	for _, ns := range h.namespaces {
		fmt.Fprintf(&add, "netns add %s\n", ns)
	}
	if err := ip("", add.String()); err != nil {
		return err
	}
	// Snooping off: the bridge must flood mDNS (224.0.0.251, ff02::fb)
	// to every port whatever membership reports it has or has not seen.
	hub := []string{"link set lo up", "link add br0 type bridge mcast_snooping 0", "link set br0 multicast on up"}
	for i, ns := range nm.nodes {
		v := fmt.Sprintf("veth%d", i+1)
		hub = append(hub,
			fmt.Sprintf("link add %s type veth peer name eth0 netns %s", v, ns),
			fmt.Sprintf("link set %s master br0 multicast on up", v))
	}
	if err := ip(nm.hub, strings.Join(hub, "\n")); err != nil {
		return err
	}
	for i, ns := range nm.nodes {
		node := Node{Namespace: ns, Interface: "eth0", IP: nth(nm.v4, i+1), IP6: nth(nm.v6, i+1)}
		err := ip(ns, strings.Join([]string{
			"link set lo up",
			fmt.Sprintf("addr add %s dev eth0", netip.PrefixFrom(node.IP, nm.v4.Bits())),
			// nodad: the address is usable at once instead of after
			// about a second of duplicate address detection.
			fmt.Sprintf("addr add %s dev eth0 nodad", netip.PrefixFrom(node.IP6, nm.v6.Bits())),
			"link set eth0 multicast on up",
		}, "\n"))
		if err != nil {
			return err
		}
		h.Nodes = append(h.Nodes, node)
	}
	return nil
}

// Tap is a tap device on the home's bridge, for a virtual machine: QEMU,
// run in Namespace (the hub), attaches to it by name (-netdev
// tap,ifname=NAME,script=no,downscript=no), and the machine inside takes
// IP, in Prefix, as its address.
type Tap struct {
	Namespace, Name string
	IP              netip.Addr
	Prefix          netip.Prefix
}

// AddTap adds a tap device to the bridge, with an address for the
// machine behind it after the nodes'.
func (h *Home) AddTap() (Tap, error) {
	if h.Hub == "" {
		return Tap{}, errors.New("netnstest: a loopback home has no bridge for a tap")
	}
	h.taps++
	t := Tap{Namespace: h.Hub, Name: fmt.Sprintf("tap%d", h.taps), IP: nth(h.Prefix, len(h.Nodes)+h.taps), Prefix: h.Prefix}
	err := ip(h.Hub, strings.Join([]string{
		"tuntap add dev " + t.Name + " mode tap",
		"link set " + t.Name + " master br0 multicast on up",
	}, "\n"))
	return t, err
}

// BuildLoopback creates a Home of one namespace whose only interface is lo,
// up and with multicast on: the smallest place where mDNS can run.
func BuildLoopback(prefix string) (*Home, error) {
	if err := Supported(); err != nil {
		return nil, err
	}
	ns := newNames(prefix, 1).nodes[0]
	h := &Home{
		Prefix:     netip.MustParsePrefix("127.0.0.0/8"),
		Nodes:      []Node{{Namespace: ns, Interface: "lo", IP: netip.AddrFrom4([4]byte{127, 0, 0, 1}), IP6: netip.IPv6Loopback()}},
		namespaces: []string{ns},
	}
	err := ip("", "netns add "+ns)
	if err == nil {
		err = ip(ns, "link set lo multicast on up")
	}
	if err != nil {
		return nil, errors.Join(err, h.Close())
	}
	return h, nil
}

// Close deletes every namespace of the Home, going on after errors, and
// returns them joined. Processes still running inside a node keep its
// namespace alive (without its name) until they exit: stop them first.
func (h *Home) Close() error {
	var errs []error
	for _, ns := range h.namespaces {
		errs = append(errs, deleteNamespace(ns))
	}
	return errors.Join(errs...)
}

// Namespaces lists the namespaces of the Home, hub first when there is one.
func (h *Home) Namespaces() []string {
	return append([]string(nil), h.namespaces...)
}

// NewHome is Build for tests: it skips t when namespaces are unavailable,
// fails it when building fails, and deletes the Home in t.Cleanup.
func NewHome(t testing.TB, prefix string, n int) *Home {
	t.Helper()
	Require(t)
	return cleanup(t)(Build(prefix, n))
}

// NewLoopback is BuildLoopback for tests, with NewHome's skip and cleanup.
func NewLoopback(t testing.TB, prefix string) *Home {
	t.Helper()
	Require(t)
	return cleanup(t)(BuildLoopback(prefix))
}

func cleanup(t testing.TB) func(*Home, error) *Home {
	return func(h *Home, err error) *Home {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			if err := h.Close(); err != nil {
				t.Errorf("netnstest: deleting home: %v", err)
			}
		})
		return h
	}
}
