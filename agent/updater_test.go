package agent

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hearth-home/hearth/firmware/ota/otatest"
	"github.com/hearth-home/hearth/gateway"
	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/internal/identity"
)

// fakeUpdater writes a script that records its arguments, one run a line,
// in calls, and exits with code.
func fakeUpdater(t *testing.T, code int) (path, calls string) {
	t.Helper()
	dir := t.TempDir()
	path, calls = filepath.Join(dir, "hearth-update"), filepath.Join(dir, "calls")
	script := "#!/bin/sh\necho \"$@\" >> " + calls + "\ncat > " + calls + ".stdin\necho writing slot B\necho oops >&2\nexit " + string(rune('0'+code)) + "\n"
	if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return path, calls
}

func readCalls(calls string) []string {
	b, _ := os.ReadFile(calls)
	return strings.Fields(strings.ReplaceAll(strings.TrimSpace(string(b)), "\n", " |"))
}

func TestUpdaterRunsOncePerVersion(t *testing.T) {
	logs, log := newLogs(t, "updater")
	path, calls := fakeUpdater(t, 1)
	u := newUpdater(path, "/data/hearth", log)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- u.Run(ctx) }()
	defer func() { cancel(); <-done }()

	fw := &api.FirmwareStatus{Board: "generic-arm64", Version: "0.4.0", Slot: "A",
		LastRollback: &api.FirmwareRollback{From: "0.4.0", To: "0.4.5"}}
	u.offer(&api.FirmwareUpdate{Board: "generic-arm64", Version: "0.4.0"}, fw, nil) // running it
	u.offer(&api.FirmwareUpdate{Board: "generic-arm64", Version: "0.4.5"}, fw, nil) // rolled back from it
	for range 5 {
		u.offer(&api.FirmwareUpdate{Board: "generic-arm64", Version: "0.5.0"}, fw, nil)
	}
	logs.waitLog(t, 5*time.Second, "the updater failed", "0.5.0")
	logs.waitLog(t, time.Second, "updater: writing slot B")
	logs.waitLog(t, time.Second, "updater: oops")
	// Failed: not again for a while.
	u.offer(&api.FirmwareUpdate{Board: "generic-arm64", Version: "0.5.0"}, fw, nil)
	time.Sleep(200 * time.Millisecond)
	if got := strings.Join(readCalls(calls), " "); got != "--data-dir /data/hearth --version 0.5.0" {
		t.Fatalf("updater ran as %q", got)
	}
	// Once the wait is over, it is tried again.
	u.mu.Lock()
	u.retry = 0
	u.mu.Unlock()
	u.offer(&api.FirmwareUpdate{Board: "generic-arm64", Version: "0.5.0"}, fw, nil)
	deadline := time.Now().Add(5 * time.Second)
	for len(readCalls(calls)) < 8 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := len(readCalls(calls)); n != 8 {
		t.Fatalf("calls %v", readCalls(calls))
	}
}

func TestUpdaterAbsent(t *testing.T) {
	logs, log := newLogs(t, "updater")
	u := newUpdater("", "/data", log)
	u.offer(&api.FirmwareUpdate{Board: "b", Version: "1.0.0"}, nil, nil)
	u.offer(&api.FirmwareUpdate{Board: "b", Version: "1.0.0"}, nil, nil)
	logs.waitLog(t, time.Second, "firmware update offered but this agent has no --updater")
	if n := strings.Count(logs.String(), "no --updater"); n != 1 {
		t.Errorf("logged %d times", n)
	}
}

// The whole path: a bundle imported at the gateway, the rollout offers it
// in a heartbeat answer, and the agent runs its updater for it.
func TestUpdaterRunsOnOffer(t *testing.T) {
	root, bundle := testBundle(t, "generic-arm64", "0.5.0")
	rootFile := filepath.Join(t.TempDir(), "root.json")
	if err := os.WriteFile(rootFile, root, 0o644); err != nil {
		t.Fatal(err)
	}
	gw := startGateway(t, t.TempDir(), gateway.Config{FirmwareRoot: rootFile})
	if _, err := gw.admin.ImportFirmware(context.Background(), bytes.NewReader(bundle), int64(len(bundle))); err != nil {
		t.Fatal(err)
	}
	status := filepath.Join(t.TempDir(), "firmware.json")
	if err := os.WriteFile(status, []byte(`{"board":"generic-arm64","version":"0.4.0","slot":"A","trial":false}`), 0o644); err != nil {
		t.Fatal(err)
	}
	path, calls := fakeUpdater(t, 0)
	dataDir := t.TempDir()
	ag := startAgent(t, Config{DataDir: dataDir, Gateway: gw.addr(), JoinToken: gw.JoinToken().String(),
		FirmwareStatus: status, Updater: path, Runtimes: noRuntimes})
	ag.logs.waitLog(t, 10*time.Second, "the updater finished")
	if got := strings.Join(readCalls(calls), " "); got != "--data-dir "+dataDir+" --version 0.5.0" {
		t.Fatalf("updater ran as %q", got)
	}
	// It gets the agent's session on its standard input.
	raw, err := os.ReadFile(calls + ".stdin")
	if err != nil {
		t.Fatal(err)
	}
	var sess updaterSession
	if err := json.Unmarshal(raw, &sess); err != nil {
		t.Fatalf("session %q: %v", raw, err)
	}
	seed, _ := base64.StdEncoding.DecodeString(sess.Seed)
	if id, err := identity.FromSeed(seed); err != nil || id.ID != ag.ID() || sess.Gateway != gw.addr() || sess.GatewayID != gw.ID().String() {
		t.Errorf("session %+v (%v)", sess, err)
	}
	// Offered again in every heartbeat, run once.
	time.Sleep(500 * time.Millisecond)
	if n := len(readCalls(calls)); n != 4 {
		t.Fatalf("updater ran %d times: %v", n/4, readCalls(calls))
	}
	st, err := gw.admin.Firmware(context.Background())
	if err != nil || st.Boards[0].Rollout.Canary != ag.ID().String() {
		t.Fatalf("rollout: %+v %v", st, err)
	}
}

// testBundle signs slot images of board at versions with throwaway keys and
// returns the root and the bundle.
func testBundle(t *testing.T, board string, versions ...string) (root, bundle []byte) {
	t.Helper()
	repo, err := otatest.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range versions {
		if err := repo.AddSlotData(board, v, []byte(board+" "+v), t.TempDir()); err != nil {
			t.Fatal(err)
		}
	}
	if err := repo.Publish(); err != nil {
		t.Fatal(err)
	}
	if root, err = repo.RootJSON(); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := repo.Bundle(&buf); err != nil {
		t.Fatal(err)
	}
	return root, buf.Bytes()
}
