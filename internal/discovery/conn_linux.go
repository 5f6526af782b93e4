package discovery

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"

	"github.com/miekg/dns"
)

// The mDNS port and groups (RFC 6762 3), and the largest packet read.
const (
	mdnsPort  = 5353
	maxPacket = 9000 // RFC 6762 17: a packet may fill a jumbo frame
)

var (
	groupV4 = netip.AddrPortFrom(netip.AddrFrom4([4]byte{224, 0, 0, 251}), mdnsPort)
	groupV6 = netip.AddrPortFrom(netip.MustParseAddr("ff02::fb"), mdnsPort)
)

// Socket options the syscall package does not name (linux/in.h, in6.h).
const (
	ipMulticastAll   = 49
	ipv6MulticastAll = 29
)

// conn is a pair of sockets, IPv4 and IPv6, joined to the mDNS groups on
// some interfaces, that sends to the groups on each of them and hands every
// message received to a handler. It is the watcher's: zeroconf's server and
// resolver keep their own sockets, which read every interface and every
// source port; this one reads only multicast from port 5353 that came in
// on a chosen interface.
type conn struct {
	fams    []*family
	handle  func(*dns.Msg, netip.AddrPort)
	dropped atomic.Uint64
	wg      sync.WaitGroup
}

// family is the socket of one IP version and the interfaces it joined on.
type family struct {
	name   string
	udp    *net.UDPConn
	group  netip.AddrPort
	ifaces []net.Interface
	mu     sync.Mutex // a send sets the socket's multicast interface, then writes
}

// listen joins the mDNS groups on ifaces, for IPv4 and IPv6 each where
// the system allows, and calls handle from its own goroutines for every
// message received (a node hears its own too) until Close. It fails only
// when neither version could join on any interface; the error says what
// went wrong for each.
//
// The sockets share port 5353 with other programs (SO_REUSEADDR), and loop
// multicast back so that nodes on one host hear each other.
func listen(ifaces []net.Interface, handle func(m *dns.Msg, from netip.AddrPort)) (*conn, error) {
	if len(ifaces) == 0 {
		return nil, errors.New("discovery: mdns: no interfaces to listen on")
	}
	c := &conn{handle: handle}
	var errs []string
	for _, v := range []struct {
		name, network, bind string
		group               netip.AddrPort
	}{
		// Both bind the wildcard: a socket bound to the IPv4 group
		// sends with source 0.0.0.0, and IPv6 cannot bind a link-local
		// group for several links at once. Multicast-all off and
		// fromLink keep out what is not the link's mDNS.
		{"v4", "udp4", fmt.Sprintf("0.0.0.0:%d", mdnsPort), groupV4},
		{"v6", "udp6", fmt.Sprintf("[::]:%d", mdnsPort), groupV6},
	} {
		f, err := open(v.name, v.network, v.bind, v.group, ifaces)
		if err != nil {
			errs = append(errs, err.Error())
			continue
		}
		c.fams = append(c.fams, f)
	}
	if len(c.fams) == 0 {
		return nil, fmt.Errorf("discovery: mdns: cannot listen: %s", strings.Join(errs, "; "))
	}
	for _, f := range c.fams {
		c.wg.Add(1)
		go c.read(f)
	}
	return c, nil
}

