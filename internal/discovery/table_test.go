package discovery

import (
	"context"
	"errors"
	"log/slog"
	"net/netip"
	"testing"
	"time"
)

var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func peer(id, instance string) Peer {
	return Peer{Announcement: Announcement{ID: id, Instance: instance, Port: 1}, Addrs: []netip.Addr{netip.MustParseAddr("10.0.0.1")}}
}

func newTestTable() *table {
	return newTable(Announcement{ID: "SELF", Instance: "me"}, 6*time.Second, slog.New(slog.DiscardHandler))
}

func ids(ps []Peer) (s []string) {
	for _, p := range ps {
		s = append(s, p.ID+"/"+p.Instance)
	}
	return s
}

func TestTableObserveAndExpire(t *testing.T) {
	tb := newTestTable()
	tb.observe(peer("B", "1"), t0)
	tb.observe(peer("A", "1"), t0)
	tb.observe(peer("SELF", "me"), t0)
	tb.observe(peer("SELF", "clone"), t0) // a copy of our ID: warned about, never listed
	if got := ids(tb.live(t0)); len(got) != 2 || got[0] != "A/1" || got[1] != "B/1" {
		t.Fatalf("live = %v, want A and B, sorted, without self", got)
	}

	// A is heard again, B is not: B goes after Expiry, A stays.
	tb.observe(peer("A", "1"), t0.Add(5*time.Second))
	at := t0.Add(6 * time.Second)
	if got := ids(tb.live(at)); len(got) != 1 || got[0] != "A/1" {
		t.Errorf("live at expiry = %v, want only A (listing must not wait for a sweep)", got)
	}
	tb.expire(at)
	if n := len(tb.peers); n != 1 {
		t.Errorf("%d entries after expire, want 1", n)
	}
	p := tb.live(at)[0]
	if !p.LastSeen.Equal(t0.Add(5*time.Second)) || !p.Expires.Equal(t0.Add(11*time.Second)) {
		t.Errorf("A seen %v expires %v", p.LastSeen, p.Expires)
	}
}

func TestTableRestart(t *testing.T) {
	tb := newTestTable()
	tb.observe(peer("A", "old"), t0)
	tb.observe(peer("A", "new"), t0.Add(time.Second))
	if got := ids(tb.live(t0.Add(time.Second))); len(got) != 1 || got[0] != "A/new" {
		t.Fatalf("after restart live = %v, want A/new only", got)
	}
	// A late answer from the old instance does not bring it back...
	tb.observe(peer("A", "old"), t0.Add(2*time.Second))
	if got := ids(tb.live(t0.Add(2 * time.Second))); got[0] != "A/new" {
		t.Errorf("late answer from the old instance won: %v", got)
	}
	// ...but once retirement ends, whichever is heard is listed.
	tb.expire(t0.Add(8 * time.Second))
	tb.observe(peer("A", "old"), t0.Add(8*time.Second))
	if got := ids(tb.live(t0.Add(8 * time.Second))); got[0] != "A/old" {
		t.Errorf("after retirement: %v", got)
	}
}

func TestTableCopies(t *testing.T) {
	tb := newTestTable()
	tb.observe(peer("A", "1"), t0)
	tb.live(t0)[0].Addrs[0] = netip.MustParseAddr("10.9.9.9")
	if got := tb.live(t0)[0].Addrs[0]; got != netip.MustParseAddr("10.0.0.1") {
		t.Errorf("a caller changed the table through Peers: %v", got)
	}
}

func TestTableFull(t *testing.T) {
	tb := newTestTable()
	for i := range maxPeers + 10 {
		tb.observe(peer(string(rune(0x1000+i)), "1"), t0)
	}
	if n := len(tb.live(t0)); n != maxPeers {
		t.Errorf("%d peers, want the cap %d", n, maxPeers)
	}
}

func TestTableWait(t *testing.T) {
	tb := newTestTable()
	now := func() time.Time { return t0 }
	isB := func(p Peer) bool { return p.ID == "B" }

	got := make(chan Peer)
	go func() {
		p, err := tb.wait(context.Background(), isB, now)
		if err != nil {
			t.Error(err)
		}
		got <- p
	}()
	tb.observe(peer("A", "1"), t0) // wakes the waiter, which does not match it
	select {
	case p := <-got:
		t.Fatalf("wait returned %v before B came", p.ID)
	case <-time.After(20 * time.Millisecond):
	}
	tb.observe(peer("B", "1"), t0)
	if p := <-got; p.ID != "B" {
		t.Errorf("wait = %v, want B", p.ID)
	}

	// Already there: returns at once. Nil match: any peer.
	if p, err := tb.wait(context.Background(), nil, now); err != nil || p.ID != "A" {
		t.Errorf("wait(nil) = %v, %v", p.ID, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := tb.wait(ctx, func(Peer) bool { return false }, now); !errors.Is(err, context.Canceled) {
		t.Errorf("wait after cancel: %v", err)
	}
}
