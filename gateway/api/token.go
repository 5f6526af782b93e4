package api

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base32"
	"errors"
	"fmt"
	"strings"

	"github.com/hearth-home/hearth/internal/identity"
)

// ErrBadToken is returned when a join token is malformed.
var ErrBadToken = errors.New("malformed join token")

// JoinToken lets a node pair with a pool by itself. It carries the gateway's
// node ID, so that a new agent pins the right gateway even when something
// else answers on mDNS, and a secret that the gateway checks.
//
// Its text form is "hearth1.<gateway ID without dashes>.<secret>".
type JoinToken struct {
	Gateway identity.NodeID
	Secret  string
}

var secretEnc = base32.StdEncoding.WithPadding(base32.NoPadding)

// NewJoinToken makes a token with a 160-bit secret.
func NewJoinToken(gateway identity.NodeID) (JoinToken, error) {
	b := make([]byte, 20)
	if _, err := rand.Read(b); err != nil {
		return JoinToken{}, err
	}
	return JoinToken{Gateway: gateway, Secret: secretEnc.EncodeToString(b)}, nil
}

func (t JoinToken) String() string {
	return "hearth1." + strings.ReplaceAll(t.Gateway.String(), "-", "") + "." + t.Secret
}

// ParseJoinToken parses the text form.
func ParseJoinToken(s string) (JoinToken, error) {
	parts := strings.Split(strings.TrimSpace(s), ".")
	if len(parts) != 3 || parts[0] != "hearth1" || len(parts[2]) < 16 {
		return JoinToken{}, fmt.Errorf("%w: want hearth1.<gateway>.<secret>, as printed by `hearth-gateway init`", ErrBadToken)
	}
	id, err := identity.ParseNodeID(parts[1])
	if err != nil {
		return JoinToken{}, fmt.Errorf("%w: %w", ErrBadToken, err)
	}
	return JoinToken{Gateway: id, Secret: parts[2]}, nil
}

// Equal compares tokens in constant time.
func (t JoinToken) Equal(o JoinToken) bool {
	return t.Gateway == o.Gateway && subtle.ConstantTimeCompare([]byte(t.Secret), []byte(o.Secret)) == 1
}
