// Package release is the signing side of Hearth's updates: it creates a TUF repository (root as a
// threshold of offline Ed25519 keys, targets as the release key, snapshot and timestamp as online
// keys), adds slot images and binaries with their custom metadata, publishes them, re-signs the
// timestamp, rotates keys, and writes the offline bundle that a gateway imports. Keys are files,
// mode 0600. It is kept apart from package ota so that devices, which only verify, do not link
// the signing code and its dependencies. cmd/hearth-release is its command line.
package release
