package identity

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base32"
	"errors"
	"fmt"
	"strings"
)

// ErrBadNodeID is returned when a string is not a well-formed node ID.
var ErrBadNodeID = errors.New("malformed node ID")

// NodeID identifies a node: the SHA-256 of its ed25519 public key.
type NodeID [32]byte

var enc = base32.StdEncoding.WithPadding(base32.NoPadding)

// IDOf derives the node ID of a public key.
func IDOf(pub ed25519.PublicKey) NodeID { return NodeID(sha256.Sum256(pub)) }

// String renders the ID as 52 base32 characters in dash-separated groups of
// seven, e.g. "MFRGGZD-...".
func (id NodeID) String() string {
	s := enc.EncodeToString(id[:])
	var b strings.Builder
	for i := 0; i < len(s); i += 7 {
		if i > 0 {
			b.WriteByte('-')
		}
		b.WriteString(s[i:min(i+7, len(s))])
	}
	return b.String()
}

// Short is the first group of the ID: enough for people to tell nodes apart
// in a listing, never enough to pin a node.
func (id NodeID) Short() string { return id.String()[:7] }

// IsZero reports whether the ID is unset.
func (id NodeID) IsZero() bool { return id == NodeID{} }

// MarshalText implements encoding.TextMarshaler.
func (id NodeID) MarshalText() ([]byte, error) { return []byte(id.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (id *NodeID) UnmarshalText(b []byte) error {
	p, err := ParseNodeID(string(b))
	if err != nil {
		return err
	}
	*id = p
	return nil
}

// separators are what people put between an ID's groups.
var separators = strings.NewReplacer("-", "", " ", "")

// ParseNodeID parses the String form; dashes, spaces and case are ignored.
func ParseNodeID(s string) (NodeID, error) {
	clean := strings.ToUpper(separators.Replace(s))
	b, err := enc.DecodeString(clean)
	if err != nil || len(b) != len(NodeID{}) {
		return NodeID{}, fmt.Errorf("%w: %q", ErrBadNodeID, s)
	}
	return NodeID(b), nil
}

// Matches reports whether s names this ID, either in full or as a prefix of at
// least the Short form (so that people can type "hearth pool approve ABCDEFG").
func (id NodeID) Matches(s string) bool {
	clean := strings.ToUpper(separators.Replace(s))
	full := strings.ReplaceAll(id.String(), "-", "")
	return len(clean) >= 7 && strings.HasPrefix(full, clean)
}
