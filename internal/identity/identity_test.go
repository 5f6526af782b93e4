package identity

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"math/big"
	"net"
	"testing"
	"time"
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

// The server checks a client's certificate at the handshake: an anonymous
// client (the CLI) connects, a node's own certificate gives its ID through
// HandshakeID, and a certificate that is not ed25519, or whose signature
// over itself is not its key's (someone else's key), gets no connection.
func TestServerChecksClientCertificate(t *testing.T) {
	server, _ := Generate()
	node, _ := Generate()
	other, _ := Generate()
	scfg, err := server.ServerTLS()
	if err != nil {
		t.Fatal(err)
	}
	ln, err := tls.Listen("tcp", "127.0.0.1:0", scfg)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	seen := make(chan NodeID, 8)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				tc := c.(*tls.Conn)
				if tc.Handshake() != nil {
					return
				}
				id, _ := HandshakeID(tc.ConnectionState().PeerCertificates)
				seen <- id
				io.WriteString(tc, "ok")
			}()
		}
	}()
	dial := func(certs []tls.Certificate) error {
		c, err := tls.Dial("tcp", ln.Addr().String(), &tls.Config{MinVersion: tls.VersionTLS13, InsecureSkipVerify: true, Certificates: certs})
		if err != nil {
			return err
		}
		defer c.Close()
		b, err := io.ReadAll(c)
		if err == nil && string(b) != "ok" {
			err = errors.New("no answer")
		}
		return err
	}
	if err := dial(nil); err != nil {
		t.Fatalf("an anonymous client: %v", err)
	}
	if id := <-seen; id != (NodeID{}) {
		t.Fatalf("an anonymous client has ID %s", id.Short())
	}
	good, err := node.Certificate()
	if err != nil {
		t.Fatal(err)
	}
	if err := dial([]tls.Certificate{good}); err != nil {
		t.Fatalf("a node's certificate: %v", err)
	}
	if id := <-seen; id != node.ID {
		t.Fatalf("HandshakeID = %s, want %s", id.Short(), node.ID.Short())
	}

	// A certificate over node's key signed by other's: the client holds
	// node's key (the handshake's own proof passes), its certificate lies.
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(2), NotBefore: time.Unix(0, 0), NotAfter: time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, node.Key.Public(), other.Key)
	if err != nil {
		t.Fatal(err)
	}
	forged := tls.Certificate{Certificate: [][]byte{der}, PrivateKey: node.Key}
	ek, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	der, err = x509.CreateCertificate(rand.Reader, tmpl, tmpl, ek.Public(), ek)
	if err != nil {
		t.Fatal(err)
	}
	notEd := tls.Certificate{Certificate: [][]byte{der}, PrivateKey: ek}
	for name, c := range map[string]tls.Certificate{"signed by another key": forged, "ECDSA": notEd} {
		if err := dial([]tls.Certificate{c}); err == nil {
			t.Errorf("a client with a certificate %s connected", name)
		}
	}
	select {
	case id := <-seen:
		t.Fatalf("a refused client was seen as %s", id.Short())
	default:
	}
}
