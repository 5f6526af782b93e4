// Package ota verifies Hearth's over-the-air updates in the form of The Update Framework (TUF,
// https://theupdateframework.io), using github.com/theupdateframework/go-tuf/v2. Three parties
// take part:
//
//   - the release side (package release) signs a TUF repository: root (a threshold of offline
//     Ed25519 keys), targets (the release key), snapshot and timestamp (online keys). Each target
//     is a slot image (hearth-os/<board>/<version>/slot.img.zst) or a binary for installations
//     that keep their OS (hearth-agent/linux-<arch>/<version>), with Custom metadata naming its
//     board and version;
//   - the gateway (Mirror) imports a signed repository (an offline bundle, a tar of the repository
//     directory), verifies it against its own pinned root, and serves it read-only to its devices
//     (otahttp.Handler). It holds no keys: a hostile gateway can withhold updates (which the
//     devices notice when the timestamp expires), never forge one;
//   - the device (Client) starts every check from the root.json pinned in its slot, keeps the
//     metadata it trusted in a directory on the data partition (so that rollback and freeze
//     protection survive a slot switch), finds the newest update for its board and streams it with
//     its length and hashes enforced. It never writes a slot: the caller does, after a download
//     verified.
//
// The repository directory, the bundle and the mirror share one layout (consistent snapshots):
//
//	metadata/1.root.json, 2.root.json, ...  every root version, for key rotation
//	metadata/timestamp.json                 the entry point, re-signed at least weekly
//	metadata/<N>.snapshot.json, <N>.targets.json
//	targets/<dir>/<sha256>.<name>           e.g. targets/hearth-os/rpi-arm64/1.2.0/<sha256>.slot.img.zst
//
// This package imports neither net/http (otahttp carries it) nor the signing code (release), so
// that a device links only verification. go-tuf itself still brings net/http and, through
// sigstore's signature package, protobuf: 2.6 MiB on the small ARMv6 agent (docs/firmware-updates.md).
//
// Caveats: delegated targets roles are not used (one release key signs every target); a root
// rotation costs each device one extra root download per check until its slot carries the new root.
package ota
