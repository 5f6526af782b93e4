package api

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/hearth-home/hearth/store"
)

// Credentials let a person's CLI talk to a gateway: where it is, which node
// ID it must prove to have, and the admin token. `hearth-gateway init` (and
// `--dev`) write them with mode 0600; whoever holds the file owns the pool.
type Credentials struct {
	// Gateway is host:port of the gateway's API.
	Gateway string `json:"gateway"`
	// GatewayID is pinned at the TLS handshake.
	GatewayID string `json:"gateway_id"`
	// Token is the admin bearer token.
	Token string `json:"token"`
}

// ErrNoCredentials is returned by LoadCredentials when no file exists.
var ErrNoCredentials = errors.New("no gateway credentials found")

// Save writes the credentials with mode 0600, atomically.
func (c Credentials) Save(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	raw, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return err
	}
	return store.WriteFileAtomic(path, append(raw, '\n'), 0o600)
}

// LoadCredentials reads a credentials file.
func LoadCredentials(path string) (Credentials, error) {
	raw, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return Credentials{}, fmt.Errorf("%w at %s", ErrNoCredentials, path)
	}
	if err != nil {
		return Credentials{}, err
	}
	var c Credentials
	if err := json.Unmarshal(raw, &c); err != nil {
		return Credentials{}, fmt.Errorf("credentials %s: %w", path, err)
	}
	if c.Gateway == "" || c.GatewayID == "" || c.Token == "" {
		return Credentials{}, fmt.Errorf("credentials %s: gateway, gateway_id and token are all required", path)
	}
	return c, nil
}

// OwnerKey is HMAC-SHA256(token, label): a key for one purpose that the
// owner's credentials (the admin token) give back after the gateway is
// lost, such as the one that signs the backup storage's catalogs.
func OwnerKey(token, label string) []byte {
	m := hmac.New(sha256.New, []byte(token))
	m.Write([]byte(label))
	return m.Sum(nil)
}
