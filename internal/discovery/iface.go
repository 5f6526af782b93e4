package discovery

import (
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strings"
)

// nic is a network interface with its addresses, as read from the system.
type nic struct {
	net.Interface
	Addrs []netip.Addr
}

// links is what Run announces and browses on.
type links struct {
	ifaces []net.Interface
	addrs  []netip.Addr // announced in A and AAAA records
}

// key identifies a choice of links, to notice when it changes.
func (l links) key() string {
	var b strings.Builder
	for _, ifi := range l.ifaces {
		fmt.Fprintf(&b, "%s#%d ", ifi.Name, ifi.Index)
	}
	for _, a := range l.addrs {
		b.WriteString(a.String() + " ")
	}
	return b.String()
}

func (l links) names() []string {
	var n []string
	for _, ifi := range l.ifaces {
		n = append(n, ifi.Name)
	}
	return n
}

// systemNICs reads the interfaces of the running system.
func systemNICs() ([]nic, error) {
	ifs, err := net.Interfaces()
	if err != nil {
		return nil, fmt.Errorf("discovery: listing interfaces: %w", err)
	}
	nics := make([]nic, 0, len(ifs))
	for _, ifi := range ifs {
		n := nic{Interface: ifi}
		as, _ := ifi.Addrs() // an interface that vanished meanwhile just has none
		for _, a := range as {
			if ipn, ok := a.(*net.IPNet); ok {
				if ip, ok := netip.AddrFromSlice(ipn.IP); ok {
					n.Addrs = append(n.Addrs, ip.Unmap())
				}
			}
		}
		nics = append(nics, n)
	}
	return nics, nil
}

// pickLinks chooses the interfaces named in want (all, when want is empty)
// that are up, multicast-capable and have an address, and the addresses to
// announce on them. Loopback addresses are announced only when there is no
// other, so a host whose lo has multicast on does not tell the LAN to reach
// it at 127.0.0.1; IPv6 link-local ones only when there is no other either,
// because a receiver cannot tell which of its interfaces they belong to.
func pickLinks(all []nic, want []string) (links, error) {
	var l links
	var refused []string
	consider := all
	if len(want) > 0 {
		consider = nil
		for _, name := range want {
			i := slices.IndexFunc(all, func(n nic) bool { return n.Name == name })
			if i < 0 {
				refused = append(refused, name+": no such interface")
				continue
			}
			consider = append(consider, all[i])
		}
	}
	var global, linkLocal, loopback []netip.Addr
	for _, n := range consider {
		switch {
		case n.Flags&net.FlagUp == 0:
			refused = append(refused, n.Name+": down")
			continue
		case n.Flags&net.FlagMulticast == 0:
			refused = append(refused, n.Name+": no multicast")
			continue
		case len(n.Addrs) == 0:
			refused = append(refused, n.Name+": no address")
			continue
		}
		l.ifaces = append(l.ifaces, n.Interface)
		for _, a := range n.Addrs {
			switch {
			case a.IsLoopback():
				loopback = append(loopback, a)
			case a.Is6() && a.IsLinkLocalUnicast():
				linkLocal = append(linkLocal, a)
			case a.IsGlobalUnicast() || a.IsLinkLocalUnicast():
				global = append(global, a)
			}
		}
	}
	switch {
	case len(global) > 0:
		l.addrs = global
	case len(linkLocal) > 0:
		l.addrs = linkLocal
	default:
		l.addrs = loopback
	}
	if len(l.ifaces) == 0 || len(l.addrs) == 0 {
		if len(refused) == 0 {
			refused = append(refused, "no interfaces")
		}
		return links{}, fmt.Errorf("%w (%s)", ErrNoInterface, strings.Join(refused, "; "))
	}
	slices.SortFunc(l.addrs, netip.Addr.Compare)
	l.addrs = slices.Compact(l.addrs)
	return l, nil
}
