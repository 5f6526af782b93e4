package hearthinit

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/insomniacslk/dhcp/dhcpv4"
	"github.com/insomniacslk/dhcp/dhcpv4/server4"
	"github.com/vishvananda/netlink"

	"github.com/hearth-home/hearth/hearthtest/netnstest"
)

// The DHCP test's network: a server namespace and a client namespace
// joined by a veth pair, made by the test and deleted after it; the
// client's end is called eth0, as on a device.
var (
	dhcpServerAddr = netip.MustParsePrefix("10.77.5.1/24")
	dhcpLeaseAddr  = netip.MustParsePrefix("10.77.5.50/24")
	dhcpDNS        = netip.MustParseAddr("10.77.5.53")
)

const dhcpLease = 4 * time.Second // T1 at 2 s: the test sees a renewal

// TestDHCP runs DHCP.Run against insomniacslk/dhcp's server4 in another
// namespace: the lease's address, default route and name server are
// applied, the lease is renewed at T1, the hostname reaches the server,
// and a cable unplugged and plugged in again brings a new request.
func TestDHCP(t *testing.T) {
	if role, ok := netnstest.InChild(); ok {
		switch role {
		case "server":
			dhcpServer(t)
		case "client":
			dhcpClient(t)
		}
		return
	}
	netnstest.Require(t)
	id := make([]byte, 3)
	rand.Read(id)
	sfx := hex.EncodeToString(id)
	srv, cli := "hidhcps-"+sfx, "hidhcpc-"+sfx
	ipc := func(args ...string) {
		t.Helper()
		if out, err := exec.Command("ip", args...).CombinedOutput(); err != nil {
			t.Fatalf("ip %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	ipc("netns", "add", srv)
	t.Cleanup(func() { exec.Command("ip", "netns", "del", srv).Run() })
	ipc("netns", "add", cli)
	t.Cleanup(func() { exec.Command("ip", "netns", "del", cli).Run() })
	ipc("link", "add", "hids"+sfx, "netns", srv, "type", "veth", "peer", "name", "eth0", "netns", cli)
	ipc("-n", srv, "addr", "add", dhcpServerAddr.String(), "dev", "hids"+sfx)
	ipc("-n", srv, "link", "set", "hids"+sfx, "up")
	ipc("-n", srv, "link", "set", "lo", "up")

	server := netnstest.StartInNamespace(t, srv, t.Name(), "server", "HI_DHCP_IFACE=hids"+sfx)
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	if err := server.WaitReady(ctx); err != nil {
		t.Fatal(err)
	}
	client := netnstest.StartInNamespace(t, cli, t.Name(), "client")
	if err := client.WaitReady(ctx); err != nil {
		t.Fatal(err)
	}
	// The client has its lease, renewed once. Unplug its cable and plug it
	// in again: it must ask anew.
	ipc("-n", srv, "link", "set", "hids"+sfx, "down")
	time.Sleep(500 * time.Millisecond)
	ipc("-n", srv, "link", "set", "hids"+sfx, "up")
	if err := client.Wait(); err != nil {
		t.Fatal(err)
	}
	// The server saw the device's name, a renewal and the request after
	// the cable came back.
	out := server.Output()
	if !strings.Contains(out, "REQUEST from hearth-test") || strings.Count(out, "REQUEST from") < 3 {
		t.Errorf("the server did not see a request, a renewal and a new request from hearth-test:\n%s", out)
	}
	server.Interrupt()
	server.Wait()
}

func dhcpServer(t *testing.T) {
	iface := os.Getenv("HI_DHCP_IFACE")
	handler := func(conn net.PacketConn, peer net.Addr, m *dhcpv4.DHCPv4) {
		if m.MessageType() == dhcpv4.MessageTypeRequest {
			fmt.Printf("REQUEST from %s\n", m.HostName())
		}
		if err := answerDHCP(conn, m, dhcpLeaseAddr, dhcpServerAddr.Addr(), dhcpLease,
			dhcpv4.WithDNS(dhcpDNS.AsSlice()),
			dhcpv4.WithDomainSearchList("home.arpa"),
			dhcpv4.WithOption(dhcpv4.OptDomainName("home.arpa"))); err != nil {
			t.Error(err)
		}
	}
	s, err := server4.NewServer(iface, &net.UDPAddr{IP: net.IPv4zero, Port: dhcpv4.ServerPort}, handler)
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := signal.NotifyContext(t.Context(), os.Interrupt)
	defer stop()
	go s.Serve()
	netnstest.Ready()
	<-ctx.Done()
	s.Close()
}

func dhcpClient(t *testing.T) {
	var log syncBuffer
	n, err := NewNet(NewLogger(&log, nil, slog.LevelInfo))
	if err != nil {
		t.Fatal(err)
	}
	n.ResolvConf = filepath.Join(t.TempDir(), "resolv.conf")
	must(t, n.Loopback())
	eth, err := n.WaitEthernet(t.Context(), 5*time.Second)
	if err != nil || len(eth) != 1 || eth[0].Attrs().Name != "eth0" {
		t.Fatalf("WaitEthernet = %v, %v", eth, err)
	}
	var leases atomic.Int32
	renewed, again := make(chan struct{}), make(chan struct{})
	d := &DHCP{Net: n, Link: eth[0], Hostname: "hearth-test", Timeout: time.Second, CarrierEvery: 100 * time.Millisecond,
		OnLease: func(p netip.Prefix) {
			if p != dhcpLeaseAddr {
				t.Errorf("lease %s, want %s", p, dhcpLeaseAddr)
			}
			switch leases.Add(1) {
			case 2:
				close(renewed)
			case 3:
				close(again)
			}
		}}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()
	select {
	case <-renewed:
	case <-time.After(15 * time.Second):
		t.Fatalf("no lease and renewal within 15 s (%d leases); log:\n%s", leases.Load(), log.String())
	}
	netnstest.Ready() // the parent unplugs the cable and plugs it in again
	select {
	case <-again:
	case <-time.After(10 * time.Second):
		t.Fatalf("no new lease within 10 s of the cable coming back (%d leases); log:\n%s", leases.Load(), log.String())
	}
	if !strings.Contains(log.String(), "the cable is back; asking for a lease anew") {
		t.Errorf("log:\n%s", log.String())
	}

	addrs, err := n.H.AddrList(eth[0], netlink.FAMILY_V4)
	if err != nil || len(addrs) != 1 || addrs[0].IPNet.String() != dhcpLeaseAddr.String() {
		t.Errorf("eth0 addresses %v, %v; want %s", addrs, err, dhcpLeaseAddr)
	}
	routes, err := n.H.RouteList(nil, netlink.FAMILY_V4)
	var gw bool
	for _, r := range routes {
		if r.Dst == nil || r.Dst.IP.IsUnspecified() {
			gw = r.Gw.Equal(dhcpServerAddr.Addr().AsSlice())
		}
	}
	if err != nil || !gw {
		t.Errorf("no default route via %s: %v %v", dhcpServerAddr.Addr(), routes, err)
	}
	b, _ := os.ReadFile(n.ResolvConf)
	if !strings.Contains(string(b), "nameserver 10.77.5.53\n") || !strings.Contains(string(b), "search home.arpa\n") {
		t.Errorf("resolv.conf:\n%s", b)
	}
	if !strings.Contains(log.String(), "network up iface=eth0 addr=10.77.5.50/24") {
		t.Errorf("log:\n%s", log.String())
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run = %v", err)
	}
	// The address outlives Run: a role stopping at shutdown still has it.
	if addrs, _ := n.H.AddrList(eth[0], netlink.FAMILY_V4); len(addrs) != 1 {
		t.Errorf("addresses after Run: %v", addrs)
	}
}

// TestStaticNetwork: ip, router and dns from hearth.txt, on an eth0 (one
// end of a veth pair).
func TestStaticNetwork(t *testing.T) {
	if _, ok := netnstest.InChild(); ok {
		staticChild(t)
		return
	}
	netnstest.Require(t)
	id := make([]byte, 3)
	rand.Read(id)
	ns := "histatic-" + hex.EncodeToString(id)
	if out, err := exec.Command("ip", "netns", "add", ns).CombinedOutput(); err != nil {
		t.Fatalf("ip netns add: %v\n%s", err, out)
	}
	t.Cleanup(func() { exec.Command("ip", "netns", "del", ns).Run() })
	for _, args := range [][]string{{"link", "add", "eth0", "type", "veth", "peer", "name", "peer0"}, {"link", "set", "peer0", "up"}} {
		if out, err := exec.Command("ip", append([]string{"-n", ns}, args...)...).CombinedOutput(); err != nil {
			t.Fatalf("ip %v: %v\n%s", args, err, out)
		}
	}
	netnstest.RunInNamespace(t, ns, t.Name(), "static")
}

func staticChild(t *testing.T) {
	n, err := NewNet(slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	n.ResolvConf = filepath.Join(t.TempDir(), "etc", "resolv.conf")
	eth, err := n.WaitEthernet(t.Context(), time.Second)
	if err != nil {
		t.Fatal(err)
	}
	ip, router := netip.MustParsePrefix("192.168.1.50/24"), netip.MustParseAddr("192.168.1.1")
	dns := []netip.Addr{router, netip.MustParseAddr("9.9.9.9")}
	must(t, n.Static(eth[0], ip, router, dns))
	addrs, _ := n.H.AddrList(eth[0], netlink.FAMILY_V4)
	if len(addrs) != 1 || addrs[0].IPNet.String() != "192.168.1.50/24" {
		t.Errorf("addresses %v", addrs)
	}
	routes, _ := n.H.RouteList(eth[0], netlink.FAMILY_V4)
	var gw bool
	for _, r := range routes {
		gw = gw || (r.Dst == nil || r.Dst.IP.IsUnspecified()) && r.Gw.Equal(router.AsSlice())
	}
	if !gw {
		t.Errorf("no default route via %s: %v", router, routes)
	}
	b, _ := os.ReadFile(n.ResolvConf)
	if string(b) != "# written by hearth-init\nnameserver 192.168.1.1\nnameserver 9.9.9.9\n" {
		t.Errorf("resolv.conf %q", b)
	}
}

// answerDHCP answers a DISCOVER with an OFFER and a REQUEST with an ACK of
// lease from server, by broadcast (the client has no address yet); it
// ignores other messages.
func answerDHCP(conn net.PacketConn, m *dhcpv4.DHCPv4, lease netip.Prefix, server netip.Addr, d time.Duration, extra ...dhcpv4.Modifier) error {
	var typ dhcpv4.MessageType
	switch m.MessageType() {
	case dhcpv4.MessageTypeDiscover:
		typ = dhcpv4.MessageTypeOffer
	case dhcpv4.MessageTypeRequest:
		typ = dhcpv4.MessageTypeAck
	default:
		return nil
	}
	mods := append([]dhcpv4.Modifier{
		dhcpv4.WithMessageType(typ),
		dhcpv4.WithYourIP(lease.Addr().AsSlice()),
		dhcpv4.WithServerIP(server.AsSlice()),
		dhcpv4.WithOption(dhcpv4.OptServerIdentifier(server.AsSlice())),
		dhcpv4.WithNetmask(net.CIDRMask(lease.Bits(), 32)),
		dhcpv4.WithRouter(server.AsSlice()),
		dhcpv4.WithLeaseTime(uint32(d / time.Second)),
	}, extra...)
	reply, err := dhcpv4.NewReplyFromRequest(m, mods...)
	if err != nil {
		return fmt.Errorf("reply: %w", err)
	}
	if _, err := conn.WriteTo(reply.ToBytes(), &net.UDPAddr{IP: net.IPv4bcast, Port: dhcpv4.ClientPort}); err != nil {
		return fmt.Errorf("send: %w", err)
	}
	return nil
}
