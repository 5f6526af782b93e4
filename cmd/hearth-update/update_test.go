package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hearth-home/hearth/firmware/ota"
	"github.com/hearth-home/hearth/firmware/ota/otatest"
	"github.com/hearth-home/hearth/internal/identity"
)

// A session that cannot speak to the gateway is refused with what is
// wrong in it, before anything is fetched.
func TestGatewayClientRefusesBadSessions(t *testing.T) {
	id, err := identity.Generate()
	if err != nil {
		t.Fatal(err)
	}
	gw, err := identity.Generate()
	if err != nil {
		t.Fatal(err)
	}
	good := session{Seed: base64.StdEncoding.EncodeToString(id.Seed()), Gateway: "10.0.0.1:7443", GatewayID: gw.ID.String()}
	if _, err := gatewayClient(good); err != nil {
		t.Fatalf("a good session: %v", err)
	}
	for name, tc := range map[string]struct {
		s    session
		want string
	}{
		"seed not base64": {session{Seed: "%%%", Gateway: good.Gateway, GatewayID: good.GatewayID}, "seed"},
		"seed too short":  {session{Seed: base64.StdEncoding.EncodeToString([]byte("short")), Gateway: good.Gateway, GatewayID: good.GatewayID}, "session"},
		"no port":         {session{Seed: good.Seed, Gateway: "10.0.0.1", GatewayID: good.GatewayID}, "gateway address"},
		"bad gateway ID":  {session{Seed: good.Seed, Gateway: good.Gateway, GatewayID: "NOTANID"}, "gateway ID"},
	} {
		if _, err := gatewayClient(tc.s); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want an error about the %s", name, err, tc.want)
		}
	}
}

// A device that is not Hearth OS, or whose image pins no update keys,
// says so and installs nothing.
func TestRunRefusesWithoutReleaseOrKeys(t *testing.T) {
	dir := t.TempDir()
	log := slog.New(slog.DiscardHandler)
	cfg := config{Version: "1.1.0", Root: filepath.Join(dir, "etc/hearth/root.json"), TUFDir: filepath.Join(dir, "tuf")}
	if err := run(context.Background(), cfg, session{}, log); err == nil || !strings.Contains(err.Error(), "is this Hearth OS") {
		t.Errorf("without board and version files: %v", err)
	}
	os.MkdirAll(filepath.Join(dir, "etc/hearth"), 0o755)
	os.WriteFile(filepath.Join(dir, "etc/hearth/board"), []byte("generic-arm64\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "etc/hearth/version"), []byte("1.0.0\n"), 0o644)
	if err := run(context.Background(), cfg, session{}, log); err == nil || !strings.Contains(err.Error(), "takes no updates") {
		t.Errorf("without root.json: %v", err)
	}
	if _, err := os.Stat(cfg.TUFDir); err == nil {
		t.Error("the refused run made its metadata directory")
	}
}

// On a gateway-role appliance the release comes from the gateway's own
// mirror on disk, checked against the slot's pinned root all the same;
// --gateway takes the gateway's slot, never the agents'.
func TestRunReadsTheGatewaysMirror(t *testing.T) {
	repo, err := otatest.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if err := repo.AddSlotData("generic-arm64", "2.0.0", []byte("agent slot 2.0.0"), t.TempDir()); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "gw.img.zst")
	os.WriteFile(file, []byte("gateway slot 1.5.0"), 0o644)
	if err := repo.AddGatewaySlot("generic-arm64", "1.5.0", file); err != nil {
		t.Fatal(err)
	}
	if err := repo.Publish(); err != nil {
		t.Fatal(err)
	}
	root, err := repo.RootJSON()
	if err != nil {
		t.Fatal(err)
	}
	mirror := &ota.Mirror{Dir: t.TempDir(), Root: root, Logger: slog.New(slog.DiscardHandler)}
	var bundle bytes.Buffer
	if err := repo.Bundle(&bundle); err != nil {
		t.Fatal(err)
	}
	if _, err := mirror.Import(t.Context(), &bundle); err != nil {
		t.Fatal(err)
	}
	slot := t.TempDir()
	os.MkdirAll(filepath.Join(slot, "etc/hearth"), 0o755)
	os.WriteFile(filepath.Join(slot, "etc/hearth/board"), []byte("generic-arm64\n"), 0o644)
	os.WriteFile(filepath.Join(slot, "etc/hearth/version"), []byte("1.0.0\n"), 0o644)
	os.WriteFile(filepath.Join(slot, "etc/hearth/root.json"), root, 0o644)
	log := slog.New(slog.DiscardHandler)
	cfg := config{Version: "2.0.0", Root: filepath.Join(slot, "etc/hearth/root.json"), TUFDir: filepath.Join(t.TempDir(), "tuf"),
		Mirror: mirror.Dir, Gateway: true, NoReboot: true}
	// Offered the agents' 2.0.0, the gateway finds its own newest, 1.5.0,
	// and installs nothing.
	if err := run(t.Context(), cfg, session{}, log); err == nil || !strings.Contains(err.Error(), "newest release its mirror signs for generic-arm64 is 1.5.0") {
		t.Errorf("the gateway offered the agents' release: %v, want it to name its own newest, 1.5.0", err)
	}
	// A mirror that does not verify against the pinned root: refused.
	other, err := otatest.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	otherRoot, _ := other.RootJSON()
	os.WriteFile(cfg.Root, otherRoot, 0o644)
	cfg.TUFDir = filepath.Join(t.TempDir(), "tuf")
	if err := run(t.Context(), cfg, session{}, log); err == nil || !strings.Contains(err.Error(), "checking the gateway's mirror") {
		t.Errorf("a mirror signed by other keys: %v, want it refused", err)
	}
}