func open(name, network, bind string, group netip.AddrPort, ifaces []net.Interface) (*family, error) {
	lc := net.ListenConfig{Control: func(_, _ string, rc syscall.RawConn) error {
		var err error
		if cerr := rc.Control(func(fd uintptr) {
			err = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_REUSEADDR, 1)
		}); cerr != nil {
			return cerr
		}
		return err
	}}
	pc, err := lc.ListenPacket(context.Background(), network, bind)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	f := &family{name: name, udp: pc.(*net.UDPConn), group: group}
	var why []string
	err = f.control(func(fd int) error {
		// TTL 255 (RFC 6762 11) and loopback, so that nodes on one host
		// hear each other.
		// Multicast-all off: the socket reads the group only on the
		// interfaces it joined on, not wherever another program on the
		// host joined it (kernels before 4.20 lack the IPv6 option;
		// fromLink checks the interface anyway). Packet info tells
		// fromLink where each datagram was sent and came in.
		if group.Addr().Is4() {
			_ = syscall.SetsockoptInt(fd, syscall.IPPROTO_IP, ipMulticastAll, 0)
			return errors.Join(
				syscall.SetsockoptInt(fd, syscall.IPPROTO_IP, syscall.IP_PKTINFO, 1),
				syscall.SetsockoptInt(fd, syscall.IPPROTO_IP, syscall.IP_MULTICAST_TTL, 255),
				syscall.SetsockoptInt(fd, syscall.IPPROTO_IP, syscall.IP_MULTICAST_LOOP, 1))
		}
		_ = syscall.SetsockoptInt(fd, syscall.IPPROTO_IPV6, ipv6MulticastAll, 0)
		return errors.Join(
			syscall.SetsockoptInt(fd, syscall.IPPROTO_IPV6, syscall.IPV6_RECVPKTINFO, 1),
			syscall.SetsockoptInt(fd, syscall.IPPROTO_IPV6, syscall.IPV6_MULTICAST_HOPS, 255),
			syscall.SetsockoptInt(fd, syscall.IPPROTO_IPV6, syscall.IPV6_MULTICAST_LOOP, 1))
	})
	if err != nil {
		f.udp.Close()
		return nil, fmt.Errorf("%s: socket options: %w", name, err)
	}
	for _, ifi := range ifaces {
		if err := f.control(func(fd int) error { return join(fd, group.Addr(), ifi.Index) }); err != nil {
			why = append(why, fmt.Sprintf("%s on %s: %v", name, ifi.Name, err))
			continue
		}
		f.ifaces = append(f.ifaces, ifi)
	}
	if len(f.ifaces) == 0 {
		f.udp.Close()
		return nil, errors.New(strings.Join(why, "; "))
	}
	return f, nil
}

func join(fd int, group netip.Addr, index int) error {
	if group.Is4() {
		return syscall.SetsockoptIPMreqn(fd, syscall.IPPROTO_IP, syscall.IP_ADD_MEMBERSHIP,
			&syscall.IPMreqn{Multiaddr: group.As4(), Ifindex: int32(index)})
	}
	return syscall.SetsockoptIPv6Mreq(fd, syscall.IPPROTO_IPV6, syscall.IPV6_JOIN_GROUP,
		&syscall.IPv6Mreq{Multiaddr: group.As16(), Interface: uint32(index)})
}

// setInterface makes the next multicast leave through interface index.
func setInterface(fd int, group netip.Addr, index int) error {
	if group.Is4() {
		return syscall.SetsockoptIPMreqn(fd, syscall.IPPROTO_IP, syscall.IP_MULTICAST_IF, &syscall.IPMreqn{Ifindex: int32(index)})
	}
	return syscall.SetsockoptInt(fd, syscall.IPPROTO_IPV6, syscall.IPV6_MULTICAST_IF, index)
}

func (f *family) control(fn func(fd int) error) error {
	rc, err := f.udp.SyscallConn()
	if err != nil {
		return err
	}
	var ferr error
	if err := rc.Control(func(fd uintptr) { ferr = fn(int(fd)) }); err != nil {
		return err
	}
	return ferr
}

// families says which IP versions listen, and where: "v4 [eth0] v6 [eth0]".
func (c *conn) families() string {
	var b strings.Builder
	for i, f := range c.fams {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(f.name + " [")
		for j, ifi := range f.ifaces {
			if j > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(ifi.Name)
		}
		b.WriteByte(']')
	}
	return b.String()
}

