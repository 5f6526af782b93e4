package agent

import (
	"github.com/hearth-home/hearth/internal/atomicfile"

	"context"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hearth-home/hearth/gateway"
	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/sandbox"
)

// The agent reports the firmware status file in hello and heartbeats, and
// follows it when hearth-init rewrites it.
func TestFirmwareStatusReported(t *testing.T) {
	gw := startGateway(t, t.TempDir(), gateway.Config{})
	status := filepath.Join(t.TempDir(), "firmware.json")
	write := func(s string) {
		t.Helper()
		if err := atomicfile.WriteFile(status, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(`{"board":"generic-arm64","version":"0.5.0","slot":"B","trial":true}`)
	ag := startAgent(t, Config{Gateway: gw.addr(), JoinToken: gw.JoinToken().String(), FirmwareStatus: status, Runtimes: noRuntimes})
	member := func(want string) api.Member {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for {
			ms, err := gw.admin.Members(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if len(ms) == 1 && firmwareText(ms[0].Firmware) == want {
				return ms[0]
			}
			if time.Now().After(deadline) {
				t.Fatalf("member firmware %+v, want %s", ms, want)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	member("0.5.0 B trial")
	// Committed: hearth-init rewrites the file.
	write(`{"board":"generic-arm64","version":"0.5.0","slot":"B","trial":false}`)
	member("0.5.0 B")
	write(`{"board":"generic-arm64","version":"0.4.0","slot":"A","trial":false,
	  "last_rollback":{"from":"0.4.0","to":"0.5.1","reason":"the agent exited 3 times","at":"2026-12-05T23:50:12Z"}}`)
	if m := member("0.4.0 A ↩0.5.1"); m.Firmware.LastRollback.Reason != "the agent exited 3 times" {
		t.Errorf("rollback %+v", m.Firmware.LastRollback)
	}
	// A broken file reports none, and says why once.
	write(`{"board":`)
	member("")
	ag.logs.waitLog(t, time.Second, "ignored the firmware status")
	if err := os.Remove(status); err != nil {
		t.Fatal(err)
	}
	write(`{"board":"generic-arm64","version":"0.4.0","slot":"A"}`)
	member("0.4.0 A")
}

// noRuntimes is a Runtimes that is not nil: the agent takes no work.
var noRuntimes = []sandbox.Runtime{}

func firmwareText(fw *api.FirmwareStatus) string {
	if fw == nil {
		return ""
	}
	s := fw.Version + " " + fw.Slot
	if fw.Trial {
		s += " trial"
	}
	if fw.LastRollback != nil {
		s += " ↩" + fw.LastRollback.To
	}
	return s
}

func TestReadyFileAfterThreeHeartbeatsInARow(t *testing.T) {
	// The count: two answers, a failure, two answers: not yet.
	file := filepath.Join(t.TempDir(), "ready")
	r := &readyFile{path: file, log: slog.New(slog.DiscardHandler)}
	r.answered()
	r.answered()
	r.failed()
	r.answered()
	r.answered()
	if _, err := os.Stat(file); err == nil {
		t.Fatal("ready after two answers in a row")
	}
	r.answered()
	if _, err := os.Stat(file); err != nil {
		t.Fatalf("not ready after three answers in a row: %v", err)
	}

	// A real agent: no file while the gateway is away, the file once
	// paired and heard.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	dir := t.TempDir()
	_, token, _, err := gateway.Init(gateway.Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	file = filepath.Join(t.TempDir(), "ready")
	ag := startAgent(t, Config{Gateway: addr, JoinToken: token.String(), ReadyFile: file, Runtimes: noRuntimes})
	time.Sleep(500 * time.Millisecond)
	if _, err := os.Stat(file); err == nil {
		t.Fatal("ready without a gateway")
	}
	startGateway(t, dir, gateway.Config{Listen: addr, Heartbeat: 100 * time.Millisecond})
	deadline := time.Now().Add(5 * time.Second)
	for {
		if b, err := os.ReadFile(file); err == nil {
			if string(b) != "ready\n" {
				t.Fatalf("ready file holds %q", b)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no ready file 5 s after the gateway came")
		}
		time.Sleep(20 * time.Millisecond)
	}
	line := ag.logs.waitLog(t, time.Second, "ready: paired and heartbeats answered")
	if !strings.Contains(line, file) {
		t.Errorf("log %q", line)
	}
	// Nothing but the file: the temporary one was renamed.
	if entries, _ := os.ReadDir(filepath.Dir(file)); len(entries) != 1 {
		t.Errorf("ready dir holds %v", entries)
	}
}
