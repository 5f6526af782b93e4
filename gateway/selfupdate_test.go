package gateway

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hearth-home/hearth/gateway/api"
)

// Which release a gateway-role appliance installs, and when not.
func TestSelfUpdateDecision(t *testing.T) {
	const board = "generic-arm64"
	now := time.Now()
	st := &api.FirmwareStatus{Board: board, Version: "1.0.0", Slot: "A"}
	images := []api.FirmwareImage{{Board: board, Version: "1.1.0"}, {Board: board, Version: "1.2.0", MinFrom: "1.1.0"},
		{Board: "rpi-arm64", Version: "9.0.0"}}
	rolling := func(state api.RolloutState, target string) *rollout {
		return &rollout{Board: board, Target: target, State: state}
	}
	for _, tc := range []struct {
		name    string
		st      *api.FirmwareStatus
		r       *rollout
		failed  map[string]time.Time
		want    string
		wantWhy string
	}{
		{"no status", nil, nil, nil, "", "no firmware status"},
		{"a trial boot commits first", &api.FirmwareStatus{Board: board, Version: "1.0.0", Trial: true}, nil, nil, "", "trial"},
		{"the newest its version reaches (1.2.0 wants 1.1.0 first)", st, nil, nil, "1.1.0", ""},
		{"from 1.1.0, 1.2.0", &api.FirmwareStatus{Board: board, Version: "1.1.0"}, nil, nil, "1.2.0", ""},
		{"nothing newer", &api.FirmwareStatus{Board: board, Version: "1.2.0"}, nil, nil, "", ""},
		{"another board's release is not its", &api.FirmwareStatus{Board: "rpi-armel", Version: "1.0.0"}, nil, nil, "", ""},
		{"the devices take it first: canary", st, rolling(api.RolloutCanary, "1.1.0"), nil, "", "take 1.1.0 first"},
		{"the devices take it first: rolling", st, rolling(api.RolloutRolling, "1.1.0"), nil, "", "take 1.1.0 first"},
		{"the devices have it", st, rolling(api.RolloutDone, "1.1.0"), nil, "1.1.0", ""},
		{"a device rolled back from it", st, rolling(api.RolloutStopped, "1.1.0"), nil, "", "rolled back from 1.1.0"},
		{"a rollout of another release does not hold it", st, rolling(api.RolloutCanary, "1.3.0"), nil, "1.1.0", ""},
		{"it rolled back from it itself", &api.FirmwareStatus{Board: board, Version: "1.0.0",
			LastRollback: &api.FirmwareRollback{From: "1.0.0", To: "1.1.0"}}, nil, nil, "", "appliance rolled back from 1.1.0"},
		{"the updater failed lately", st, nil, map[string]time.Time{"1.1.0": now.Add(-time.Minute)}, "", "failed for 1.1.0"},
		{"the updater failed long ago", st, nil, map[string]time.Time{"1.1.0": now.Add(-time.Hour)}, "1.1.0", ""},
	} {
		got, why := selfUpdateDecision(tc.st, images, tc.r, tc.failed, 10*time.Minute, now)
		if got != tc.want || !strings.Contains(why, tc.wantWhy) || (tc.wantWhy == "" && why != "") {
			t.Errorf("%s: %q (%q), want %q (%q)", tc.name, got, why, tc.want, tc.wantWhy)
		}
	}
}

