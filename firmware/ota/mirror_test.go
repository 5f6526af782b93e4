package ota_test

import (
	"archive/tar"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hearth-home/hearth/firmware/ota"
	"github.com/hearth-home/hearth/firmware/ota/release"
)

// mirrorFiles lists what a mirror serves, with contents, to show that a refused import changed
// nothing.
func mirrorFiles(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, sub := range []string{"metadata", "targets", ".trusted"} {
		filepath.WalkDir(filepath.Join(dir, sub), func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				data, _ := os.ReadFile(p)
				rel, _ := filepath.Rel(dir, p)
				out[rel] = string(data)
			}
			return nil
		})
	}
	return out
}

func sameFiles(t *testing.T, before, after map[string]string) {
	t.Helper()
	if len(before) != len(after) {
		t.Fatalf("mirror had %d files, has %d after a refused import", len(before), len(after))
	}
	for k, v := range before {
		if after[k] != v {
			t.Fatalf("mirror file %s changed by a refused import", k)
		}
	}
}

// The gateway imports a bundle, serves exactly the signed files, and drops target files that the
// new release no longer lists.
func TestImportServesVerifiedRepository(t *testing.T) {
	rel := newProject(t)
	rel.add("generic-arm64", "1.0.0", "")
	rel.publish()
	gw := newGateway(t, rel.rootJSON())
	res, err := gw.mirror.Import(t.Context(), rel.bundle())
	if err != nil {
		t.Fatal(err)
	}
	if res.Root != 1 || res.Timestamp != 1 || res.Snapshot != 1 || res.Targets != 1 || res.Files != 1 || res.Missing != 0 ||
		len(res.Images) != 1 || res.Images[0].Board != "generic-arm64" || res.Images[0].Version != "1.0.0" || len(res.Images[0].SHA256) != 64 {
		t.Fatalf("Import = %+v", res)
	}
	if d := time.Until(res.Expires); d < 6*24*time.Hour || d > 7*24*time.Hour {
		t.Fatalf("timestamp expires in %v; want 7 days", d)
	}
	for _, name := range []string{"1.root.json", "timestamp.json", "1.snapshot.json", "1.targets.json"} {
		served, err := os.ReadFile(filepath.Join(gw.mirror.Dir, "metadata", name))
		if err != nil {
			t.Fatal(err)
		}
		signed, err := os.ReadFile(filepath.Join(rel.repo.Dir, "metadata", name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(served, signed) {
			t.Fatalf("mirror serves %s other than signed", name)
		}
	}

	// A bundle may leave out images: one that an earlier bundle brought is still served, a new one
	// is counted missing.
	rel.add("rpi-arm64", "1.0.0", "")
	rel.publish()
	rpi, _ := filepath.Glob(filepath.Join(rel.repo.Dir, "targets", "hearth-os", "rpi-arm64", "1.0.0", "*"))
	for _, f := range rpi {
		os.Remove(f)
	}
	res, err = gw.mirror.Import(t.Context(), rel.bundle())
	if err != nil {
		t.Fatal(err)
	}
	if res.Timestamp != 2 || res.Files != 1 || res.Missing != 1 {
		t.Fatalf("Import of a partial bundle = %+v; want 1 file, 1 missing", res)
	}
	// Importing the same bundle again is harmless.
	if _, err := gw.mirror.Import(t.Context(), rel.bundle()); err != nil {
		t.Fatal(err)
	}
	// A metadata-only bundle keeps the images that earlier bundles brought.
	generic, _ := filepath.Glob(filepath.Join(rel.repo.Dir, "targets", "hearth-os", "generic-arm64", "1.0.0", "*"))
	for _, f := range generic {
		os.Remove(f)
	}
	if err := rel.repo.Timestamp(rel.timestamp); err != nil {
		t.Fatal(err)
	}
	res, err = gw.mirror.Import(t.Context(), rel.bundle())
	if err != nil {
		t.Fatal(err)
	}
	if res.Files != 0 || res.Missing != 1 {
		t.Fatalf("Import of a metadata-only bundle = %+v; want 0 files, 1 missing (rpi-arm64)", res)
	}
	dev := gw.device(rel.rootJSON(), "generic-arm64", t.TempDir(), nil)
	u, err := dev.Check(t.Context(), "0.9.0")
	if err != nil || u == nil {
		t.Fatalf("Check = %+v, %v", u, err)
	}
	if _, err := dev.Download(t.Context(), u, io.Discard); err != nil {
		t.Fatal("image brought by the first bundle is gone:", err)
	}
}

// A bundle signed by other keys, an older bundle, an expired one and one whose image was changed
// are refused with an error that says why, and the mirror serves what it served before.
func TestImportRefusesBadBundles(t *testing.T) {
	rel := newProject(t)
	rel.add("generic-arm64", "1.0.0", "")
	rel.publish()
	older := rel.bundle()
	rel.add("generic-arm64", "2.0.0", "")
	rel.publish()
	gw := newGateway(t, rel.rootJSON())
	gw.importRelease(rel)
	before := mirrorFiles(t, gw.mirror.Dir)

	other := newProject(t)
	other.add("generic-arm64", "3.0.0", "")
	other.publish()

	tampered := rel.snapshotDir()
	imgs, _ := filepath.Glob(filepath.Join(tampered, "targets", "hearth-os", "generic-arm64", "2.0.0", "*"))
	if len(imgs) != 1 {
		t.Fatalf("%d images of 2.0.0", len(imgs))
	}
	if err := os.WriteFile(imgs[0], []byte("not the image"), 0o644); err != nil {
		t.Fatal(err)
	}
	var tamperedTar bytes.Buffer
	if err := release.WriteBundle(&tamperedTar, tampered); err != nil {
		t.Fatal(err)
	}

	expired := &release.Repository{Dir: rel.snapshotDir(), Now: func() time.Time { return time.Now().Add(-8 * 24 * time.Hour) }}
	if err := expired.Publish(rel.snapshot, rel.timestamp); err != nil {
		t.Fatal(err)
	}
	var expiredTar bytes.Buffer
	if err := release.WriteBundle(&expiredTar, expired.Dir); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		name   string
		bundle io.Reader
		want   error
	}{
		{"signed by other keys", other.bundle(), ota.ErrSignature},
		{"older release", older, ota.ErrRollback},
		{"expired", &expiredTar, ota.ErrExpired},
		{"image changed", &tamperedTar, ota.ErrMismatch},
		{"not a tar", strings.NewReader(strings.Repeat("garbage\n", 200)), ota.ErrBadBundle},
		{"empty", &bytes.Buffer{}, ota.ErrBadBundle},
		{"parent path", tarOf(t, "metadata/../../evil", tar.TypeReg), ota.ErrBadBundle},
		{"outside the layout", tarOf(t, "etc/passwd", tar.TypeReg), ota.ErrBadBundle},
		{"symlink", tarOf(t, "targets/x", tar.TypeSymlink), ota.ErrBadBundle},
		{"hidden", tarOf(t, "metadata/.trusted", tar.TypeReg), ota.ErrBadBundle},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := gw.mirror.Import(t.Context(), tc.bundle)
			wantErr(t, err, tc.want)
			sameFiles(t, before, mirrorFiles(t, gw.mirror.Dir))
			if left, _ := filepath.Glob(filepath.Join(gw.mirror.Dir, ".import-*")); len(left) != 0 {
				t.Fatalf("staging left behind: %v", left)
			}
		})
	}

	// Too large for the mirror's limit.
	small := &ota.Mirror{Dir: t.TempDir(), Root: rel.rootJSON(), MaxBundleBytes: 1000, Logger: quiet()}
	_, err := small.Import(t.Context(), rel.bundle())
	wantErr(t, err, ota.ErrBadBundle)
}

func tarOf(t *testing.T, name string, typ byte) *bytes.Buffer {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	hdr := &tar.Header{Name: name, Typeflag: typ, Mode: 0o644, Size: 4, Linkname: "/etc/passwd"}
	if typ != tar.TypeReg {
		hdr.Size = 0
	}
	if err := tw.WriteHeader(hdr); err != nil {
		t.Fatal(err)
	}
	if typ == tar.TypeReg {
		tw.Write([]byte("evil"))
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return &buf
}
