package ota_test

import (
	"bytes"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hearth-home/hearth/firmware/ota"
	"github.com/hearth-home/hearth/firmware/ota/release"
)

// Each test here is an attack that TUF names (theupdateframework/specification §1.5.2), made by a
// hostile gateway or a stolen online key. Each must be refused with the error that names it, and
// nothing may reach the download's destination.

// v1v2 publishes v1 and v2 of generic-arm64, keeps a copy of the repository as it was at v1, and
// returns a device on its own data directory that has checked against v2.
func v1v2(t *testing.T) (rel *project, atV1 string, gw *gateway, dev *ota.Client, dir string) {
	t.Helper()
	rel = newProject(t)
	rel.add("generic-arm64", "1.0.0", "")
	rel.publish()
	atV1 = rel.snapshotDir()
	rel.add("generic-arm64", "2.0.0", "")
	rel.publish()
	gw = newGateway(t, rel.rootJSON())
	gw.importRelease(rel)
	dir = t.TempDir()
	dev = gw.device(rel.rootJSON(), "generic-arm64", dir, nil)
	if u, err := dev.Check(t.Context(), "1.0.0"); err != nil || u == nil || u.Version != "2.0.0" {
		t.Fatalf("Check = %+v, %v; want 2.0.0", u, err)
	}
	return rel, atV1, gw, dev, dir
}

func wantErr(t *testing.T, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("err = %v; want %v", err, target)
	}
	t.Logf("refused: %v", err)
}

// Rollback: the gateway replays the metadata of v1 to a device that saw v2, hoping it goes back
// to v1. The device remembers on its data partition: a new client (after a reboot into the other
// slot) refuses too.
func TestRefusesReplayedTimestamp(t *testing.T) {
	rel, atV1, gw, _, dir := v1v2(t)
	gw.serveRaw(atV1)
	dev := gw.device(rel.rootJSON(), "generic-arm64", dir, nil)
	u, err := dev.Check(t.Context(), "1.0.0")
	wantErr(t, err, ota.ErrRollback)
	if u != nil {
		t.Fatalf("Check returned %+v with an error", u)
	}
}

// Rollback with the online keys stolen: a fresh timestamp (version 3) that names the v1 snapshot,
// and a fresh timestamp and snapshot that name the v1 targets. Versions never go down.
func TestRefusesOlderSnapshotAndTargets(t *testing.T) {
	for _, tc := range []struct {
		name string
		sign func(r *release.Repository, rel *project) error
	}{
		{"snapshot", func(r *release.Repository, rel *project) error {
			if err := r.Timestamp(rel.timestamp); err != nil {
				return err
			}
			return r.Timestamp(rel.timestamp) // timestamp v3 -> snapshot v1
		}},
		{"targets", func(r *release.Repository, rel *project) error {
			if err := r.Publish(rel.snapshot, rel.timestamp); err != nil {
				return err
			}
			return r.Publish(rel.snapshot, rel.timestamp) // snapshot v3 -> targets v1
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rel, atV1, gw, _, dir := v1v2(t)
			forged := &release.Repository{Dir: atV1}
			if err := tc.sign(forged, rel); err != nil {
				t.Fatal(err)
			}
			gw.serveRaw(atV1)
			dev := gw.device(rel.rootJSON(), "generic-arm64", dir, nil)
			_, err := dev.Check(t.Context(), "1.0.0")
			wantErr(t, err, ota.ErrRollback)
		})
	}
}

// Freeze: the gateway keeps serving the same metadata for ever, so that devices never learn of a
// fix. Eight days later the timestamp has expired and the device says so.
func TestRefusesExpiredTimestamp(t *testing.T) {
	rel, _, gw, _, dir := v1v2(t)
	later := func() time.Time { return time.Now().Add(release.DefaultTimestampExpiry + 24*time.Hour) }
	dev := gw.device(rel.rootJSON(), "generic-arm64", dir, later)
	u, err := dev.Check(t.Context(), "1.0.0")
	wantErr(t, err, ota.ErrExpired)
	if u != nil {
		t.Fatalf("Check returned %+v with an error", u)
	}
	// A release whose timestamp was signed eight days ago is refused by a fresh device too.
	rel.repo.Now = func() time.Time { return time.Now().Add(-8 * 24 * time.Hour) }
	if err := rel.repo.Timestamp(rel.timestamp); err != nil {
		t.Fatal(err)
	}
	gw.serveRaw(rel.repo.Dir)
	fresh := gw.device(rel.rootJSON(), "generic-arm64", t.TempDir(), nil)
	_, err = fresh.Check(t.Context(), "1.0.0")
	wantErr(t, err, ota.ErrExpired)
}

