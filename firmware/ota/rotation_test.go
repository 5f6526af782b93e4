package ota_test

import (
	"crypto/ed25519"
	"os"
	"path/filepath"
	"testing"

	"github.com/hearth-home/hearth/firmware/ota"
	"github.com/hearth-home/hearth/firmware/ota/release"
)

// A leaked timestamp key is replaced by a root rotation that two of the three offline root keys
// sign. Devices and gateways that pinned root version 1 follow it, and refuse what the old key
// signs from then on.
func TestRootRotationReplacesLeakedKey(t *testing.T) {
	rel := newProject(t)
	rel.add("generic-arm64", "1.0.0", "")
	rel.publish()
	pinned := rel.rootJSON()
	gw := newGateway(t, pinned)
	gw.importRelease(rel)
	dir := t.TempDir()
	if _, err := gw.device(pinned, "generic-arm64", dir, nil).Check(t.Context(), "1.0.0"); err != nil {
		t.Fatal(err)
	}
	leaked := rel.timestamp
	atLeak := rel.snapshotDir()

	newRoot3, newTimestamp := newKey(t), newKey(t)
	roles := release.Roles{
		Root: []ed25519.PublicKey{pub(rel.root[0]), pub(rel.root[1]), pub(newRoot3)}, RootThreshold: 2,
		Targets: pub(rel.targets), Snapshot: pub(rel.snapshot), Timestamp: pub(newTimestamp),
	}
	if err := rel.repo.RotateRoot(roles, rel.root[0]); err == nil {
		t.Fatal("RotateRoot with one of the two root signatures needed succeeded")
	}
	if err := rel.repo.RotateRoot(roles, rel.root[0], rel.root[1]); err != nil {
		t.Fatal(err)
	}
	rel.timestamp = newTimestamp
	rel.add("generic-arm64", "2.0.0", "")
	rel.publish()

	res, err := gw.mirror.Import(t.Context(), rel.bundle())
	if err != nil {
		t.Fatal(err)
	}
	if res.Root != 2 {
		t.Fatalf("mirror trusts root %d after the rotation; want 2", res.Root)
	}
	if _, err := os.Stat(filepath.Join(gw.mirror.Dir, "metadata", "2.root.json")); err != nil {
		t.Fatal("mirror does not serve 2.root.json:", err)
	}
	for name, d := range map[string]string{"device that checked before": dir, "new device": t.TempDir()} {
		u, err := gw.device(pinned, "generic-arm64", d, nil).Check(t.Context(), "1.0.0")
		if err != nil || u == nil || u.Version != "2.0.0" {
			t.Fatalf("%s: Check = %+v, %v; want 2.0.0 through root 2", name, u, err)
		}
	}

	// The thief signs a newer timestamp with the leaked key over the old state.
	forged := &release.Repository{Dir: atLeak}
	for range 3 {
		if err := forged.Timestamp(leaked); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(gw.mirror.Dir, "metadata", "timestamp.json"),
		mustRead(t, filepath.Join(atLeak, "metadata", "timestamp.json")), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = gw.device(pinned, "generic-arm64", dir, nil).Check(t.Context(), "1.0.0")
	wantErr(t, err, ota.ErrSignature)
}

func mustRead(t *testing.T, p string) []byte {
	t.Helper()
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return data
}
