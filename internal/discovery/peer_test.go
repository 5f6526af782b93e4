package discovery

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/miekg/dns"
)

var (
	ip1 = netip.MustParseAddr("10.0.0.1")
	ip2 = netip.MustParseAddr("10.0.0.2")
	ip6 = netip.MustParseAddr("fd00::1")
)

func TestPeerFromEntry(t *testing.T) {
	e := entry{
		text:  []string{"id=A", "instance=1", "role=agent", "junk"},
		port:  7443,
		addrs: []netip.Addr{ip2, ip1, ip2, netip.MustParseAddr("224.0.0.251"), netip.IPv4Unspecified(), ip6, {}, netip.MustParseAddr("::ffff:10.0.0.1")},
	}
	p, bad, err := peerFromEntry(e)
	if err != nil || bad != 1 {
		t.Fatalf("peerFromEntry: %v, %d bad", err, bad)
	}
	want := []netip.Addr{ip1, ip2, ip6}
	if !slices.Equal(p.Addrs, want) || p.Port != 7443 || p.Role != RoleAgent {
		t.Errorf("peer = %+v, want addrs %v", p, want)
	}

	e.port = 0
	if _, _, err := peerFromEntry(e); err == nil {
		t.Error("port 0 accepted")
	}
	e.port, e.addrs = 1, nil
	if _, _, err := peerFromEntry(e); err == nil {
		t.Error("entry without addresses accepted")
	}
}

