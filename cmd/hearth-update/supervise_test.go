package main

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hearth-home/hearth/firmware/slot"
)

// superviseBin is the supervisor as the service runs it: this package's
// program, built for the test. The agents are shell scripts.
func superviseBin(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "hearth-update")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building hearth-update: %v\n%s", err, out)
	}
	return bin
}

// fakeAgent writes an agent script that says it is version and then runs
// body, with $ready, $status and $log set from its flags.
func fakeAgent(t *testing.T, path, version, body string) {
	t.Helper()
	script := `#!/bin/sh
[ "$1" = --version ] && { echo "hearth-agent ` + version + `"; exit 0; }
while [ $# -gt 0 ]; do
	case $1 in
	--ready-file) ready=$2; shift ;;
	--firmware-status) status=$2; shift ;;
	--log) log=$2; shift ;;
	esac
	shift
done
` + body + "\n"
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
}

func readStatus(t *testing.T, dir string) slot.Status {
	t.Helper()
	var st slot.Status
	raw, err := os.ReadFile(filepath.Join(dir, "status.json"))
	if err == nil {
		err = json.Unmarshal(raw, &st)
	}
	if err != nil {
		t.Fatalf("status.json: %v", err)
	}
	return st
}

// setState writes the update directory's state as the test needs it.
func setState(t *testing.T, upd binDir, fn func(*binState)) {
	t.Helper()
	if _, err := upd.update(func(st *binState) error { fn(st); return nil }); err != nil {
		t.Fatal(err)
	}
}

// wantExit checks that the supervisor ended with the agent's exit status.
func wantExit(t *testing.T, err error, code int, out []byte) {
	t.Helper()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != code {
		t.Errorf("the supervisor ended with %v, want the agent's exit status %d\n%s", err, code, out)
	}
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); !ok(); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("not within 20 s: %s", what)
		}
	}
}

// A trial that becomes ready is committed, the agent keeps running, and a
// SIGTERM to the supervisor reaches it; the supervisor then exits 0.
func TestSuperviseCommitsAndPassesStop(t *testing.T) {
	dir := t.TempDir()
	upd := binDir(filepath.Join(dir, "update"))
	packaged := filepath.Join(dir, "hearth-agent")
	fakeAgent(t, packaged, "1.0.0", "exec sleep 600")
	stopped := filepath.Join(dir, "stopped")
	fakeAgent(t, upd.path("bin/hearth-agent-1.1.0"), "1.1.0",
		`trap 'echo stopped > `+stopped+`; exit 0' TERM; echo ready > "$ready"; while :; do sleep 0.1; done`)
	setState(t, upd, func(st *binState) {
		st.Trial = &binTrial{binRelease: binRelease{Version: "1.1.0", File: "hearth-agent-1.1.0"}}
	})
	cmd := exec.Command(superviseBin(t), "supervise", "--dir", string(upd), "--trial-timeout", "10s", "--", packaged, "--data-dir", dir)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	waitFor(t, "1.1.0 committed", func() bool {
		st, err := upd.read()
		return err == nil && st.Trial == nil && st.Current != nil && st.Current.Version == "1.1.0"
	})
	waitFor(t, "the status says so", func() bool { s := readStatus(t, string(upd)); return s.Version == "1.1.0" && !s.Trial })
	if s := readStatus(t, string(upd)); s.Board != platform() {
		t.Errorf("status board %q, want %s", s.Board, platform())
	}
	cmd.Process.Signal(syscall.SIGTERM)
	if err := cmd.Wait(); err != nil {
		t.Errorf("the supervisor, stopped: %v; want exit 0", err)
	}
	if _, err := os.Stat(stopped); err != nil {
		t.Error("the agent did not get the SIGTERM")
	}
}

// A trial left by a supervisor that never saw it end (the machine lost
// power during its three starts) is given up at the next start, which
// says so and runs the agent before; a committed agent's exit status is
// the supervisor's, so that systemd's RestartPreventExitStatus holds.
func TestSuperviseGivesUpATrialThatNeverEnded(t *testing.T) {
	dir := t.TempDir()
	upd := binDir(filepath.Join(dir, "update"))
	packaged := filepath.Join(dir, "hearth-agent")
	fakeAgent(t, packaged, "1.0.0", "exit 2")
	fakeAgent(t, upd.path("bin/hearth-agent-1.1.0"), "1.1.0", "exec sleep 600")
	setState(t, upd, func(st *binState) {
		st.Trial = &binTrial{binRelease: binRelease{Version: "1.1.0", File: "hearth-agent-1.1.0"}, Starts: maxTrialStarts}
	})
	cmd := exec.Command(superviseBin(t), "supervise", "--dir", string(upd), "--", packaged)
	out, err := cmd.CombinedOutput()
	wantExit(t, err, 2, out)
	s := readStatus(t, string(upd))
	if s.Version != "1.0.0" || s.Trial || s.LastRollback == nil || s.LastRollback.To != "1.1.0" ||
		!strings.Contains(s.LastRollback.Reason, "did not commit in 3 starts") {
		t.Errorf("status %+v (rollback %+v), want 1.0.0 running and 1.1.0 rolled back", s, s.LastRollback)
	}
	if _, err := os.Stat(upd.path("bin/hearth-agent-1.1.0")); err == nil {
		t.Error("the rolled-back binary is still there")
	}
}

// A state file that does not parse is not overwritten: the supervisor
// stops and says how to start over.
func TestSuperviseRefusesABrokenState(t *testing.T) {
	dir := t.TempDir()
	upd := binDir(filepath.Join(dir, "update"))
	os.MkdirAll(string(upd), 0o700)
	if err := os.WriteFile(upd.path("state.json"), []byte("{half"), 0o600); err != nil {
		t.Fatal(err)
	}
	packaged := filepath.Join(dir, "hearth-agent")
	fakeAgent(t, packaged, "1.0.0", "exit 0")
	out, err := exec.Command(superviseBin(t), "supervise", "--dir", string(upd), "--", packaged).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "move it away") {
		t.Errorf("with a broken state.json: %v\n%s", err, out)
	}
	if raw, _ := os.ReadFile(upd.path("state.json")); string(raw) != "{half" {
		t.Errorf("state.json was rewritten: %q", raw)
	}
}

// apt installed a newer agent than the update that runs: the packaged one
// wins, and the older updates are dropped.
func TestSupervisePrefersANewerPackagedAgent(t *testing.T) {
	dir := t.TempDir()
	upd := binDir(filepath.Join(dir, "update"))
	packaged := filepath.Join(dir, "hearth-agent")
	fakeAgent(t, packaged, "1.2.0", "exit 3")
	fakeAgent(t, upd.path("bin/hearth-agent-1.1.0"), "1.1.0", "exit 0")
	setState(t, upd, func(st *binState) { st.Current = &binRelease{Version: "1.1.0", File: "hearth-agent-1.1.0"} })
	out, err := exec.Command(superviseBin(t), "supervise", "--dir", string(upd), "--", packaged).CombinedOutput()
	wantExit(t, err, 3, out)
	if s := readStatus(t, string(upd)); s.Version != "1.2.0" {
		t.Errorf("status %+v, want the packaged 1.2.0", s)
	}
	if st, err := upd.read(); err != nil || st.Current != nil {
		t.Errorf("state %+v (%v): want the older update dropped", st, err)
	}
	if _, err := os.Stat(upd.path("bin/hearth-agent-1.1.0")); err == nil {
		t.Error("the older update is still kept")
	}
}