// Arbitrary installation: the gateway serves other bytes under the signed target's name, of the
// same length or shorter.
func TestRefusesTargetWithOtherBytes(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func([]byte) []byte
	}{
		{"same length", func(b []byte) []byte { return bytes.ToUpper(b) }},
		{"shorter", func(b []byte) []byte { return b[:len(b)/2] }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, gw, dev, _ := v1v2(t)
			u, err := dev.Check(t.Context(), "1.0.0")
			if err != nil {
				t.Fatal(err)
			}
			file := filepath.Join(gw.mirror.Dir, "targets", "hearth-os", "generic-arm64", "2.0.0", u.SHA256+".slot.img.zst")
			good, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(file, tc.change(good), 0o644); err != nil {
				t.Fatal(err)
			}
			dst := filepath.Join(t.TempDir(), "slot.img.zst")
			_, err = dev.DownloadFile(t.Context(), u, dst)
			wantErr(t, err, ota.ErrMismatch)
			noFile(t, dst)
		})
	}
}

// A caller cannot widen what Download accepts by editing the Update: the signed length and hash
// are the ones enforced.
func TestDownloadEnforcesTrustedNotCallerFields(t *testing.T) {
	_, _, gw, dev, _ := v1v2(t)
	u, err := dev.Check(t.Context(), "1.0.0")
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(gw.mirror.Dir, "targets", "hearth-os", "generic-arm64", "2.0.0", u.SHA256+".slot.img.zst")
	evil := append(image("generic-arm64", "2.0.0"), "and more"...)
	if err := os.WriteFile(file, evil, 0o644); err != nil {
		t.Fatal(err)
	}
	u.Length = int64(len(evil))
	var sink bytes.Buffer
	_, err = dev.Download(t.Context(), u, &sink)
	wantErr(t, err, ota.ErrTooLarge)
	if sink.Len() > len(image("generic-arm64", "2.0.0")) {
		t.Fatalf("writer got %d bytes, more than the signed length", sink.Len())
	}
}

// Mix-and-match: the gateway serves the snapshot of one release with the targets of another (or
// the timestamp of one with the snapshot of another) under the names the newer one expects.
func TestRefusesMixedReleases(t *testing.T) {
	for _, tc := range []struct{ name, oldName, newName string }{
		{"targets of v1 under v2's snapshot", "1.targets.json", "2.targets.json"},
		{"snapshot of v1 under v2's timestamp", "1.snapshot.json", "2.snapshot.json"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rel := newProject(t)
			rel.add("generic-arm64", "1.0.0", "")
			rel.publish()
			rel.add("generic-arm64", "2.0.0", "")
			rel.publish()
			gw := newGateway(t, rel.rootJSON())
			gw.importRelease(rel)
			old, err := os.ReadFile(filepath.Join(rel.repo.Dir, "metadata", tc.oldName))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(gw.mirror.Dir, "metadata", tc.newName), old, 0o644); err != nil {
				t.Fatal(err)
			}
			dev := gw.device(rel.rootJSON(), "generic-arm64", t.TempDir(), nil)
			u, err := dev.Check(t.Context(), "1.0.0")
			wantErr(t, err, ota.ErrMismatch)
			if u != nil {
				t.Fatalf("Check returned %+v with an error", u)
			}
		})
	}
}

