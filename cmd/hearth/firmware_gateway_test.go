package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hearth-home/hearth/firmware/ota/otatest"
	"github.com/hearth-home/hearth/gateway"
	"github.com/hearth-home/hearth/gateway/api"
)

// signedBundle makes a release repository with throwaway keys holding one
// slot image of board at each version, and returns its root.json file and
// a bundle file.
func signedBundle(t *testing.T, board string, versions ...string) (root, bundle string) {
	t.Helper()
	repo, err := otatest.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, v := range versions {
		if err := repo.AddSlotData(board, v, []byte(strings.Repeat(board+" "+v+"\n", 1000)), dir); err != nil {
			t.Fatal(err)
		}
	}
	if err := repo.Publish(); err != nil {
		t.Fatal(err)
	}
	root, bundle = filepath.Join(dir, "root.json"), filepath.Join(dir, "bundle.tar")
	if err := repo.WriteRoot(root); err != nil {
		t.Fatal(err)
	}
	if err := repo.WriteBundle(bundle); err != nil {
		t.Fatal(err)
	}
	return root, bundle
}

func startFirmwareGateway(t *testing.T, root string) (*gateway.Gateway, map[string]string) {
	t.Helper()
	g, err := gateway.New(gateway.Config{DataDir: t.TempDir(), Listen: "127.0.0.1:0", FirmwareRoot: root})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- g.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	path, err := g.WriteCredentials()
	if err != nil {
		t.Fatal(err)
	}
	return g, map[string]string{"HOME": t.TempDir(), "HEARTH_CREDENTIALS": path}
}

func TestFirmwareImportAndStatus(t *testing.T) {
	const board = "generic-arm64"
	root, bundle := signedBundle(t, board, "0.4.0", "0.5.0")
	g, env := startFirmwareGateway(t, root)

	out := mustRun(t, env, exitOK, "firmware", "status")
	if !strings.Contains(out, "No update bundle imported yet") {
		t.Errorf("status before import:\n%s", out)
	}
	// A device on the older release.
	n, _ := newScriptedNode(t, g, "kitchen-pi", g.JoinToken().String())
	fw := &api.FirmwareStatus{Board: board, Version: "0.4.0", Slot: "A",
		LastRollback: &api.FirmwareRollback{From: "0.4.0", To: "0.3.9", Reason: "the agent exited 3 times", At: time.Now().Add(-time.Hour)}}
	if _, err := n.c.Heartbeat(context.Background(), api.Heartbeat{Firmware: fw}); err != nil {
		t.Fatal(err)
	}

	out, errOut, code := runCLI(t, env, "firmware", "import", bundle)
	if code != exitOK || !strings.Contains(out, "imported: 2 files") || !strings.Contains(out, board+": canary: 0.5.0") ||
		!strings.Contains(errOut, "sent") {
		t.Fatalf("import: exit %d\n%s\n%s", code, out, errOut)
	}
	resp, err := n.c.Heartbeat(context.Background(), api.Heartbeat{Firmware: fw})
	if err != nil || resp.FirmwareUpdate == nil || resp.FirmwareUpdate.Version != "0.5.0" {
		t.Fatalf("offer: %+v, %v", resp.FirmwareUpdate, err)
	}
	out = mustRun(t, env, exitOK, "firmware", "status")
	for _, want := range []string{"Mirror: imported", "0.5.0 0.4.0", "canary: 0.5.0 on " + n.id.ID.Short(), "kitchen-pi",
		"from 0.3.9 to 0.4.0", "the agent exited 3 times"} {
		if !strings.Contains(out, want) {
			t.Errorf("status lacks %q:\n%s", want, out)
		}
	}
	st := decodeJSON[api.Firmware](t, mustRun(t, env, exitOK, "firmware", "status", "-o", "json"))
	if !st.Enabled || len(st.Boards) != 1 || st.Boards[0].Rollout.State != api.RolloutCanary || len(st.Boards[0].Devices) != 1 {
		t.Errorf("status -o json: %+v", st)
	}
	out = mustRun(t, env, exitOK, "pool", "ls")
	if !strings.Contains(out, "0.4.0 A ↩0.3.9") {
		t.Errorf("pool ls lacks the firmware:\n%s", out)
	}
	ms := decodeJSON[[]api.Member](t, mustRun(t, env, exitOK, "pool", "ls", "-o", "json"))
	if len(ms) != 1 || ms[0].Firmware == nil || ms[0].Firmware.Version != "0.4.0" {
		t.Errorf("pool ls -o json: %+v", ms)
	}

	// A bundle signed by other keys is refused, and says why.
	_, other := signedBundle(t, board, "9.0.0")
	_, errOut, code = runCLI(t, env, "firmware", "import", other)
	if code != exitFail || !strings.Contains(errOut, "bundle refused") {
		t.Errorf("foreign bundle: exit %d\n%s", code, errOut)
	}
}

func TestFirmwareImportWithoutRoot(t *testing.T) {
	_, bundle := signedBundle(t, "generic-arm64", "0.5.0")
	_, env := startGateway(t)
	_, errOut, code := runCLI(t, env, "firmware", "import", bundle)
	if code != exitFail || !strings.Contains(errOut, "--firmware-root") {
		t.Errorf("import without a root: exit %d\n%s", code, errOut)
	}
	out := mustRun(t, env, exitOK, "firmware", "status")
	if !strings.Contains(out, "Firmware updates are off") {
		t.Errorf("status:\n%s", out)
	}
}

// The line on the gateway's own appliance says what it runs and what it
// does next, or why it waits.
func TestGatewayFirmwareText(t *testing.T) {
	fw := &api.FirmwareStatus{Board: "rpi-arm64", Version: "1.0.0", Slot: "A"}
	for _, tc := range []struct {
		g    api.FirmwareSelf
		want string
	}{
		{api.FirmwareSelf{}, "cannot be read"},
		{api.FirmwareSelf{Firmware: fw}, "This gateway's appliance: rpi-arm64 1.0.0 from slot A."},
		{api.FirmwareSelf{Firmware: fw, Next: "1.1.0"}, "; installs 1.1.0 next."},
		{api.FirmwareSelf{Firmware: fw, Installing: "1.1.0"}, "; installing 1.1.0 now."},
		{api.FirmwareSelf{Firmware: fw, Waiting: "the devices of rpi-arm64 take 1.1.0 first"}, "; waiting: the devices of rpi-arm64 take 1.1.0 first."},
	} {
		if got := gatewayFirmwareText(&tc.g); !strings.Contains(got, tc.want) {
			t.Errorf("%+v: %q, want %q", tc.g, got, tc.want)
		}
	}
}
