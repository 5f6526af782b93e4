package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hearth-home/hearth/agent/governor"
	"github.com/hearth-home/hearth/agent/node"
	"github.com/hearth-home/hearth/internal/logflag"
	"github.com/hearth-home/hearth/sandbox"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/internal/identity"
)

func testToken(t *testing.T) string {
	id, err := identity.Generate()
	if err != nil {
		t.Fatal(err)
	}
	tok, err := api.NewJoinToken(id.ID)
	if err != nil {
		t.Fatal(err)
	}
	return tok.String()
}

func TestHelpAndVersion(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"--help"}, noEnv, &out, &errOut); code != exitOK {
		t.Fatalf("--help exit %d", code)
	}
	for _, want := range []string{"--token-file /boot/hearth-token", "-join", "-iface", "-slots", "-data-dir",
		"-gateway-id", "-token", "-name", "-log-level", "-log-format", "-version", "hearth pool approve",
		"-firmware-status", "-ready-file", "-updater"} {
		if !strings.Contains(errOut.String(), want) {
			t.Errorf("--help lacks %q", want)
		}
	}
	out.Reset()
	if code := run(context.Background(), []string{"--version"}, noEnv, &out, &errOut); code != exitOK || !strings.HasPrefix(out.String(), "hearth-agent ") {
		t.Fatalf("--version: exit %d, %q", code, out.String())
	}
}

func noEnv(string) string { return "" }

func TestBadCommandLines(t *testing.T) {
	dir := t.TempDir()
	badFile := filepath.Join(dir, "bad")
	os.WriteFile(badFile, []byte("hearth1.nope\n"), 0o600)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"extra"}, `unexpected argument "extra"`},
		{[]string{"--token", "garbage"}, "--token: malformed join token"},
		{[]string{"--token-file", badFile}, "--token-file " + badFile + ": malformed join token"},
		{[]string{"--token-file", filepath.Join(dir, "missing")}, "--token-file: open"},
		{[]string{"--token", testToken(t), "--token-file", badFile}, "give one"},
		{[]string{"--join", "a b"}, `--join: "a b" is not host:port`},
		{[]string{"--gateway-id", "XYZ"}, "--gateway-id: malformed node ID"},
		{[]string{"--slots", "-1"}, "--slots: -1 is negative"},
		{[]string{"--local-api", "0.0.0.0:7381"}, "--local-api \"0.0.0.0:7381\": only a loopback address"},
		{[]string{"--log-level", "loud"}, `--log-level: "loud" is not debug, info, warn or error`},
		{[]string{"--log-format", "xml"}, `--log-format: "xml" is not text or json`},
		{[]string{"--updater", filepath.Join(dir, "missing")}, "--updater " + filepath.Join(dir, "missing") + ": not an executable file"},
		{[]string{"--updater", badFile}, ": not an executable file"},
	} {
		var out, errOut bytes.Buffer
		code := run(context.Background(), append([]string{"--data-dir", dir}, tc.args...), noEnv, &out, &errOut)
		if code != exitUsage || !strings.Contains(errOut.String(), tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d and %q", tc.args, code, errOut.String(), exitUsage, tc.want)
		}
	}
}

func TestResolve(t *testing.T) {
	tok := testToken(t)
	file := filepath.Join(t.TempDir(), "token")
	os.WriteFile(file, []byte("\n"+tok+"\n"), 0o600)
	env := func(k string) string {
		if k == tokenEnv {
			return tok
		}
		return ""
	}
	for _, tc := range []struct {
		o         options
		getenv    func(string) string
		join, tok string
	}{
		{options{join: "192.168.1.10:7000"}, noEnv, "192.168.1.10:7000", ""},
		{options{join: "pi.local"}, noEnv, "pi.local:7443", ""},
		{options{join: "fd00::1"}, noEnv, "[fd00::1]:7443", ""},
		{options{join: "[fd00::1]:8000"}, noEnv, "[fd00::1]:8000", ""},
		{options{tokenFile: file}, noEnv, "", tok},
		{options{}, env, "", tok},
		{options{token: tok}, noEnv, "", tok},
	} {
		tc.o.log = logflag.Flags{Level: "info", Format: "text"}
		s, err := tc.o.resolve(tc.getenv, &bytes.Buffer{})
		if err != nil || s.cfg.Gateway != tc.join || s.cfg.JoinToken != tc.tok {
			t.Errorf("%+v: gateway %q token %q, %v; want %q, %q", tc.o, s.cfg.Gateway, s.cfg.JoinToken, err, tc.join, tc.tok)
		}
	}
	o := options{fwStatus: "/run/hearth/firmware.json", readyFile: "/run/hearth/ready", updater: "/bin/sh",
		log: logflag.Flags{Level: "info", Format: "text"}}
	if s, err := o.resolve(noEnv, &bytes.Buffer{}); err != nil || s.cfg.FirmwareStatus != o.fwStatus ||
		s.cfg.ReadyFile != o.readyFile || s.cfg.Updater != "/bin/sh" {
		t.Errorf("firmware flags: %+v, %v", s.cfg, err)
	}
	o = options{ifaces: " eth0, wlan0,,", log: logflag.Flags{Level: "info", Format: "json"}}
	s, err := o.resolve(noEnv, &bytes.Buffer{})
	if err != nil || strings.Join(s.ifaces, "|") != "eth0|wlan0" || s.cfg.DataDir == "" {
		t.Fatalf("ifaces %q, data dir %q, %v", s.ifaces, s.cfg.DataDir, err)
	}
	// --no-mdns: no multicast at all, so the gateway's address must be given.
	o = options{noMDNS: true, log: logflag.Flags{Level: "info", Format: "text"}}
	if _, err := o.resolve(noEnv, &bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), "--join") {
		t.Errorf("--no-mdns without --join: %v, want an error that asks for --join", err)
	}
	o.join = "127.0.0.1:7443"
	if s, err := o.resolve(noEnv, &bytes.Buffer{}); err != nil || !s.noMDNS {
		t.Errorf("--no-mdns --join: noMDNS %v, %v", s.noMDNS, err)
	}
}

// fakeContainers is a container runtime that says whether its caps are
// cheap to change.
type fakeContainers struct {
	sandbox.Runtime
	quick bool
}

func (fakeContainers) Close() error          { return nil }
func (f fakeContainers) QuickThrottle() bool { return f.quick }

// The governor steps four times a second unless containerd's caps are
// costly to change.
func TestGovernorInterval(t *testing.T) {
	for _, c := range []struct {
		name string
		rt   node.ContainerRuntime
		want time.Duration
	}{
		{"wasm only", nil, governor.QuickInterval},
		{"runc", fakeContainers{quick: true}, governor.QuickInterval},
		{"containerd", fakeContainers{}, governor.DefaultInterval},
	} {
		if got := governorInterval(c.rt); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}
