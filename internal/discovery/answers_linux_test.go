package discovery

import (
	"context"
	"log/slog"
	"net"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hearth-home/hearth/hearthtest/netnstest"
	"github.com/miekg/dns"
)

// These tests run real mDNS, but only inside namespaces they create (see
// discovery_test.go).

const testService = "_hearth._tcp.local."

func testLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// sniff listens on lo and counts the responses that carry instance inst's
// PTR with a TTL above zero.
func sniff(t *testing.T, inst string) (c *conn, count func() int) {
	lo, err := net.InterfaceByName("lo")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	n := 0
	c, err = listen([]net.Interface{*lo}, func(m *dns.Msg, _ netip.AddrPort) {
		for _, e := range entries(m, testService) {
			if m.Response && strings.EqualFold(e.instance, inst) && !e.goodbye {
				mu.Lock()
				n++
				mu.Unlock()
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.close() })
	return c, func() int {
		mu.Lock()
		defer mu.Unlock()
		k := n
		n = 0
		return k
	}
}

// TestAnswers checks what Hearth relies on in zeroconf's server: a node
// announces itself unasked as it starts, answers a query for the service,
// and keeps quiet when the query already lists its PTR (known-answer
// suppression, RFC 6762 7.1).
func TestAnswers(t *testing.T) {
	if _, ok := netnstest.InChild(); ok {
		answers(t)
		return
	}
	h := netnstest.NewLoopback(t, "disc")
	netnstest.RunInNamespace(t, h.Nodes[0].Namespace, t.Name(), "answers")
}

func answers(t *testing.T) {
	const inst = "n1-abc." + testService
	sniffer, count := sniff(t, inst)
	cfg := Config{Interval: time.Minute, Logger: testLogger(t)} // one query of its own, as it starts
	d := New(cfg, Announcement{ID: "N1", Name: "n1", Instance: "abc", Port: 1})
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()
	defer func() { cancel(); <-done }()

	time.Sleep(2500 * time.Millisecond) // past its probes and two announcements
	if n := count(); n < 2 {
		t.Errorf("%d responses at start, want its announcements (2 or more)", n)
	}

	query := new(dns.Msg)
	query.SetQuestion(testService, dns.TypePTR)
	if err := sniffer.send(query); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	n := count()
	t.Logf("one query sent over %s drew %d answers", sniffer.families(), n)
	if n == 0 {
		t.Error("a query for the service drew no answer")
	}

	query.Answer = []dns.RR{&dns.PTR{Hdr: dns.RR_Header{Name: testService, Rrtype: dns.TypePTR, Class: dns.ClassINET, Ttl: 3200}, Ptr: inst}}
	if err := sniffer.send(query); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	if n := count(); n != 0 {
		t.Errorf("a query that knew the answer drew %d answers, want none", n)
	}
}

// TestSplitAddress: a responder that sends its service records without
// its address, and the address only when asked for it (as some do, and as
// any may when the answer does not fit one packet), is found, with the
// address: the watcher asks for it.
func TestSplitAddress(t *testing.T) {
	if _, ok := netnstest.InChild(); ok {
		splitAddress(t)
		return
	}
	h := netnstest.NewLoopback(t, "disc")
	netnstest.RunInNamespace(t, h.Nodes[0].Namespace, t.Name(), "split")
}

func splitAddress(t *testing.T) {
	lo, err := net.InterfaceByName("lo")
	if err != nil {
		t.Fatal(err)
	}
	peer := Announcement{ID: "SPLIT", Instance: "s1", Role: RoleGateway, Port: 7443}
	full := Answer(Config{}, peer, []netip.Addr{netip.MustParseAddr("127.0.0.1")}, 120)
	services := &dns.Msg{MsgHdr: full.MsgHdr, Answer: full.Answer, Extra: full.Extra[:2]} // PTR, SRV, TXT
	addrs := &dns.Msg{MsgHdr: full.MsgHdr, Answer: full.Extra[2:]}                        // A
	host := full.Extra[0].(*dns.SRV).Target

	var mu sync.Mutex
	asked := 0
	var self atomic.Pointer[conn] // the handler may run before listen returns
	responder, err := listen([]net.Interface{*lo}, func(m *dns.Msg, _ netip.AddrPort) {
		if m.Response {
			return
		}
		for _, q := range m.Question {
			switch {
			case q.Qtype == dns.TypePTR && strings.EqualFold(q.Name, testService):
				if c := self.Load(); c != nil {
					c.send(services)
				}
			case q.Qtype == dns.TypeA && strings.EqualFold(q.Name, host):
				mu.Lock()
				asked++
				mu.Unlock()
				if c := self.Load(); c != nil {
					c.send(addrs)
				}
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	self.Store(responder)
	defer responder.close()

	d := New(Config{Interval: 300 * time.Millisecond, Logger: testLogger(t)}, Announcement{ID: "OBSERVER", Port: 1})
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()
	defer func() { cancel(); <-done }()

	wctx, wcancel := context.WithTimeout(t.Context(), 3*time.Second)
	defer wcancel()
	p, err := d.Wait(wctx, func(p Peer) bool { return p.ID == "SPLIT" })
	if err != nil {
		t.Fatalf("a responder whose address comes apart was not found: %v", err)
	}
	if want := netip.MustParseAddr("127.0.0.1"); len(p.Addrs) != 1 || p.Addrs[0] != want || p.Port != 7443 {
		t.Errorf("found %+v, want 127.0.0.1 port 7443", p)
	}
	// Later rounds use the addresses heard, asking at most once a second
	// while nobody answers.
	time.Sleep(1500 * time.Millisecond)
	mu.Lock()
	defer mu.Unlock()
	if asked < 1 || asked > 3 {
		t.Errorf("the host was asked for %d times in 2 s, want 1-3", asked)
	}
	if ps := d.Peers(); len(ps) != 1 {
		t.Errorf("peers = %+v, want SPLIT", ps)
	}
}
