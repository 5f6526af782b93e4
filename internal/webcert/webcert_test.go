package webcert_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/x509"
	"os"
	"path/filepath"
	"testing"

	"github.com/hearth-home/hearth/internal/webcert"
)

// TestCertificate: P-256, naming the hosts; kept across starts, made anew
// for a host it does not name.
func TestCertificate(t *testing.T) {
	dir := t.TempDir()
	c1, fp1, err := webcert.Certificate(dir, []string{"192.168.1.10", "hearth.local"})
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(c1.Certificate[0])
	if err != nil {
		t.Fatal(err)
	}
	if k, ok := leaf.PublicKey.(*ecdsa.PublicKey); !ok || k.Curve != elliptic.P256() {
		t.Fatalf("key %T, want ECDSA P-256 (browsers refuse Ed25519)", leaf.PublicKey)
	}
	if leaf.VerifyHostname("192.168.1.10") != nil || leaf.VerifyHostname("hearth.local") != nil {
		t.Fatalf("certificate names %v %v", leaf.IPAddresses, leaf.DNSNames)
	}
	if fi, err := os.Stat(filepath.Join(dir, webcert.KeyFile)); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v", fi, err)
	}
	if leaf.VerifyHostname("localhost") != nil || leaf.VerifyHostname("127.0.0.1") != nil {
		t.Errorf("certificate names %v %v, want loopback too", leaf.IPAddresses, leaf.DNSNames)
	}
	// A new address keeps it (DHCP must not make every browser ask
	// again); a new name makes a new one.
	_, fp2, _ := webcert.Certificate(dir, []string{"hearth.local", "10.0.0.2"})
	_, fp3, _ := webcert.Certificate(dir, []string{"hearth.local", "pi.example"})
	if fp1 != fp2 || fp3 == fp1 || len(fp1) != 95 {
		t.Fatalf("fingerprints %s %s %s: want the first kept for a new address, a new one for a new name", fp1, fp2, fp3)
	}
}
