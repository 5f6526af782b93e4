package release

import (
	"crypto/ed25519"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/hearth-home/hearth/firmware/ota"
	"github.com/theupdateframework/go-tuf/v2/metadata"
)

// Init creates the repository: version 1 of root.json, signed by rootKeys (at least the
// threshold of them). It refuses a directory that already holds a root.
func (r *Repository) Init(roles Roles, rootKeys ...ed25519.PrivateKey) error {
	if _, err := os.Stat(r.meta("1.root.json")); err == nil {
		return fmt.Errorf("release: %s already holds a repository", r.Dir)
	}
	root, err := newRoot(roles, r.expires(r.RootExpiry, DefaultRootExpiry), rootKeys)
	if err != nil {
		return err
	}
	if err := root.VerifyDelegate(metadata.ROOT, root); err != nil {
		return fmt.Errorf("%w: root keys given do not reach the threshold: %w", ota.ErrSignature, err)
	}
	for _, d := range []string{r.meta(""), filepath.Join(r.Dir, "targets")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	data, err := root.ToBytes(true)
	if err != nil {
		return err
	}
	if err := r.write("1.root.json", data); err != nil {
		return err
	}
	return r.write("root.json", data)
}

// RotateRoot signs the next root version naming roles: to replace a lost or leaked key, or to
// renew root's expiry (roles as they were). keys must hold a threshold of the current root keys,
// so that devices trusting the current root accept the new one, and a threshold of the new root
// keys. Devices follow the rotation at their next check. If the targets, snapshot or timestamp
// key changed, re-sign with SignTargets and Publish.
func (r *Repository) RotateRoot(roles Roles, keys ...ed25519.PrivateKey) error {
	old, err := r.root()
	if err != nil {
		return err
	}
	root, err := newRoot(roles, r.expires(r.RootExpiry, DefaultRootExpiry), keys)
	if err != nil {
		return err
	}
	root.Signed.Version = old.Signed.Version + 1
	root.ClearSignatures()
	for _, k := range keys {
		if err := sign(root, k); err != nil {
			return err
		}
	}
	if err := old.VerifyDelegate(metadata.ROOT, root); err != nil {
		return fmt.Errorf("%w: keys given do not reach the current root's threshold: %w", ota.ErrSignature, err)
	}
	if err := root.VerifyDelegate(metadata.ROOT, root); err != nil {
		return fmt.Errorf("%w: keys given do not reach the new root's threshold: %w", ota.ErrSignature, err)
	}
	data, err := root.ToBytes(true)
	if err != nil {
		return err
	}
	if err := r.write(strconv.FormatInt(root.Signed.Version, 10)+".root.json", data); err != nil {
		return err
	}
	return r.write("root.json", data)
}

// newRoot builds root metadata naming roles, signed by keys.
func newRoot(roles Roles, expires time.Time, keys []ed25519.PrivateKey) (*metadata.Metadata[metadata.RootType], error) {
	if len(roles.Root) == 0 || roles.RootThreshold < 1 || roles.RootThreshold > len(roles.Root) {
		return nil, fmt.Errorf("release: root threshold %d of %d keys", roles.RootThreshold, len(roles.Root))
	}
	if roles.Targets == nil || roles.Snapshot == nil || roles.Timestamp == nil {
		return nil, errors.New("release: targets, snapshot and timestamp keys are required")
	}
	root := metadata.Root(expires)
	add := func(pub ed25519.PublicKey, role string) error {
		k, err := metadata.KeyFromPublicKey(pub)
		if err != nil {
			return err
		}
		return root.Signed.AddKey(k, role)
	}
	for _, pub := range roles.Root {
		if err := add(pub, metadata.ROOT); err != nil {
			return nil, err
		}
	}
	root.Signed.Roles[metadata.ROOT].Threshold = roles.RootThreshold
	for role, pub := range map[string]ed25519.PublicKey{
		metadata.TARGETS: roles.Targets, metadata.SNAPSHOT: roles.Snapshot, metadata.TIMESTAMP: roles.Timestamp,
	} {
		if err := add(pub, role); err != nil {
			return nil, err
		}
	}
	for _, k := range keys {
		if err := sign(root, k); err != nil {
			return nil, err
		}
	}
	return root, nil
}

// RootJSON returns the current root.json: the bytes to pin in each slot and on each gateway.
func (r *Repository) RootJSON() ([]byte, error) { return os.ReadFile(r.meta("root.json")) }
