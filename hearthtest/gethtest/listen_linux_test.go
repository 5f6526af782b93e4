package gethtest

import (
	"net"
	"net/netip"
	"os"
	"slices"
	"testing"
)

func TestListeningSocketsSeesThisProcess(t *testing.T) {
	tcp, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer tcp.Close()
	udp, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer udp.Close()
	tcp6, err := net.Listen("tcp6", "[::1]:0")
	if err == nil {
		defer tcp6.Close()
	}
	// A connection is not a listener.
	conn, err := net.Dial("tcp", tcp.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()

	sockets, err := ListeningSockets(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	want := []Socket{
		{"tcp", tcp.Addr().(*net.TCPAddr).AddrPort()},
		{"udp", udp.LocalAddr().(*net.UDPAddr).AddrPort()},
	}
	if tcp6 != nil {
		want = append(want, Socket{"tcp", tcp6.Addr().(*net.TCPAddr).AddrPort()})
	}
	for _, w := range want {
		w.Addr = netip.AddrPortFrom(w.Addr.Addr().Unmap(), w.Addr.Port())
		if !slices.Contains(sockets, w) {
			t.Errorf("ListeningSockets = %v, missing %v", sockets, w)
		}
	}
	local := conn.LocalAddr().(*net.TCPAddr).AddrPort()
	for _, s := range sockets {
		if s.Addr.Port() == local.Port() {
			t.Errorf("ListeningSockets reports the client end of a connection: %v", s)
		}
	}

	tcp.Close()
	conn.Close()
	sockets, err = ListeningSockets(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(sockets, want[0]) {
		t.Errorf("closed listener %v still reported", want[0])
	}
}
