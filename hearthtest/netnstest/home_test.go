package netnstest_test

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"os"
	"testing"
	"time"

	"golang.org/x/net/ipv4"

	"github.com/hearth-home/hearth/hearthtest/netnstest"
)

// TestHome checks that two nodes of a Home reach each other over the bridge,
// and that each sees only its own eth0 and lo.
func TestHome(t *testing.T) {
	if role, ok := netnstest.InChild(); ok {
		homeChild(t, role)
		return
	}
	h := netnstest.NewHome(t, "nt", 2)
	if len(h.Nodes) != 2 || !h.Prefix.Contains(h.Nodes[0].IP) || !h.Prefix.Contains(h.Nodes[1].IP) {
		t.Fatalf("home = %+v", h)
	}
	for _, ns := range h.Namespaces() {
		if _, err := os.Stat("/run/netns/" + ns); err != nil {
			t.Errorf("namespace %s: %v", ns, err)
		}
	}
	a, b := h.Nodes[0], h.Nodes[1]
	env := []string{"SELF=" + b.IP.String(), "SELF6=" + b.IP6.String()}
	echo := netnstest.StartInNamespace(t, b.Namespace, t.Name(), "echo", env...)
	netnstest.RunInNamespace(t, a.Namespace, t.Name(), "ping",
		"SELF="+a.IP.String(), "SELF6="+a.IP6.String(), "PEER="+b.IP.String())
	if err := echo.Wait(); err != nil {
		t.Error(err)
	}
}

func homeChild(t *testing.T, role string) {
	ifs, err := net.Interfaces()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, ifi := range ifs {
		names = append(names, ifi.Name)
		if ifi.Name == "lo" && ifi.Flags&net.FlagMulticast != 0 {
			t.Errorf("lo has multicast on in a node namespace")
		}
	}
	if len(names) != 2 {
		t.Errorf("interfaces = %v, want lo and eth0", names)
	}
	eth0, err := net.InterfaceByName("eth0")
	if err != nil {
		t.Fatal(err)
	}
	if eth0.Flags&net.FlagUp == 0 || eth0.Flags&net.FlagMulticast == 0 {
		t.Errorf("eth0 flags = %v", eth0.Flags)
	}
	addrs, _ := eth0.Addrs()
	want := map[string]bool{os.Getenv("SELF"): false, os.Getenv("SELF6"): false}
	for _, a := range addrs {
		if p, err := netip.ParsePrefix(a.String()); err == nil {
			if _, ok := want[p.Addr().String()]; ok {
				want[p.Addr().String()] = true
			}
		}
	}
	for a, seen := range want {
		if !seen {
			t.Errorf("eth0 lacks %s (has %v)", a, addrs)
		}
	}

	switch role {
	case "echo":
		c, err := net.ListenPacket("udp4", os.Getenv("SELF")+":7999")
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(10 * time.Second))
		buf := make([]byte, 64)
		n, from, err := c.ReadFrom(buf)
		if err != nil {
			t.Fatal(err)
		}
		c.WriteTo(buf[:n], from)
	case "ping":
		c, err := net.Dial("udp4", os.Getenv("PEER")+":7999")
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		// The echo child may not be listening yet: retry until it answers.
		buf := make([]byte, 64)
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); {
			c.Write([]byte("hello"))
			c.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
			if n, err := c.Read(buf); err == nil && string(buf[:n]) == "hello" {
				return
			}
		}
		t.Fatal("no echo from peer")
	default:
		t.Fatalf("unknown role %q", role)
	}
}

// TestLoopback checks that a loopback Home has only lo, with working
// multicast.
func TestLoopback(t *testing.T) {
	if _, ok := netnstest.InChild(); ok {
		loopbackChild(t)
		return
	}
	h := netnstest.NewLoopback(t, "nt")
	if h.Hub != "" || len(h.Nodes) != 1 || h.Nodes[0].Interface != "lo" {
		t.Fatalf("home = %+v", h)
	}
	netnstest.RunInNamespace(t, h.Nodes[0].Namespace, t.Name(), "lo")
}

func loopbackChild(t *testing.T) {
	ifs, err := net.Interfaces()
	if err != nil {
		t.Fatal(err)
	}
	if len(ifs) != 1 || ifs[0].Name != "lo" || ifs[0].Flags&net.FlagMulticast == 0 || ifs[0].Flags&net.FlagUp == 0 {
		t.Fatalf("interfaces = %+v, want only lo, up, multicast", ifs)
	}
	group := &net.UDPAddr{IP: net.IPv4(239, 255, 42, 1), Port: 7998}
	c, err := net.ListenMulticastUDP("udp4", &ifs[0], group)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	p := ipv4.NewPacketConn(c)
	if err := p.SetMulticastInterface(&ifs[0]); err != nil {
		t.Fatal(err)
	}
	p.SetMulticastLoopback(true)
	if _, err := p.WriteTo([]byte("hi"), nil, group); err != nil {
		t.Fatal(err)
	}
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	buf := make([]byte, 16)
	if n, _, err := c.ReadFrom(buf); err != nil || string(buf[:n]) != "hi" {
		t.Fatalf("multicast on lo: got %q, %v", buf[:n], err)
	}
}

// TestBuildClose checks the non-test API: Close removes every namespace,
// and a bad size is refused.
func TestBuildClose(t *testing.T) {
	if _, ok := netnstest.InChild(); ok {
		return
	}
	netnstest.Require(t)
	if _, err := netnstest.Build("nt", 0); err == nil {
		t.Error("Build with 0 nodes succeeded")
	}
	h, err := netnstest.Build("nt", 3)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(h.Namespaces()); got != 4 {
		t.Errorf("%d namespaces, want 4", got)
	}
	out, err := netnstest.Cmd(h.Nodes[2].Namespace, "ip", "-brief", "addr", "show", "eth0").CombinedOutput()
	if err != nil {
		t.Errorf("Cmd: %v: %s", err, out)
	}
	if err := h.Close(); err != nil {
		t.Fatal(err)
	}
	for _, ns := range h.Namespaces() {
		if _, err := os.Stat("/run/netns/" + ns); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("namespace %s left behind: %v", ns, err)
		}
	}
	if err := h.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

// TestDialContext checks that the test's own process reaches a node of the
// home through DialContext: here the echo child on node b, from node a's
// namespace (the host has no route to the home).
func TestDialContext(t *testing.T) {
	if role, ok := netnstest.InChild(); ok {
		homeChild(t, role)
		return
	}
	h := netnstest.NewHome(t, "nd", 2)
	a, b := h.Nodes[0], h.Nodes[1]
	echo := netnstest.StartInNamespace(t, b.Namespace, t.Name(), "echo", "SELF="+b.IP.String(), "SELF6="+b.IP6.String())
	c, err := netnstest.DialContext(context.Background(), a.Namespace, "udp4", b.IP.String()+":7999")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	buf := make([]byte, 64)
	got := false
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline) && !got; {
		c.Write([]byte("hello"))
		c.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
		n, err := c.Read(buf)
		got = err == nil && string(buf[:n]) == "hello"
	}
	if !got {
		t.Fatal("no echo through a connection dialled in the namespace")
	}
	if err := echo.Wait(); err != nil {
		t.Error(err)
	}
}
