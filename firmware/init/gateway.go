package hearthinit

import (
	"github.com/hearth-home/hearth/internal/atomicfile"

	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// CredentialsName is the owner's credentials file a gateway-role device
// leaves on the boot partition, and the marker that it did.
const (
	CredentialsName   = "hearth-credentials.json"
	credentialsMarker = "credentials-delivered"
)

// gatewayCredentials is where `hearth-gateway init` writes them
// (gateway.CredentialsFile in the gateway's data directory).
func (l Layout) gatewayCredentials() string { return filepath.Join(l.GatewayDir(), "credentials.json") }

// NeedsGatewayInit reports whether the owner's credentials have yet to be
// delivered to the boot partition. It stays true until DeliverCredentials
// succeeded, so a power cut between `init` and the copy only repeats them
// (init is idempotent); an owner who deletes the file from the card after
// collecting it does not get it back at the next boot.
func (l Layout) NeedsGatewayInit() bool {
	_, err := os.Stat(filepath.Join(l.SecretDir(), credentialsMarker))
	return errors.Is(err, fs.ErrNotExist)
}

// DeliverCredentials copies the credentials that `hearth-gateway init`
// wrote to the boot partition, for the owner to collect, and records that
// it did.
func (l Layout) DeliverCredentials() (string, error) {
	b, err := os.ReadFile(l.gatewayCredentials())
	if err != nil {
		return "", fmt.Errorf("the gateway's credentials: %w", err)
	}
	dst := filepath.Join(l.Boot, CredentialsName)
	if err := atomicfile.WriteFile(dst, b, 0o600); err != nil {
		return "", err
	}
	if err := os.MkdirAll(l.SecretDir(), 0o700); err != nil {
		return "", err
	}
	return dst, atomicfile.WriteFile(filepath.Join(l.SecretDir(), credentialsMarker), []byte(dst+"\n"), 0o600)
}
