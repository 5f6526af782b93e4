package logcmd

import (
	"bytes"
	"context"
	"log/slog"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// Each line the program writes, on stdout or stderr, reaches the log; its
// exit status is the error; a program asked to stop gets SIGTERM and may
// finish what it does.
func TestRun(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, nil))
	err := Run(exec.CommandContext(context.Background(), "sh", "-c", "echo one; echo two >&2; exit 3"), log, "updater: ")
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 3 {
		t.Errorf("Run = %v, want exit status 3", err)
	}
	for _, want := range []string{`msg="updater: one"`, `msg="updater: two"`} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("the log has no %s:\n%s", want, buf.String())
		}
	}

	buf.Reset()
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, "sh", "-c", `trap 'echo leaving the slots as they were; exit 0' TERM; while :; do sleep 0.05; done`)
	time.AfterFunc(time.Second, cancel) // the trap is set long before
	Run(cmd, log, "")
	if !strings.Contains(buf.String(), "leaving the slots as they were") {
		t.Errorf("a stopped program did not get SIGTERM, or its last words were lost:\n%s", buf.String())
	}
}
