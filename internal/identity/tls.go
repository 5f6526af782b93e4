package identity

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"math/big"
	"time"
)

// ErrNoPeerCert is returned when a TLS peer presented no certificate.
var ErrNoPeerCert = errors.New("peer presented no certificate")

// ErrUnexpectedPeer is returned when a TLS peer's node ID is not the pinned one.
var ErrUnexpectedPeer = errors.New("peer node ID is not the pinned one")

// Certificate makes a self-signed certificate over the node key. Its
// validity is long and its names are empty on purpose: peers check the node
// ID, not names or dates.
func (i Identity) Certificate() (tls.Certificate, error) {
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "hearth " + i.ID.Short()},
		NotBefore:    time.Unix(0, 0),
		NotAfter:     time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, i.Key.Public(), i.Key)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("create node certificate: %w", err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return tls.Certificate{}, err
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: i.Key, Leaf: leaf}, nil
}

// PeerID derives the node ID from the first certificate of a TLS peer. The
// certificate's signature over itself is checked so that a peer cannot
// present someone else's public key without its private key (the TLS
// handshake's CertificateVerify proves possession as well).
func PeerID(certs []*x509.Certificate) (NodeID, error) {
	if len(certs) == 0 {
		return NodeID{}, ErrNoPeerCert
	}
	c := certs[0]
	pub, ok := c.PublicKey.(ed25519.PublicKey)
	if !ok {
		return NodeID{}, fmt.Errorf("%w: peer key is %T, want ed25519", ErrBadKey, c.PublicKey)
	}
	if err := c.CheckSignature(c.SignatureAlgorithm, c.RawTBSCertificate, c.Signature); err != nil {
		return NodeID{}, fmt.Errorf("peer certificate is not self-signed by its key: %w", err)
	}
	return IDOf(pub), nil
}

// ServerTLS is the gateway's TLS configuration. Client certificates are
// requested but optional at the handshake, because people's CLI calls
// authenticate with an admin token instead; handlers that serve agents must
// call HandshakeID on the connection state and refuse when it fails. A
// certificate that is presented is checked as PeerID does during the
// handshake, once per connection rather than once per request: a client
// with a bad one gets no connection.
func (i Identity) ServerTLS() (*tls.Config, error) {
	cert, err := i.Certificate()
	if err != nil {
		return nil, err
	}
	return &tls.Config{
		MinVersion:   tls.VersionTLS13,
		Certificates: []tls.Certificate{cert},
		ClientAuth:   tls.RequestClientCert,
		VerifyConnection: func(cs tls.ConnectionState) error {
			if len(cs.PeerCertificates) == 0 {
				return nil // anonymous: the CLI, with its admin token
			}
			_, err := PeerID(cs.PeerCertificates)
			return err
		},
	}, nil
}

// HandshakeID is the node ID of a peer whose certificate a ServerTLS
// handshake checked: the key of its first certificate, without checking
// that certificate again.
func HandshakeID(certs []*x509.Certificate) (NodeID, error) {
	if len(certs) == 0 {
		return NodeID{}, ErrNoPeerCert
	}
	pub, ok := certs[0].PublicKey.(ed25519.PublicKey)
	if !ok {
		return NodeID{}, fmt.Errorf("%w: peer key is %T, want ed25519", ErrBadKey, certs[0].PublicKey)
	}
	return IDOf(pub), nil
}

// ClientTLS is the configuration for connecting to a peer. pin decides
// whether the peer's proven node ID is acceptable; it is called during the
// handshake, so a wrong peer never sees a request. With present set the
// client shows its own node certificate (agents); without it the client is
// anonymous at the TLS layer (the CLI).
func (i Identity) ClientTLS(present bool, pin func(NodeID) error) (*tls.Config, error) {
	cfg := &tls.Config{
		MinVersion: tls.VersionTLS13,
		// Chains are not checked against CAs: VerifyPeerCertificate pins
		// the node ID instead, which is the whole trust model.
		InsecureSkipVerify: true,
		VerifyPeerCertificate: func(raw [][]byte, _ [][]*x509.Certificate) error {
			certs := make([]*x509.Certificate, 0, len(raw))
			for _, r := range raw {
				c, err := x509.ParseCertificate(r)
				if err != nil {
					return err
				}
				certs = append(certs, c)
			}
			id, err := PeerID(certs)
			if err != nil {
				return err
			}
			return pin(id)
		},
	}
	if present {
		cert, err := i.Certificate()
		if err != nil {
			return nil, err
		}
		cfg.Certificates = []tls.Certificate{cert}
	}
	return cfg, nil
}

// Pin returns a pin function that accepts only want.
func Pin(want NodeID) func(NodeID) error {
	return func(got NodeID) error {
		if got != want {
			return fmt.Errorf("%w: got %s, want %s", ErrUnexpectedPeer, got.Short(), want.Short())
		}
		return nil
	}
}
