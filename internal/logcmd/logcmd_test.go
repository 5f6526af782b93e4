package logcmd

import (
	"bytes"
	"context"
	"log/slog"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"
)

// lockedBuffer is a bytes.Buffer the test reads while the log writes.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func (l *lockedBuffer) Reset() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.b.Reset()
}

// Each line the program writes, on stdout or stderr, reaches the log; its
// exit status is the error; a program asked to stop gets SIGTERM and may
// finish what it does.
func TestRun(t *testing.T) {
	var buf lockedBuffer
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
	cmd := exec.CommandContext(ctx, "sh", "-c", `trap 'echo leaving the slots as they were; exit 0' TERM; echo started; while :; do sleep 0.05; done`)
	go func() {
		for !strings.Contains(buf.String(), "started") {
			time.Sleep(10 * time.Millisecond)
		}
		cancel()
	}()
	Run(cmd, log, "")
	if !strings.Contains(buf.String(), "leaving the slots as they were") {
		t.Errorf("a stopped program did not get SIGTERM, or its last words were lost:\n%s", buf.String())
	}
}
