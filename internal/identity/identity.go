package identity

import (
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
)

// ErrBadKey is returned when stored key material is not an ed25519 seed.
var ErrBadKey = errors.New("malformed node key")

// Identity is a node's key pair and the ID derived from it.
type Identity struct {
	Key ed25519.PrivateKey
	ID  NodeID
}

// Generate creates a fresh identity from the system's random source.
func Generate() (Identity, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return Identity{}, fmt.Errorf("generate node key: %w", err)
	}
	return FromKey(priv), nil
}

// FromKey wraps an existing private key.
func FromKey(priv ed25519.PrivateKey) Identity {
	return Identity{Key: priv, ID: IDOf(priv.Public().(ed25519.PublicKey))}
}

// Seed returns the 32-byte seed that Unmarshal accepts; it is the secret to
// keep in the node's store.
func (i Identity) Seed() []byte { return i.Key.Seed() }

// FromSeed rebuilds an identity from Seed's output.
func FromSeed(seed []byte) (Identity, error) {
	if len(seed) != ed25519.SeedSize {
		return Identity{}, fmt.Errorf("%w: %d bytes, want %d", ErrBadKey, len(seed), ed25519.SeedSize)
	}
	return FromKey(ed25519.NewKeyFromSeed(seed)), nil
}
