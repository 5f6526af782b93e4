package release

import (
	"github.com/hearth-home/hearth/internal/atomicfile"

	"crypto/ed25519"
	"path/filepath"
	"time"

	"github.com/sigstore/sigstore/pkg/signature"
	"github.com/theupdateframework/go-tuf/v2/metadata"
)

// Default lifetimes of signed metadata. The timestamp is short so that a frozen mirror is noticed
// within a week; the release CI re-signs it daily (Repository.Timestamp) and the snapshot with
// every publish, at least monthly.
const (
	DefaultRootExpiry      = 365 * 24 * time.Hour
	DefaultTargetsExpiry   = 365 * 24 * time.Hour
	DefaultSnapshotExpiry  = 30 * 24 * time.Hour
	DefaultTimestampExpiry = 7 * 24 * time.Hour
)

// Roles are the public keys of a repository's four top-level roles.
type Roles struct {
	// Root keys sign root.json, RootThreshold of them at a time; keep them offline.
	Root          []ed25519.PublicKey
	RootThreshold int
	// Targets is the release key: it signs the list of images.
	Targets ed25519.PublicKey
	// Snapshot and Timestamp are the online keys that re-sign the repository's state.
	Snapshot  ed25519.PublicKey
	Timestamp ed25519.PublicKey
}

// Repository is a directory holding a signed TUF repository in the layout that package ota
// describes. Its zero value, with Dir set, works. It is not safe for concurrent use, nor for two
// processes at once.
type Repository struct {
	// Dir is the repository directory; it holds metadata/ and targets/.
	Dir string
	// Lifetimes of newly signed metadata; zero means the Default...Expiry constant.
	RootExpiry, TargetsExpiry, SnapshotExpiry, TimestampExpiry time.Duration
	// Now is the signing time; nil means time.Now. Tests sign in the past to make expired metadata.
	Now func() time.Time
}

func sign[T metadata.Roles](m *metadata.Metadata[T], key ed25519.PrivateKey) error {
	s, err := signature.LoadED25519Signer(key)
	if err != nil {
		return err
	}
	_, err = m.Sign(s)
	return err
}

func (r *Repository) root() (*metadata.Metadata[metadata.RootType], error) {
	return metadata.Root().FromFile(r.meta("root.json"))
}

// publishedTargets is the targets version that the current snapshot names (0 before Publish).
func (r *Repository) publishedTargets() int64 {
	snap, err := metadata.Snapshot().FromFile(r.meta("snapshot.json"))
	if err != nil {
		return 0
	}
	if m, ok := snap.Signed.Meta["targets.json"]; ok {
		return m.Version
	}
	return 0
}

func (r *Repository) expires(d, def time.Duration) time.Time {
	if d == 0 {
		d = def
	}
	now := time.Now
	if r.Now != nil {
		now = r.Now
	}
	return now().Add(d).UTC().Truncate(time.Second)
}

func (r *Repository) meta(name string) string { return filepath.Join(r.Dir, "metadata", name) }

func (r *Repository) write(name string, data []byte) error {
	return atomicfile.WriteFile(r.meta(name), data, 0o644)
}
