package ota_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"

	"github.com/hearth-home/hearth/firmware/ota"
)

// The good path: a device on v1 finds nothing, then v2 once it is published, downloads it
// verified, and finds nothing newer than v2.
func TestCheckFindsNewerAndDownloads(t *testing.T) {
	rel, gw := published(t, "generic-arm64", "1.0.0")
	dev := gw.device(rel.rootJSON(), "generic-arm64", t.TempDir(), nil)

	u, err := dev.Check(t.Context(), "1.0.0")
	if err != nil || u != nil {
		t.Fatalf("Check(1.0.0) on v1 = %+v, %v; want nil, nil", u, err)
	}

	v2 := rel.add("generic-arm64", "2.0.0", "")
	rel.add("rpi-arm64", "3.0.0", "") // another board's newer release is not ours
	rel.publish()
	gw.importRelease(rel)
	u, err = dev.Check(t.Context(), "1.0.0")
	if err != nil {
		t.Fatal(err)
	}
	if u == nil || u.Version != "2.0.0" || u.Board != "generic-arm64" || u.Kind != ota.KindSlot ||
		u.Target != "hearth-os/generic-arm64/2.0.0/slot.img.zst" || u.Length != int64(len(v2)) {
		t.Fatalf("Check(1.0.0) = %+v; want generic-arm64 2.0.0", u)
	}
	want := sha256.Sum256(v2)
	if u.SHA256 != hex.EncodeToString(want[:]) {
		t.Fatalf("Update.SHA256 = %s, want %x", u.SHA256, want)
	}

	dst := filepath.Join(t.TempDir(), "slot.img.zst")
	sum, err := dev.DownloadFile(t.Context(), u, dst)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(dst)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, v2) || sum != u.SHA256 {
		t.Fatalf("downloaded %d bytes (sha256 %s), want the %d bytes of v2 (%s)", len(got), sum, len(v2), u.SHA256)
	}

	u, err = dev.Check(t.Context(), "2.0.0")
	if err != nil || u != nil {
		t.Fatalf("Check(2.0.0) = %+v, %v; want nil, nil", u, err)
	}
}

// Versions compare by number, not by text: 1.2.10 is newer than 1.2.9; min_from keeps devices
// that are too old on an intermediate release.
func TestCheckPicksNewestByVersionAndMinFrom(t *testing.T) {
	rel := newProject(t)
	rel.add("rpi-arm64", "1.2.9", "")
	rel.add("rpi-arm64", "1.2.10", "")
	rel.add("rpi-arm64", "2.0.0", "1.2.10")
	rel.add("rpi-arm64", "2.1.0-rc.1", "1.2.10")
	rel.publish()
	gw := newGateway(t, rel.rootJSON())
	gw.importRelease(rel)
	dev := gw.device(rel.rootJSON(), "rpi-arm64", t.TempDir(), nil)
	for current, want := range map[string]string{
		"1.2.0":  "1.2.10", // 2.0.0 needs at least 1.2.10
		"1.2.10": "2.1.0-rc.1",
		"v1.2.9": "1.2.10",
	} {
		u, err := dev.Check(t.Context(), current)
		if err != nil {
			t.Fatal(err)
		}
		if u == nil || u.Version != want {
			t.Errorf("Check(%s) = %+v; want %s", current, u, want)
		}
	}
	if _, err := dev.Check(t.Context(), "not-a-version"); err == nil {
		t.Error("Check(not-a-version) succeeded")
	}
}

// When nothing changed, a check fetches the timestamp and probes for a newer root (a 404), and
// nothing else: the snapshot and targets trusted on the data partition are reused.
func TestCheckBytesWhenNothingChanged(t *testing.T) {
	rel, gw := published(t, "generic-arm64", "1.0.0")
	dir := t.TempDir()
	first := gw.device(rel.rootJSON(), "generic-arm64", dir, nil)
	if _, err := first.Check(t.Context(), "1.0.0"); err != nil {
		t.Fatal(err)
	}
	firstStats := first.Stats()
	// A new client over the same directory: the agent restarted, or booted the other slot.
	again := gw.device(rel.rootJSON(), "generic-arm64", dir, nil)
	if _, err := again.Check(t.Context(), "1.0.0"); err != nil {
		t.Fatal(err)
	}
	st := again.Stats()
	ts, err := os.ReadFile(filepath.Join(gw.mirror.Dir, "metadata", "timestamp.json"))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("first check: %d bytes in %d files; unchanged check: %d bytes in %d files (timestamp.json %d bytes)",
		firstStats.MetadataBytes, firstStats.MetadataFiles, st.MetadataBytes, st.MetadataFiles, len(ts))
	if st.MetadataFiles != 1 || st.MetadataBytes != int64(len(ts)) || st.MetadataBytes >= 2048 {
		t.Fatalf("unchanged check fetched %d bytes in %d files; want only timestamp.json (%d bytes, < 2 KB)",
			st.MetadataBytes, st.MetadataFiles, len(ts))
	}
}

