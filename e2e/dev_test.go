package e2e

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestDevGatewayRunsVanityWithNoSetup is the quick start: on a machine with
// nothing set up (a fresh state and config dir), `hearth-gateway --dev` and
// then `hearth job submit examples/vanity/job-small.yaml --wait` work, with
// the CLI finding its credentials by itself. Loopback only: no namespaces,
// no root, no mDNS.
func TestDevGatewayRunsVanityWithNoSetup(t *testing.T) {
	bin := filepath.Join(root, "bin")
	if _, err := os.Stat(filepath.Join(bin, "hearth-gateway")); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("binaries not built: `make test` builds them")
		}
		t.Skip("run `make build` first")
	}
	home := t.TempDir()
	env := append(os.Environ(), "HOME="+home, "XDG_STATE_HOME="+filepath.Join(home, "state"), "XDG_CONFIG_HOME="+filepath.Join(home, "config"))
	gw := exec.Command(filepath.Join(bin, "hearth-gateway"), "--dev", "--listen", "127.0.0.1:0")
	gw.Env = env
	gw.Stderr = &tlog{t: t, prefix: "gateway| "}
	out, _ := gw.StdoutPipe()
	if err := gw.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		gw.Process.Signal(syscall.SIGTERM)
		done := make(chan error, 1)
		go func() { done <- gw.Wait() }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			gw.Process.Kill()
			t.Error("hearth-gateway --dev did not stop within 5 s of SIGTERM")
		}
	})
	// The banner says where the credentials went; wait for it.
	banner := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		var b strings.Builder
		for sc.Scan() {
			b.WriteString(sc.Text() + "\n")
			if strings.HasPrefix(sc.Text(), "Try:") {
				banner <- b.String()
			}
		}
	}()
	select {
	case b := <-banner:
		if !strings.Contains(b, filepath.Join(home, "state", "hearth", "dev")) {
			t.Fatalf("dev data dir is not under the user's state dir:\n%s", b)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("hearth-gateway --dev printed no banner within 15 s")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	submit := exec.CommandContext(ctx, filepath.Join(bin, "hearth"), "job", "submit", filepath.Join(root, "examples/vanity/job-small.yaml"), "--wait")
	submit.Env = env
	if out, err := submit.CombinedOutput(); err != nil || !strings.Contains(string(out), "done") {
		t.Fatalf("hearth job submit --wait: %v\n%s", err, out)
	}
	ls := exec.CommandContext(ctx, filepath.Join(bin, "hearth"), "pool", "ls")
	ls.Env = env
	if out, err := ls.CombinedOutput(); err != nil || !strings.Contains(string(out), "-dev") || !strings.Contains(string(out), "ready") {
		t.Fatalf("hearth pool ls: %v\n%s", err, out)
	}
}

// tlog sends a process's output to the test log, line by line.
type tlog struct {
	t      *testing.T
	prefix string
}

func (l *tlog) Write(p []byte) (int, error) {
	if testing.Verbose() {
		l.t.Logf("%s%s", l.prefix, strings.TrimRight(string(p), "\n"))
	}
	return len(p), nil
}
