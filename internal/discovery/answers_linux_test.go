package discovery_test

import (
	"net"
	"net/netip"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/hearth-home/hearth/hearthtest/netnstest"
	"github.com/hearth-home/hearth/internal/discovery"
	"github.com/hearth-home/hearth/internal/mdns"
)

// TestAnswers counts what a node sends: one answer to a query that comes
// in twice (over IPv4 and IPv6), none to a query that already knows its
// record (how a node keeps from answering its own queries), and none to a
// query from a port other than 5353, which could aim answers at a third
// party.
func TestAnswers(t *testing.T) {
	if _, ok := netnstest.InChild(); ok {
		answers(t)
		return
	}
	h := netnstest.NewLoopback(t, "disc")
	netnstest.RunInNamespace(t, h.Nodes[0].Namespace, t.Name(), "answers")
}

const svc = "_hearth._tcp.local."

func answers(t *testing.T) {
	lo, err := net.InterfaceByName("lo")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var v4, v6 int
	sniffer, err := mdns.Listen([]net.Interface{*lo}, func(m *mdns.Message, from netip.AddrPort) {
		if !m.Response || len(m.Answers) == 0 || m.Answers[0].Target != "n1-abc."+svc {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		if from.Addr().Unmap().Is4() {
			v4++
		} else {
			v6++
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	defer sniffer.Close()
	count := func() (int, int) {
		mu.Lock()
		defer mu.Unlock()
		a, b := v4, v6
		v4, v6 = 0, 0
		return a, b
	}

	cfg := testConfig(t, 10*time.Second) // one query of its own, as it starts
	start(t, t.Context(), discovery.New(cfg, discovery.Announcement{ID: "N1", Name: "n1", Instance: "abc", Port: 1}))
	time.Sleep(2200 * time.Millisecond) // past its two announcements and the answer gap
	if a, b := count(); a != 2 {
		t.Errorf("%d+%d announcements at start (IPv4+IPv6), want 2 over IPv4", a, b)
	}

	query := &mdns.Message{Questions: []mdns.Question{{Name: svc, Type: mdns.TypePTR}}}
	if err := sniffer.Send(query); err != nil {
		t.Fatal(err)
	}
	time.Sleep(400 * time.Millisecond)
	a, b := count()
	t.Logf("one query sent over %s: %d answers over IPv4, %d over IPv6", sniffer.Families(), a, b)
	if a != 1 || b > 1 {
		t.Errorf("one query (two copies) drew %d answers over IPv4 and %d over IPv6, want one answer", a, b)
	}

	query.Answers = []mdns.Record{{Name: svc, Type: mdns.TypePTR, TTL: 120, Target: "N1-ABC." + svc}}
	if err := sniffer.Send(query); err != nil {
		t.Fatal(err)
	}
	time.Sleep(1300 * time.Millisecond)
	if a, b := count(); a+b != 0 {
		t.Errorf("a query that knew the answer drew %d+%d answers, want none", a, b)
	}

	// A plain DNS query from another port (dig -p 5353 @224.0.0.251).
	c, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	rc, _ := c.SyscallConn()
	rc.Control(func(fd uintptr) { // this namespace has no route to 224.0.0.0/4
		err = syscall.SetsockoptIPMreqn(int(fd), syscall.IPPROTO_IP, syscall.IP_MULTICAST_IF, &syscall.IPMreqn{Ifindex: int32(lo.Index)})
	})
	if err != nil {
		t.Fatal(err)
	}
	b2, _ := (&mdns.Message{ID: 7, Questions: []mdns.Question{{Name: svc, Type: mdns.TypePTR}}}).Pack()
	if _, err := c.WriteToUDPAddrPort(b2, mdns.GroupV4); err != nil {
		t.Fatal(err)
	}
	c.SetReadDeadline(time.Now().Add(1300 * time.Millisecond))
	if n, from, err := c.ReadFromUDPAddrPort(make([]byte, 9000)); err == nil {
		t.Errorf("a query from port %d got %d bytes back from %v, want nothing", c.LocalAddr().(*net.UDPAddr).Port, n, from)
	}
	if a, b := count(); a+b != 0 {
		t.Errorf("a query from another port drew %d+%d multicast answers, want none", a, b)
	}
}
