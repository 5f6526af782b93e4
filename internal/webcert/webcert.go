// Package webcert is the gateway's certificate for browsers and HTTPS
// clients other than Hearth's own (the dashboard on the LAN, restic): a
// self-signed ECDSA P-256 certificate kept in the data directory. The
// API port's Ed25519 certificate, pinned by node ID, is refused by
// browsers.
package webcert

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/hearth-home/hearth/internal/atomicfile"
)

// Certificate loads the gateway's web certificate from dir (https.crt and
// https.key), or makes one
// when there is none or it does not name every host name (addresses are
// named as they were at its making: they come and go with DHCP, and a new
// certificate would need the owner's approval again in every browser;
// the page answers to any address): a self-signed ECDSA
// P-256 certificate, which browsers accept (they refuse the Ed25519 one of
// the gateway's API port). It returns it with its SHA-256 fingerprint,
// which the owner compares with what the browser shows the first time.
func Certificate(dir string, hosts []string) (tls.Certificate, string, error) {
	certPath, keyPath := filepath.Join(dir, CertFile), filepath.Join(dir, KeyFile)
	if c, err := tls.LoadX509KeyPair(certPath, keyPath); err == nil && covers(c, hosts) {
		return c, Fingerprint(c.Certificate[0]), nil
	} else if err != nil && !errors.Is(err, os.ErrNotExist) {
		return tls.Certificate{}, "", fmt.Errorf("web certificate %s: %w (remove it and its key to make a new one)", certPath, err)
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, "", err
	}
	serial, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 120))
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: "Hearth gateway", Organization: []string{"Hearth"}},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().AddDate(5, 0, 0),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	for _, h := range append([]string{"localhost", "127.0.0.1", "::1"}, hosts...) {
		if ip := net.ParseIP(strings.Trim(h, "[]")); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else if h != "" && !slices.Contains(tmpl.DNSNames, h) {
			tmpl.DNSNames = append(tmpl.DNSNames, h)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, "", err
	}
	kb, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return tls.Certificate{}, "", err
	}
	if err := atomicfile.WriteFile(keyPath, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kb}), 0o600); err != nil {
		return tls.Certificate{}, "", err
	}
	if err := atomicfile.WriteFile(certPath, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		return tls.Certificate{}, "", err
	}
	c, err := tls.LoadX509KeyPair(certPath, keyPath)
	return c, Fingerprint(der), err
}

// The files in the data directory.
const (
	CertFile = "https.crt"
	KeyFile  = "https.key"
)

// covers: c names every host name of hosts, and has a month to run.
func covers(c tls.Certificate, hosts []string) bool {
	leaf, err := x509.ParseCertificate(c.Certificate[0])
	if err != nil || time.Now().After(leaf.NotAfter.Add(-30*24*time.Hour)) {
		return false
	}
	for _, h := range hosts {
		if net.ParseIP(strings.Trim(h, "[]")) == nil && h != "" && !slices.Contains(leaf.DNSNames, h) {
			return false
		}
	}
	return true
}

// Fingerprint is a certificate's SHA-256 as browsers show it: upper-case
// hex bytes separated by colons.
func Fingerprint(der []byte) string {
	sum := sha256.Sum256(der)
	parts := make([]string, len(sum))
	for i, b := range sum {
		parts[i] = strings.ToUpper(hex.EncodeToString([]byte{b}))
	}
	return strings.Join(parts, ":")
}
