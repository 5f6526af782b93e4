// Package otatest makes release repositories signed by throwaway keys, for
// the tests of what consumes releases (the gateway's mirror, the agent's
// updater, the CLI, the firmware end-to-end test). It returns errors
// rather than taking a testing.T, so that a test binary may build one
// repository once for all its tests.
package otatest

import (
	"crypto/ed25519"
	"crypto/rand"
	"io"
	"os"
	"path/filepath"

	"github.com/hearth-home/hearth/firmware/ota"
	"github.com/hearth-home/hearth/firmware/ota/release"
)

// Repo is a release repository and the keys of all its roles: one root
// key (threshold 1), and one key each for targets, snapshot and
// timestamp.
type Repo struct {
	*release.Repository
	RootKey, Targets, Snapshot, Timestamp ed25519.PrivateKey
}

// New makes a repository in dir with fresh keys.
func New(dir string) (*Repo, error) {
	keys := make([]ed25519.PrivateKey, 4)
	for i := range keys {
		_, k, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			return nil, err
		}
		keys[i] = k
	}
	pub := func(k ed25519.PrivateKey) ed25519.PublicKey { return k.Public().(ed25519.PublicKey) }
	r := &Repo{Repository: &release.Repository{Dir: dir}, RootKey: keys[0], Targets: keys[1], Snapshot: keys[2], Timestamp: keys[3]}
	roles := release.Roles{Root: []ed25519.PublicKey{pub(r.RootKey)}, RootThreshold: 1,
		Targets: pub(r.Targets), Snapshot: pub(r.Snapshot), Timestamp: pub(r.Timestamp)}
	if err := r.Init(roles, r.RootKey); err != nil {
		return nil, err
	}
	return r, nil
}

// WriteRoot writes the root.json that devices and gateways pin to path.
func (r *Repo) WriteRoot(path string) error {
	b, err := r.RootJSON()
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}

// AddSlot signs file as board's slot image of version (not yet
// published).
func (r *Repo) AddSlot(board, version, file string) error {
	c := ota.Custom{Board: board, Version: version, Kind: ota.KindSlot}
	return r.AddTarget(ota.SlotTarget(board, version), file, c, r.Targets)
}

// AddGatewaySlot signs file as board's slot image of version for
// gateway-role appliances (not yet published).
func (r *Repo) AddGatewaySlot(board, version, file string) error {
	c := ota.Custom{Board: board, Version: version, Kind: ota.KindSlot}
	return r.AddTarget(ota.GatewaySlotTarget(board, version), file, c, r.Targets)
}

// AddAgent signs file as the agent binary of version for platform
// (linux-amd64, ...), the target of the .deb installations' updates (not
// yet published).
func (r *Repo) AddAgent(platform, version, file string) error {
	c := ota.Custom{Board: platform, Version: version, Kind: ota.KindBinary}
	return r.AddTarget(ota.BinaryTarget(ota.ProductAgent, platform, version), file, c, r.Targets)
}

// AddSlotData is AddSlot of data, written to a file in dir first.
func (r *Repo) AddSlotData(board, version string, data []byte, dir string) error {
	file := filepath.Join(dir, "slot-"+board+"-"+version+".img.zst")
	if err := os.WriteFile(file, data, 0o644); err != nil {
		return err
	}
	return r.AddSlot(board, version, file)
}

// Publish signs a snapshot and a timestamp of what was added.
func (r *Repo) Publish() error { return r.Repository.Publish(r.Snapshot, r.Timestamp) }

// Bundle writes the repository as the bundle `hearth firmware import`
// takes.
func (r *Repo) Bundle(w io.Writer) error { return release.WriteBundle(w, r.Dir) }

// WriteBundle writes the bundle to path.
func (r *Repo) WriteBundle(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := r.Bundle(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
