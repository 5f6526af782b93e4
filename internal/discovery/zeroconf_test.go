package discovery

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/grandcat/zeroconf"
)

func TestPeerFromEntry(t *testing.T) {
	e := zeroconf.NewServiceEntry("x", defaultService, defaultDomain)
	e.Text = []string{"id=A", "instance=1", "role=agent", "junk"}
	e.Port = 7443
	e.AddrIPv4 = []net.IP{net.ParseIP("10.0.0.2"), net.IPv4(10, 0, 0, 1), net.ParseIP("10.0.0.2"), net.IPv4(224, 0, 0, 251), net.IPv4zero}
	e.AddrIPv6 = []net.IP{net.ParseIP("fd00::1"), net.IP{1, 2, 3}}
	p, bad, err := peerFromEntry(e)
	if err != nil || bad != 1 {
		t.Fatalf("peerFromEntry: %v, %d bad", err, bad)
	}
	want := []netip.Addr{netip.MustParseAddr("10.0.0.1"), netip.MustParseAddr("10.0.0.2"), netip.MustParseAddr("fd00::1")}
	if !slices.Equal(p.Addrs, want) || p.Port != 7443 || p.Role != RoleAgent {
		t.Errorf("peer = %+v, want addrs %v", p, want)
	}

	e.Port = 0
	if _, _, err := peerFromEntry(e); err == nil {
		t.Error("port 0 accepted")
	}
	e.Port, e.AddrIPv4, e.AddrIPv6 = 1, nil, nil
	if _, _, err := peerFromEntry(e); err == nil {
		t.Error("entry without addresses accepted")
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
	e := zeroconf.NewServiceEntry("x", defaultService, defaultDomain)
	e.Port, e.AddrIPv4 = 1, []net.IP{net.IPv4(10, 0, 0, 1)}

	e.Text = []string{"id=A", "instance=1", "junk"}
	d.heard(e)
	e.Text = []string{"instance=2"} // no id: dropped whole
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
