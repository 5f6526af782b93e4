package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hearth-home/hearth/gateway/api"
)

func runCmd(args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// init prints the identity and token, writes credentials with mode 0600,
// and prints the same identity and token when run again.
func TestInitIsIdempotent(t *testing.T) {
	dir := t.TempDir()
	code, first, stderr := runCmd("init", "--data-dir", dir, "--advertise", "192.0.2.1:7443")
	if code != 0 {
		t.Fatalf("init exit %d: %s", code, stderr)
	}
	var token string
	for _, line := range strings.Split(first, "\n") {
		if v, ok := strings.CutPrefix(line, "Join token:"); ok {
			token = strings.TrimSpace(v)
		}
	}
	if _, err := api.ParseJoinToken(token); err != nil {
		t.Fatalf("init printed no valid join token (%v):\n%s", err, first)
	}
	path := filepath.Join(dir, "credentials.json")
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("credentials: %v, mode %v; want 0600", err, st.Mode().Perm())
	}
	creds, err := api.LoadCredentials(path)
	if err != nil || creds.Gateway != "192.0.2.1:7443" {
		t.Fatalf("credentials = %+v, %v", creds, err)
	}
	if _, second, _ := runCmd("init", "--data-dir", dir, "--advertise", "192.0.2.1:7443"); second != first {
		t.Fatalf("second init differs:\n%s\nvs\n%s", first, second)
	}
}

func TestBadFlagsSayWhat(t *testing.T) {
	if code, _, stderr := runCmd("--no-such-flag"); code != 2 || !strings.Contains(stderr, "no-such-flag") {
		t.Errorf("unknown flag: exit %d, %q", code, stderr)
	}
	if code, _, stderr := runCmd("init", "--data-dir", t.TempDir(), "--log-level", "loud"); code != 1 || !strings.Contains(stderr, "--log-level") {
		t.Errorf("bad log level: exit %d, %q", code, stderr)
	}
	if code, _, stderr := runCmd("surprise"); code != 2 || !strings.Contains(stderr, "surprise") {
		t.Errorf("stray argument: exit %d, %q", code, stderr)
	}
	if code, out, _ := runCmd("version"); code != 0 || !strings.HasPrefix(out, "hearth-gateway ") {
		t.Errorf("version: exit %d, %q", code, out)
	}
}