// TestEntries reads instances out of answers as other responders may
// shape them: records split between sections, names in other case,
// records of other services, an instance whose SRV is missing, TXT
// strings with bytes miekg/dns escapes.
func TestEntries(t *testing.T) {
	const svc = "_hearth._tcp.local."
	hdr := func(name string, typ uint16, ttl uint32) dns.RR_Header {
		return dns.RR_Header{Name: name, Rrtype: typ, Class: dns.ClassINET, Ttl: ttl}
	}
	ptr := func(owner, target string, ttl uint32) dns.RR {
		return &dns.PTR{Hdr: hdr(owner, dns.TypePTR, ttl), Ptr: target}
	}
	m := &dns.Msg{MsgHdr: dns.MsgHdr{Response: true},
		Answer: []dns.RR{
			ptr(svc, "a."+svc, 120),
			ptr("_other._tcp.local.", "o._other._tcp.local.", 120),
			ptr("_HEARTH._tcp.local.", "b."+svc, 0),
			ptr(svc, "c."+svc, 120),
		},
		Extra: []dns.RR{
			&dns.SRV{Hdr: hdr("A."+svc, dns.TypeSRV, 120), Port: 7443, Target: "ha.local."},
			&dns.TXT{Hdr: hdr("a."+svc, dns.TypeTXT, 120), Txt: []string{"id=A", `name=K\195\188che \"1\" \\`}},
			&dns.TXT{Hdr: hdr("a."+svc, dns.TypeTXT, 120), Txt: []string{"id=second"}},
			&dns.A{Hdr: hdr("HA.local.", dns.TypeA, 120), A: ip1.AsSlice()},
			&dns.AAAA{Hdr: hdr("ha.local.", dns.TypeAAAA, 120), AAAA: ip6.AsSlice()},
			&dns.A{Hdr: hdr("hb.local.", dns.TypeA, 120), A: ip2.AsSlice()},
			&dns.SRV{Hdr: hdr("b."+svc, dns.TypeSRV, 0), Port: 1, Target: "hb.local."},
			&dns.TXT{Hdr: hdr("b."+svc, dns.TypeTXT, 0), Txt: []string{"id=B"}},
			&dns.TXT{Hdr: hdr("c."+svc, dns.TypeTXT, 120), Txt: []string{"id=C"}},
		},
	}
	// Through the wire, as the watcher reads it: miekg/dns unpacks TXT
	// strings into its presentation format.
	b, err := m.Pack()
	if err != nil {
		t.Fatal(err)
	}
	m = new(dns.Msg)
	if err := m.Unpack(b); err != nil {
		t.Fatal(err)
	}
	got := entries(m, svc)
	want := []entry{
		{instance: "a." + svc, host: "ha.local.", port: 7443, text: []string{"id=A", `name=Küche "1" \`}, addrs: []netip.Addr{ip1, ip6}, complete: true},
		{instance: "b." + svc, host: "hb.local.", port: 1, text: []string{"id=B"}, addrs: []netip.Addr{ip2}, goodbye: true, complete: true},
		{instance: "c." + svc, text: []string{"id=C"}},
	}
	if len(got) != len(want) {
		t.Fatalf("entries = %+v, want %+v", got, want)
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.instance != w.instance || g.host != w.host || g.port != w.port || !slices.Equal(g.text, w.text) || !slices.Equal(g.addrs, w.addrs) || g.goodbye != w.goodbye || g.complete != w.complete {
			t.Errorf("entry %d = %+v, want %+v", i, g, w)
		}
	}

	// A flood of instances in one packet is cut at maxInstances, and an
	// instance named twice is read once.
	m = &dns.Msg{MsgHdr: dns.MsgHdr{Response: true}}
	for i := range 3 * maxInstances {
		target := fmt.Sprintf("x%d.%s", i, svc)
		m.Answer = append(m.Answer, ptr(svc, target, 120), ptr(svc, strings.ToUpper(target), 120))
	}
	if n := len(entries(m, svc)); n != maxInstances {
		t.Errorf("%d entries from a flood, want %d", n, maxInstances)
	}
}

// TestGoodbye: a peer that says goodbye leaves the table at once, and a
// late answer of that instance does not bring it back; another instance
// saying goodbye for the same ID does not remove the live one.
func TestGoodbye(t *testing.T) {
	d := New(Config{}, Announcement{ID: "SELF", Port: 1})
	hello := func(inst string, goodbye bool) entry {
		return entry{text: []string{"id=A", "instance=" + inst}, port: 1, addrs: []netip.Addr{ip1}, goodbye: goodbye, complete: true}
	}
	d.heard(hello("1", false))
	d.heard(hello("0", true)) // an old instance's goodbye
	if ps := d.Peers(); len(ps) != 1 {
		t.Fatalf("peers after a stale goodbye = %+v, want A", ps)
	}
	d.heard(hello("1", true))
	if ps := d.Peers(); len(ps) != 0 {
		t.Fatalf("peers after goodbye = %+v, want none", ps)
	}
	d.heard(hello("1", false))
	if ps := d.Peers(); len(ps) != 0 {
		t.Errorf("a late answer brought back a peer that said goodbye: %+v", ps)
	}
	d.heard(hello("2", false)) // restarted
	if ps := d.Peers(); len(ps) != 1 || ps[0].Instance != "2" {
		t.Errorf("peers after restart = %+v, want A instance 2", ps)
	}
}

func TestInstanceLabel(t *testing.T) {
	for _, tc := range []struct {
		a    Announcement
		want string
	}{
		{Announcement{Name: "kitchen-pi", Instance: "0123456789abcdef"}, "kitchen-pi-0123456789abcdef"},
		{Announcement{Instance: "ab"}, "hearth-ab"},
		{Announcement{Name: "Küche. \"1\"", Instance: "a.b"}, "K-che-1--ab"},
		{Announcement{Name: strings.Repeat("n", 80), Instance: strings.Repeat("i", 80)}, strings.Repeat("n", 30) + "-" + strings.Repeat("i", 24)},
	} {
		if got := instanceLabel(tc.a); got != tc.want {
			t.Errorf("instanceLabel(%+v) = %q, want %q", tc.a, got, tc.want)
		}
	}
}

func TestConfigDefaults(t *testing.T) {
	c := Config{}.withDefaults()
	if c.Service != "_hearth._tcp" || c.Domain != "local." || c.Interval != defaultInterval || c.Expiry != 3*defaultInterval || c.Logger == nil {
		t.Errorf("defaults = %+v", c)
	}
	if c := (Config{Interval: 100}).withDefaults(); c.Expiry != 300 {
		t.Errorf("Expiry follows Interval: %v", c.Expiry)
	}
}

func TestHeardCountsMalformed(t *testing.T) {
	d := New(Config{}, Announcement{ID: "SELF", Port: 1})
	e := entry{port: 1, addrs: []netip.Addr{ip1}, complete: true}

	e.text = []string{"id=A", "instance=1", "junk"}
	d.heard(e)
	e.text = []string{"instance=2"} // no id: dropped whole
	d.heard(e)
	e.text, e.complete = []string{"id=B", "instance=1"}, false // no SRV: not counted, not listed
	d.heard(e)
	if got := d.Malformed(); got != 2 {
		t.Errorf("Malformed = %d, want 2", got)
	}
	if ps := d.Peers(); len(ps) != 1 || ps[0].ID != "A" {
		t.Errorf("peers = %+v, want A only", ps)
	}
}

func TestWarnOnce(t *testing.T) {
	var n int
	d := New(Config{Logger: slog.New(countHandler{&n})}, Announcement{})
	d.trouble = make(map[string]string)
	boom := errors.New("boom")
	for _, err := range []error{boom, boom, nil, boom} {
		d.warn("a", err)
		d.warn("b", nil) // other messages do not reset "a"
	}
	if n != 2 {
		t.Errorf("%d warnings, want 2 (when the trouble starts, and again after it ended)", n)
	}
}

type countHandler struct{ n *int }

func (h countHandler) Enabled(context.Context, slog.Level) bool  { return true }
func (h countHandler) Handle(context.Context, slog.Record) error { *h.n++; return nil }
func (h countHandler) WithAttrs([]slog.Attr) slog.Handler        { return h }
func (h countHandler) WithGroup(string) slog.Handler             { return h }
