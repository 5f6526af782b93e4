package release

import (
	"crypto/ed25519"
	"crypto/sha256"
	"fmt"
	"os"
	"strconv"

	"github.com/hearth-home/hearth/firmware/ota"
	"github.com/theupdateframework/go-tuf/v2/metadata"
)

// Publish signs a new snapshot naming the current targets.json and a new timestamp naming that
// snapshot: devices see the targets added since the last Publish.
func (r *Repository) Publish(snapshotKey, timestampKey ed25519.PrivateKey) error {
	root, err := r.root()
	if err != nil {
		return err
	}
	targets, err := os.ReadFile(r.meta("targets.json"))
	if err != nil {
		return fmt.Errorf("release: nothing to publish (add a target first): %w", err)
	}
	tv, err := metadata.Targets().FromBytes(targets)
	if err != nil {
		return err
	}
	snap := metadata.Snapshot(r.expires(r.SnapshotExpiry, DefaultSnapshotExpiry))
	if old, err := metadata.Snapshot().FromFile(r.meta("snapshot.json")); err == nil {
		snap.Signed.Version = old.Signed.Version + 1
	}
	snap.Signed.Meta["targets.json"] = metaFile(tv.Signed.Version, targets)
	if err := sign(snap, snapshotKey); err != nil {
		return err
	}
	if err := root.VerifyDelegate(metadata.SNAPSHOT, snap); err != nil {
		return fmt.Errorf("%w: the key given is not the snapshot key: %w", ota.ErrSignature, err)
	}
	data, err := snap.ToBytes(true)
	if err != nil {
		return err
	}
	if err := r.write(strconv.FormatInt(snap.Signed.Version, 10)+".snapshot.json", data); err != nil {
		return err
	}
	if err := r.write("snapshot.json", data); err != nil {
		return err
	}
	return r.Timestamp(timestampKey)
}

// Timestamp signs a new timestamp.json naming the current snapshot, with a fresh expiry. Run it
// more often than DefaultTimestampExpiry (daily), or devices refuse the repository as frozen.
func (r *Repository) Timestamp(key ed25519.PrivateKey) error {
	root, err := r.root()
	if err != nil {
		return err
	}
	snapData, err := os.ReadFile(r.meta("snapshot.json"))
	if err != nil {
		return fmt.Errorf("release: no snapshot (Publish first): %w", err)
	}
	snap, err := metadata.Snapshot().FromBytes(snapData)
	if err != nil {
		return err
	}
	ts := metadata.Timestamp(r.expires(r.TimestampExpiry, DefaultTimestampExpiry))
	if old, err := metadata.Timestamp().FromFile(r.meta("timestamp.json")); err == nil {
		ts.Signed.Version = old.Signed.Version + 1
	}
	ts.Signed.Meta["snapshot.json"] = metaFile(snap.Signed.Version, snapData)
	if err := sign(ts, key); err != nil {
		return err
	}
	if err := root.VerifyDelegate(metadata.TIMESTAMP, ts); err != nil {
		return fmt.Errorf("%w: the key given is not the timestamp key: %w", ota.ErrSignature, err)
	}
	// Compact: the timestamp is the one file every device fetches at every check.
	data, err := ts.ToBytes(false)
	if err != nil {
		return err
	}
	return r.write("timestamp.json", data)
}

// metaFile describes a metadata file to the one that names it: version, length and sha256.
func metaFile(version int64, data []byte) *metadata.MetaFiles {
	sum := sha256.Sum256(data)
	return &metadata.MetaFiles{Version: version, Length: int64(len(data)), Hashes: metadata.Hashes{"sha256": sum[:]}}
}
