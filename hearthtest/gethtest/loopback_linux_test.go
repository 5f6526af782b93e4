package gethtest

import (
	"net/netip"
	"net/url"
	"testing"
)

// checkLoopbackOnly fails the test when geth listens anywhere but on
// loopback, or not on its URL.
func checkLoopbackOnly(t *testing.T, n *Node) {
	t.Helper()
	sockets, err := ListeningSockets(n.PID())
	if err != nil {
		t.Fatalf("geth's sockets: %v", err)
	}
	u, err := url.Parse(n.URL)
	if err != nil {
		t.Fatal(err)
	}
	httpAddr := netip.MustParseAddrPort(u.Host)
	sawHTTP := false
	for _, s := range sockets {
		if !s.Addr.Addr().IsLoopback() {
			t.Errorf("geth listens on %v", s)
		}
		sawHTTP = sawHTTP || (s.Network == "tcp" && s.Addr == httpAddr)
	}
	if !sawHTTP {
		t.Errorf("geth's sockets %v do not include its URL %s", sockets, n.URL)
	}
	t.Logf("geth listens on %v", sockets)
}