// fromLink reports whether a packet may be read: mDNS comes from port
// 5353 (RFC 6762 6: anything else is a plain DNS query, which gets no
// unicast answer here, so that nobody can aim answers at a third party),
// and only what was sent to the group, on an interface that joined it,
// is the link's (11: the sockets, bound to the wildcard, would also read
// unicast from anywhere, and the group on interfaces not chosen where
// the kernel cannot be told otherwise).
func (f *family) fromLink(src netip.AddrPort, oob []byte) bool {
	if src.Port() != mdnsPort {
		return false
	}
	dst, ifindex, ok := pktinfo(oob)
	return ok && dst == f.group.Addr() && slices.ContainsFunc(f.ifaces, func(ifi net.Interface) bool { return ifi.Index == ifindex })
}

// pktinfo reads the destination address and the arrival interface from a
// datagram's control messages (IP_PKTINFO, IPV6_PKTINFO).
func pktinfo(oob []byte) (dst netip.Addr, ifindex int, ok bool) {
	msgs, err := syscall.ParseSocketControlMessage(oob)
	if err != nil {
		return netip.Addr{}, 0, false
	}
	for _, m := range msgs {
		switch {
		case m.Header.Level == syscall.IPPROTO_IP && m.Header.Type == syscall.IP_PKTINFO && len(m.Data) >= 12:
			// struct in_pktinfo: int ifindex; in_addr spec_dst, addr.
			return netip.AddrFrom4([4]byte(m.Data[8:12])), int(int32(binary.NativeEndian.Uint32(m.Data[0:]))), true
		case m.Header.Level == syscall.IPPROTO_IPV6 && m.Header.Type == syscall.IPV6_PKTINFO && len(m.Data) >= 20:
			// struct in6_pktinfo: in6_addr addr; unsigned int ifindex.
			return netip.AddrFrom16([16]byte(m.Data[0:16])), int(binary.NativeEndian.Uint32(m.Data[16:])), true
		}
	}
	return netip.Addr{}, 0, false
}

// droppedCount returns how many packets received were not mDNS messages, or
// came from elsewhere than the link.
func (c *conn) droppedCount() uint64 { return c.dropped.Load() }

// send multicasts m on every interface of every IP version. It returns
// the errors of the sends that failed, joined, when none succeeded.
func (c *conn) send(m *dns.Msg) error {
	b, err := m.Pack()
	if err != nil {
		return err
	}
	var errs []error
	sent := false
	for _, f := range c.fams {
		f.mu.Lock()
		for _, ifi := range f.ifaces {
			err := f.control(func(fd int) error { return setInterface(fd, f.group.Addr(), ifi.Index) })
			if err == nil {
				_, err = f.udp.WriteToUDPAddrPort(b, f.group)
			}
			if err != nil {
				errs = append(errs, fmt.Errorf("discovery: mdns: sending on %s %s: %w", f.name, ifi.Name, err))
				continue
			}
			sent = true
		}
		f.mu.Unlock()
	}
	if sent {
		return nil
	}
	return errors.Join(errs...)
}

func (c *conn) read(f *family) {
	defer c.wg.Done()
	buf, oob := make([]byte, maxPacket), make([]byte, 128)
	for {
		n, oobn, _, from, err := f.udp.ReadMsgUDPAddrPort(buf, oob)
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			continue // e.g. a truncated datagram: the next one may be fine
		}
		if !f.fromLink(from, oob[:oobn]) {
			c.dropped.Add(1)
			continue
		}
		m := new(dns.Msg)
		if err := m.Unpack(buf[:n]); err != nil {
			c.dropped.Add(1)
			continue
		}
		c.handle(m, from)
	}
}

// close leaves the groups and waits until no handler runs any more.
func (c *conn) close() error {
	var errs []error
	for _, f := range c.fams {
		errs = append(errs, f.udp.Close())
	}
	c.wg.Wait()
	return errors.Join(errs...)
}
