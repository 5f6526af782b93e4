package release

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strconv"

	"github.com/hearth-home/hearth/firmware/ota"
	"github.com/theupdateframework/go-tuf/v2/metadata"
)

// AddTarget copies file into the repository as target name (ota.SlotTarget, ota.BinaryTarget) with
// custom metadata c, and signs a new targets.json with the release key. The release becomes
// visible to devices at the next Publish; several targets may be added before it.
func (r *Repository) AddTarget(name, file string, c ota.Custom, key ed25519.PrivateKey) error {
	if err := ota.ValidateTarget(name, c); err != nil {
		return err
	}
	raw, err := json.Marshal(c)
	if err != nil {
		return err
	}
	msg := json.RawMessage(raw)
	length, sum, err := r.copyTarget(name, file)
	if err != nil {
		return err
	}
	return r.signTargets(key, func(t *metadata.TargetsType) {
		t.Targets[name] = &metadata.TargetFiles{
			Length: length, Hashes: metadata.Hashes{"sha256": sum}, Custom: &msg, Path: name,
		}
	})
}

// SignTargets re-signs targets.json as it is, with a fresh expiry: yearly, or after RotateRoot
// named a new release key. Publish makes it visible.
func (r *Repository) SignTargets(key ed25519.PrivateKey) error {
	return r.signTargets(key, func(*metadata.TargetsType) {})
}

// signTargets changes the working targets.json, in a new version unless the current one is not
// published yet, and signs it with the release key.
func (r *Repository) signTargets(key ed25519.PrivateKey, change func(*metadata.TargetsType)) error {
	root, err := r.root()
	if err != nil {
		return err
	}
	targets := metadata.Targets(r.expires(r.TargetsExpiry, DefaultTargetsExpiry))
	if _, err := os.Stat(r.meta("targets.json")); err == nil {
		if targets, err = metadata.Targets().FromFile(r.meta("targets.json")); err != nil {
			return err
		}
		if targets.Signed.Version == r.publishedTargets() {
			targets.Signed.Version++
		}
		targets.Signed.Expires = r.expires(r.TargetsExpiry, DefaultTargetsExpiry)
	}
	change(&targets.Signed)
	targets.ClearSignatures()
	if err := sign(targets, key); err != nil {
		return err
	}
	if err := root.VerifyDelegate(metadata.TARGETS, targets); err != nil {
		return fmt.Errorf("%w: the key given is not the release (targets) key: %w", ota.ErrSignature, err)
	}
	data, err := targets.ToBytes(true)
	if err != nil {
		return err
	}
	if err := r.write(strconv.FormatInt(targets.Signed.Version, 10)+".targets.json", data); err != nil {
		return err
	}
	return r.write("targets.json", data)
}

// copyTarget copies file to targets/<dir>/<sha256>.<base> and returns its length and sha256.
func (r *Repository) copyTarget(name, file string) (int64, []byte, error) {
	src, err := os.Open(file)
	if err != nil {
		return 0, nil, err
	}
	defer src.Close()
	dir := filepath.Join(r.Dir, "targets", filepath.FromSlash(path.Dir(name)))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return 0, nil, err
	}
	tmp, err := os.CreateTemp(dir, ".add-*")
	if err != nil {
		return 0, nil, err
	}
	defer os.Remove(tmp.Name())
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(tmp, h), src)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, nil, err
	}
	sum := h.Sum(nil)
	dst := filepath.Join(dir, fmt.Sprintf("%x.%s", sum, path.Base(name)))
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return 0, nil, err
	}
	return n, sum, os.Rename(tmp.Name(), dst)
}