// A power cut while go-tuf wrote its trusted metadata leaves a file empty
// or cut short: the next check fetches it again and finds the update,
// where go-tuf alone refused every check for good. Seen under QEMU with
// the plug pulled during an update.
func TestCheckAfterTornMetadata(t *testing.T) {
	rel, gw := published(t, "generic-arm64", "1.0.0")
	dir := t.TempDir()
	dev := gw.device(rel.rootJSON(), "generic-arm64", dir, nil)
	if _, err := dev.Check(t.Context(), "1.0.0"); err != nil {
		t.Fatal(err)
	}
	rel.add("generic-arm64", "2.0.0", "")
	rel.publish()
	gw.importRelease(rel)
	torn := 0
	for _, name := range []string{"timestamp.json", "snapshot.json", "targets.json"} {
		p := filepath.Join(dir, name)
		if _, err := os.Stat(p); err == nil {
			os.WriteFile(p, []byte(`{"signed": {"_type": "times`), 0o644)
			torn++
		}
	}
	if torn == 0 {
		t.Fatalf("the client kept no trusted metadata in %s to tear", dir)
	}
	dev = gw.device(rel.rootJSON(), "generic-arm64", dir, nil)
	u, err := dev.Check(t.Context(), "1.0.0")
	if err != nil || u == nil || u.Version != "2.0.0" {
		t.Fatalf("Check after torn metadata = %+v, %v; want 2.0.0", u, err)
	}
}

// A gateway-role appliance's slot (product hearth-os-gateway) is a target of its own: the agents
// of the board never take it, and the gateway, reading its own mirror from disk (DirFetcher, as
// hearth-update --mirror does), takes only it.
func TestGatewaySlotIsItsOwnProduct(t *testing.T) {
	rel, gw := published(t, "generic-arm64", "1.0.0")
	data := bytes.Repeat([]byte("hearth-os-gateway generic-arm64 2.0.0\n"), 1000)
	file := filepath.Join(t.TempDir(), "gateway.img.zst")
	if err := os.WriteFile(file, data, 0o644); err != nil {
		t.Fatal(err)
	}
	c := ota.Custom{Board: "generic-arm64", Version: "2.0.0", Kind: ota.KindSlot}
	if err := rel.repo.AddTarget(ota.GatewaySlotTarget("generic-arm64", "2.0.0"), file, c, rel.targets); err != nil {
		t.Fatal(err)
	}
	rel.publish()
	gw.importRelease(rel)

	agent := gw.device(rel.rootJSON(), "generic-arm64", t.TempDir(), nil)
	if u, err := agent.Check(t.Context(), "1.0.0"); err != nil || u != nil {
		t.Errorf("an agent's Check = %+v, %v; want nothing (the gateway's slot is not its product)", u, err)
	}
	base, err := ota.DirURL(gw.mirror.Dir)
	if err != nil {
		t.Fatal(err)
	}
	self, err := ota.NewClient(ota.Config{Root: rel.rootJSON(), Dir: t.TempDir(), BaseURL: base, Fetcher: ota.DirFetcher(gw.mirror.Dir),
		Board: "generic-arm64", Product: ota.ProductGatewayOS, Logger: quiet()})
	if err != nil {
		t.Fatal(err)
	}
	u, err := self.Check(t.Context(), "1.0.0")
	if err != nil || u == nil || u.Target != "hearth-os-gateway/generic-arm64/2.0.0/slot.img.zst" || u.Length != int64(len(data)) {
		t.Fatalf("the gateway's Check = %+v, %v; want its 2.0.0 slot", u, err)
	}
	dst := filepath.Join(t.TempDir(), "slot.img.zst")
	if _, err := self.DownloadFile(t.Context(), u, dst); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(dst); !bytes.Equal(got, data) {
		t.Error("the gateway's slot, read from its mirror, differs from what was signed")
	}
	if err := ota.ValidateTarget("hearth-os-gateway/generic-arm64/2.0.0", c); err == nil {
		t.Error("a gateway slot target without its file was accepted")
	}
}
