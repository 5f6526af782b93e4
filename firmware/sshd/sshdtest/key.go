// Package sshdtest makes the client keys that tests of hearth-sshd log in
// with.
package sshdtest

import (
	"crypto/ed25519"
	"crypto/rand"
	"strings"
	"testing"

	gossh "golang.org/x/crypto/ssh"
)

// Key is a client's key pair.
type Key struct {
	Signer gossh.Signer
	Line   string // the public key as authorized_keys and hearth.txt take it, without a comment
}

// NewKey makes an ed25519 key pair.
func NewKey(t testing.TB) Key {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return Key{signer, strings.TrimSpace(string(gossh.MarshalAuthorizedKey(signer.PublicKey())))}
}