// Endless data: the gateway answers with a timestamp (whose length nothing signed) or a target
// that never ends. The device stops reading at its limit.
func TestRefusesEndlessData(t *testing.T) {
	t.Run("metadata", func(t *testing.T) {
		rel, _, gw, _, dir := v1v2(t)
		gw.wrap = func(w http.ResponseWriter, r *http.Request, next http.Handler) {
			if strings.HasSuffix(r.URL.Path, "/timestamp.json") {
				endless(w, r, next)
				return
			}
			next.ServeHTTP(w, r)
		}
		dev := gw.device(rel.rootJSON(), "generic-arm64", dir, nil)
		_, err := dev.Check(t.Context(), "1.0.0")
		wantErr(t, err, ota.ErrTooLarge)
		if b := dev.Stats().MetadataBytes; b != 16<<10+1 {
			t.Fatalf("read %d bytes of an endless timestamp; want to stop at 16 KiB + 1", b)
		}
	})
	t.Run("target", func(t *testing.T) {
		_, _, gw, dev, _ := v1v2(t)
		u, err := dev.Check(t.Context(), "1.0.0")
		if err != nil {
			t.Fatal(err)
		}
		gw.wrap = func(w http.ResponseWriter, r *http.Request, next http.Handler) {
			if strings.HasPrefix(r.URL.Path, "/targets/") {
				endless(w, r, next)
				return
			}
			next.ServeHTTP(w, r)
		}
		dst := filepath.Join(t.TempDir(), "slot.img.zst")
		_, err = dev.DownloadFile(t.Context(), u, dst)
		wantErr(t, err, ota.ErrTooLarge)
		noFile(t, dst)
	})
}

// Wrong software: a correctly signed image for another board is never offered, and Download of it
// is refused before a byte is fetched.
func TestRefusesOtherBoard(t *testing.T) {
	rel := newProject(t)
	rel.add("generic-arm64", "1.0.0", "")
	rel.add("rpi-armel", "9.0.0", "")
	rel.publish()
	gw := newGateway(t, rel.rootJSON())
	gw.importRelease(rel)
	fetched := 0
	gw.wrap = func(w http.ResponseWriter, r *http.Request, next http.Handler) {
		if strings.HasPrefix(r.URL.Path, "/targets/") {
			fetched++
		}
		next.ServeHTTP(w, r)
	}
	dev := gw.device(rel.rootJSON(), "generic-arm64", t.TempDir(), nil)
	u, err := dev.Check(t.Context(), "1.0.0")
	if err != nil || u != nil {
		t.Fatalf("Check = %+v, %v; want nil, nil (9.0.0 is for rpi-armel)", u, err)
	}
	other := &ota.Update{Target: ota.SlotTarget("rpi-armel", "9.0.0"),
		Custom: ota.Custom{Board: "generic-arm64", Version: "9.0.0", Kind: ota.KindSlot}}
	dst := filepath.Join(t.TempDir(), "slot.img.zst")
	_, err = dev.DownloadFile(t.Context(), other, dst)
	wantErr(t, err, ota.ErrWrongBoard)
	noFile(t, dst)
	unsigned := &ota.Update{Target: ota.SlotTarget("generic-arm64", "9.9.9")}
	_, err = dev.DownloadFile(t.Context(), unsigned, dst)
	wantErr(t, err, ota.ErrWrongBoard)
	noFile(t, dst)
	if fetched != 0 {
		t.Fatalf("%d target requests for refused downloads", fetched)
	}
}

// A release whose custom metadata disagrees with its path cannot even be signed.
func TestAddTargetRefusesMislabelledImage(t *testing.T) {
	rel := newProject(t)
	file := filepath.Join(t.TempDir(), "slot.img.zst")
	if err := os.WriteFile(file, []byte("image"), 0o644); err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]ota.Custom{
		ota.SlotTarget("generic-arm64", "2.0.0"):                 {Board: "rpi-armel", Version: "2.0.0", Kind: ota.KindSlot},
		ota.SlotTarget("generic-arm64", "2.0.0") + "x":           {Board: "generic-arm64", Version: "2.0.0", Kind: ota.KindBinary},
		ota.BinaryTarget("hearth-agent", "linux-arm64", "2.0.0"): {Board: "linux-arm64", Version: "2.0.0", Kind: ota.KindSlot},
		ota.SlotTarget("generic-arm64", "two"):                   {Board: "generic-arm64", Version: "two", Kind: ota.KindSlot},
	} {
		err := rel.repo.AddTarget(name, file, c, rel.targets)
		if !errors.Is(err, ota.ErrMetadata) {
			t.Errorf("AddTarget(%s, %+v) = %v; want ErrMetadata", name, c, err)
		}
	}
	// The snapshot key is not the release key.
	err := rel.repo.AddTarget(ota.SlotTarget("generic-arm64", "2.0.0"), file,
		ota.Custom{Board: "generic-arm64", Version: "2.0.0", Kind: ota.KindSlot}, rel.snapshot)
	wantErr(t, err, ota.ErrSignature)
}
