package identity

import (
	"crypto/tls"
	"errors"
	"io"
	"net"
	"testing"
)

func TestNodeIDRoundTrip(t *testing.T) {
	id, err := Generate()
	if err != nil {
		t.Fatal(err)
	}
	s := id.ID.String()
	if len(s) != 52+7 { // 52 chars, 7 dashes between 8 groups
		t.Fatalf("ID %q has length %d", s, len(s))
	}
	back, err := ParseNodeID(s)
	if err != nil || back != id.ID {
		t.Fatalf("parse %q = %v, %v", s, back, err)
	}
	if !id.ID.Matches(id.ID.Short()) || id.ID.Matches(s[:5]) {
		t.Fatal("Matches accepts too short a prefix or rejects the short form")
	}
	for _, bad := range []string{"", "ABC", s[:20], s + "A", "!!!!!!!"} {
		if _, err := ParseNodeID(bad); !errors.Is(err, ErrBadNodeID) {
			t.Errorf("ParseNodeID(%q) error = %v, want ErrBadNodeID", bad, err)
		}
	}
	again, err := FromSeed(id.Seed())
	if err != nil || again.ID != id.ID {
		t.Fatalf("FromSeed changed the ID: %v", err)
	}
	if _, err := FromSeed([]byte("short")); !errors.Is(err, ErrBadKey) {
		t.Fatalf("FromSeed(short) error = %v, want ErrBadKey", err)
	}
}

// TestMutualPinning runs a real TLS 1.3 handshake over loopback both with the
// right pin and with a wrong one.
func TestMutualPinning(t *testing.T) {
	server, _ := Generate()
	client, _ := Generate()
	stranger, _ := Generate()
	scfg, err := server.ServerTLS()
	if err != nil {
		t.Fatal(err)
	}
	ln, err := tls.Listen("tcp", "127.0.0.1:0", scfg)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	seen := make(chan NodeID, 4)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			tc := c.(*tls.Conn)
			if err := tc.Handshake(); err == nil {
				id, _ := PeerID(tc.ConnectionState().PeerCertificates)
				seen <- id
				io.WriteString(tc, "ok")
			}
			tc.Close()
		}
	}()
	dial := func(pin NodeID) error {
		ccfg, err := client.ClientTLS(true, Pin(pin))
		if err != nil {
			return err
		}
		c, err := tls.Dial("tcp", ln.Addr().String(), ccfg)
		if err != nil {
			return err
		}
		defer c.Close()
		_, err = io.ReadAll(c)
		return err
	}
	if err := dial(server.ID); err != nil {
		t.Fatalf("dial with right pin: %v", err)
	}
	if got := <-seen; got != client.ID {
		t.Fatalf("server saw client %s, want %s", got.Short(), client.ID.Short())
	}
	err = dial(stranger.ID)
	if !errors.Is(err, ErrUnexpectedPeer) {
		t.Fatalf("dial with wrong pin: %v, want ErrUnexpectedPeer", err)
	}
	var _ net.Listener = ln
}
