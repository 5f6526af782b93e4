package main

import (
	"context"
	"encoding/base64"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

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