// A gateway on a gateway-role appliance waits while the devices of its
// board take a release, then runs the updater on its own mirror for the
// gateway's slot of that release; once a device rolls back from a release
// it never installs it. The updater here is a script that records how it
// was run: hearth-update's side is its own test, the appliance's the VM
// test's.
func TestGatewayUpdatesItsAppliance(t *testing.T) {
	ctx := context.Background()
	const board = "generic-arm64"
	rel := newReleaseRepo(t)
	dir := t.TempDir()
	status := filepath.Join(t.TempDir(), "firmware.json")
	writeStatus := func(st api.FirmwareStatus) {
		raw, _ := json.Marshal(st)
		if err := os.WriteFile(status, raw, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	writeStatus(api.FirmwareStatus{Board: board, Version: "1.0.0", Slot: "A"})
	ran := filepath.Join(t.TempDir(), "updater.args")
	updater := filepath.Join(t.TempDir(), "hearth-update")
	script := "#!/bin/sh\necho \"$@\" >> " + ran + "\necho installed\n"
	if err := os.WriteFile(updater, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	tg := startGateway(t, dir, Config{FirmwareRoot: rel.rootFile(), FirmwareStatus: status, Updater: updater})
	n := newNode(t, tg.Gateway)
	old := &api.FirmwareStatus{Board: board, Version: "1.0.0", Slot: "A"}
	n.helloFW(t, tg.JoinToken().String(), old)

	// 1.1.0 for the agents and for the gateway, in one bundle.
	release := func(v string) {
		t.Helper()
		gw := filepath.Join(t.TempDir(), "gateway.img.zst")
		os.WriteFile(gw, []byte("gateway slot "+v), 0o644)
		if err := rel.repo.AddGatewaySlot(board, v, gw); err != nil {
			t.Fatal(err)
		}
		b := rel.release(board, v)
		if _, err := tg.admin.ImportFirmware(ctx, b, int64(b.Len())); err != nil {
			t.Fatal(err)
		}
	}
	release("1.1.0")
	if up := n.beatFW(t, old); up == nil || up.Version != "1.1.0" {
		t.Fatalf("the device's offer: %+v, want 1.1.0 (the agents' slot)", up)
	}
	time.Sleep(300 * time.Millisecond)
	if _, err := os.Stat(ran); err == nil {
		t.Fatal("the gateway updated itself while its board's canary had not committed")
	}
	st, err := tg.admin.Firmware(ctx)
	if err != nil || st.Gateway == nil || st.Gateway.Firmware == nil || st.Gateway.Firmware.Version != "1.0.0" ||
		!strings.Contains(st.Gateway.Waiting, "take 1.1.0 first") {
		t.Fatalf("hearth firmware status while the canary tries it: %+v, %v", st.Gateway, err)
	}
	if len(st.Boards) != 1 || len(st.Boards[0].Versions) != 1 {
		t.Errorf("the gateway's slot shows among the devices' releases: %+v", st.Boards)
	}

	// The device commits it: the rollout is done, and the gateway runs
	// the updater for its own slot of 1.1.0.
	n.beatFW(t, &api.FirmwareStatus{Board: board, Version: "1.1.0", Slot: "B"})
	args := waitFile(t, ran, 10*time.Second)
	want := "--gateway --mirror " + filepath.Join(dir, "firmware") + " --version 1.1.0"
	if strings.TrimSpace(args) != want {
		t.Errorf("the updater ran as %q, want %q", args, want)
	}

	// 1.2.0: the device rolls back from it, and the gateway never takes it.
	os.Remove(ran)
	writeStatus(api.FirmwareStatus{Board: board, Version: "1.1.0", Slot: "B"})
	release("1.2.0")
	cur := &api.FirmwareStatus{Board: board, Version: "1.1.0", Slot: "B"}
	if up := n.beatFW(t, cur); up == nil || up.Version != "1.2.0" {
		t.Fatalf("the device's offer: %+v, want 1.2.0", up)
	}
	n.beatFW(t, &api.FirmwareStatus{Board: board, Version: "1.1.0", Slot: "B",
		LastRollback: &api.FirmwareRollback{From: "1.1.0", To: "1.2.0", Reason: "the agent exited 3 times"}})
	time.Sleep(300 * time.Millisecond)
	if b, err := os.ReadFile(ran); err == nil {
		t.Fatalf("the gateway installed a release a device rolled back from: %s", b)
	}
	if st, err := tg.admin.Firmware(ctx); err != nil || st.Gateway == nil || !strings.Contains(st.Gateway.Waiting, "rolled back from 1.2.0") {
		t.Errorf("hearth firmware status after the rollback: %+v, %v", st.Gateway, err)
	}
}

// waitFile waits for a file to have content and returns it.
func waitFile(t *testing.T, path string, within time.Duration) string {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		if b, err := os.ReadFile(path); err == nil && len(bytes.TrimSpace(b)) > 0 {
			return string(b)
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s not written within %s", path, within)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// The flags go together, and need the release keys.
func TestSelfUpdateNeedsItsFlags(t *testing.T) {
	for _, cfg := range []Config{
		{Updater: "/slot/bin/hearth-update"},
		{FirmwareStatus: "/run/hearth/firmware.json"},
		{Updater: "/slot/bin/hearth-update", FirmwareStatus: "/run/hearth/firmware.json"},
	} {
		cfg.DataDir = t.TempDir()
		cfg.Listen = "127.0.0.1:0"
		if g, err := New(cfg); err == nil {
			g.Close()
			t.Errorf("New(%+v) accepted", cfg)
		}
	}
}
