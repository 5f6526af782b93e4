package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
)

// testNow is the clock of CLI tests.
var testNow = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

// runCLI runs the CLI with env as its whole environment.
func runCLI(t *testing.T, env map[string]string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	c := &cli{
		stdout:    &out,
		stderr:    &errb,
		getenv:    envMap(env),
		now:       func() time.Time { return testNow },
		pollEvery: 20 * time.Millisecond,
	}
	code = c.main(context.Background(), args)
	return out.String(), errb.String(), code
}

func TestHelpAtEveryLevel(t *testing.T) {
	for _, args := range [][]string{
		{"--help"}, {"-h"}, {"help"},
		{"job", "--help"}, {"help", "job"}, {"job", "help"},
		{"job", "submit", "--help"}, {"job", "help", "submit"}, {"help", "job", "submit"},
		{"job", "submit", "job.yaml", "--help"},
		{"job", "ls", "-h"}, {"job", "get", "-h"}, {"job", "results", "-h"}, {"job", "cancel", "--help"},
		{"pool", "-h"}, {"pool", "ls", "-h"}, {"pool", "approve", "-h"},
		{"status", "-h"}, {"version", "-h"},
	} {
		out, errOut, code := runCLI(t, nil, args...)
		if code != exitOK || errOut != "" {
			t.Errorf("%q: exit %d, stderr %q", args, code, errOut)
		}
		if !strings.HasPrefix(out, "Usage:\n  hearth") || !strings.Contains(out, "Example:\n  hearth") {
			t.Errorf("%q: help lacks usage or example:\n%s", args, out)
		}
	}
	out, _, _ := runCLI(t, nil, "job", "submit", "--help")
	for _, want := range []string{"hearth job submit FILE", "--wait", "-o FORMAT", "--credentials FILE", "app_digest"} {
		if !strings.Contains(out, want) {
			t.Errorf("job submit --help lacks %q:\n%s", want, out)
		}
	}
	out, _, _ = runCLI(t, nil, "--help")
	for _, want := range []string{"pool approve ID", "job cancel ID", "job results ID --out DIR", "HEARTH_CREDENTIALS", "hearth-gateway init"} {
		if !strings.Contains(out, want) {
			t.Errorf("--help lacks %q:\n%s", want, out)
		}
	}
	// version talks to nobody: no gateway flags.
	if out, _, _ := runCLI(t, nil, "version", "--help"); strings.Contains(out, "--credentials") {
		t.Errorf("version offers --credentials:\n%s", out)
	}
}

func TestUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{nil, "hearth: missing command"},
		{[]string{"jb"}, `hearth: unknown command "jb"`},
		{[]string{"job"}, "hearth job: missing command"},
		{[]string{"job", "rm"}, `hearth job: unknown command "rm"`},
		{[]string{"help", "nope"}, `hearth: unknown command "nope"`},
		{[]string{"job", "ls", "--bogus"}, "hearth job ls: unknown flag --bogus"},
		{[]string{"job", "submit", "j.yaml", "-x"}, "hearth job submit: unknown flag -x"},
		{[]string{"job", "ls", "-o", "yaml"}, `invalid value "yaml" for flag -o`},
		{[]string{"job", "get"}, "hearth job get: missing ID"},
		{[]string{"job", "get", "a", "b"}, `hearth job get: unexpected argument "b"`},
		{[]string{"job", "cancel"}, "hearth job cancel: missing ID"},
		{[]string{"job", "cancel", " "}, "hearth job cancel: ID is empty"},
		{[]string{"job", "results", "x"}, "hearth job results: --out DIR is required"},
		{[]string{"pool", "approve", "ABC"}, "too short"},
		{[]string{"version", "extra"}, `unexpected argument "extra"`},
		{[]string{"--gateway", "h:", "status"}, "want HOST:PORT"},
		{[]string{"market", "order", "post", "--app", "a.wasm", "--price-per-task", "1", "--replicas", "7"}, "--replicas 7: want 1 (one provider) or 2 to 6"},
		{[]string{"market", "order", "post", "--app", "a.wasm", "--price-per-task", "1", "--replicas", "4", "--quorum", "2"}, "--quorum 2: want more than half of --replicas 4"},
		{[]string{"market", "order", "post", "--app", "a.wasm", "--price-per-task", "1", "--replicas", "2", "--provider", "0x01"}, "a replicated order is open to every provider"},
	} {
		home := map[string]string{"HOME": t.TempDir()}
		if tc.args != nil && tc.args[0] == "--gateway" {
			path := home["HOME"] + "/c.json"
			writeCreds(t, path, "x:1")
			home["HEARTH_CREDENTIALS"] = path
		}
		out, errOut, code := runCLI(t, home, tc.args...)
		if code != exitUsage {
			t.Errorf("%q: exit %d, want %d; stderr:\n%s", tc.args, code, exitUsage, errOut)
		}
		if out != "" {
			t.Errorf("%q: wrote to stdout: %q", tc.args, out)
		}
		if !strings.Contains(errOut, tc.msg) || !strings.Contains(errOut, "Usage:\n") {
			t.Errorf("%q: stderr lacks %q and usage:\n%s", tc.args, tc.msg, errOut)
		}
	}
}

func TestGlobalFlagsAnywhere(t *testing.T) {
	home := t.TempDir()
	missing := home + "/missing.json"
	for _, args := range [][]string{
		{"--credentials", missing, "job", "ls"},
		{"job", "--credentials", missing, "ls"},
		{"job", "ls", "--credentials", missing},
		{"job", "get", "x", "--credentials=" + missing},
	} {
		_, errOut, code := runCLI(t, map[string]string{"HOME": home}, args...)
		if code != exitFail || !strings.Contains(errOut, missing) {
			t.Errorf("%q: exit %d, stderr does not name %s:\n%s", args, code, missing, errOut)
		}
	}
}

func TestVersion(t *testing.T) {
	out, _, code := runCLI(t, nil, "version")
	if code != 0 || !strings.HasPrefix(out, "hearth ") || !strings.Contains(out, "protocol 1") {
		t.Errorf("version: exit %d, %q", code, out)
	}
}
