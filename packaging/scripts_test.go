package packaging

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestDebVersion runs the builder's debversion on what `git describe` can
// say. Untagged builds get the commit time, which this checks by shape.
func TestDebVersion(t *testing.T) {
	need(t, "git", "git")
	for in, want := range map[string]string{
		"v1.2.0":                  "1.2.0",
		"v1.2.0-dirty":            "1.2.0+dirty",
		"v1.2.0-4-gabc1234":       "1.2.0+4.gabc1234",
		"v1.2.0-4-gabc1234-dirty": "1.2.0+4.gabc1234.dirty",
		"1.0":                     "1.0",
		"dev":                     "0.0~dev",
		"abc1234":                 "0.0~git*.abc1234",
		"353b23a-dirty":           "0.0~git*.353b23a+dirty",
	} {
		script := `eval "$(sed -n '/^debversion() {/,/^}/p' deb/build.sh)"; debversion "$1"`
		out, err := exec.Command("sh", "-c", script, "sh", in).CombinedOutput()
		got := strings.TrimSpace(string(out))
		if err != nil {
			t.Fatalf("debversion %s: %v\n%s", in, err, out)
		}
		if ok, _ := filepath.Match(want, got); !ok || (strings.Contains(want, "*") && len(got) != len(want)-1+14) {
			t.Errorf("debversion %s = %s, want %s (* a commit time, 14 digits)", in, got, want)
		}
	}
}

// TestAgentStartScript checks which token the start script passes on,
// with a stand-in agent that prints its arguments.
func TestAgentStartScript(t *testing.T) {
	dir := t.TempDir()
	agent := filepath.Join(dir, "agent")
	if err := os.WriteFile(agent, []byte("#!/bin/sh\necho \"$@\"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	tokenFile := filepath.Join(dir, "my token")
	if err := os.WriteFile(tokenFile, []byte("hearth1.X.Y\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	// The default token files are the host's: the cases below hold only
	// where it has none (a build machine, a CI runner).
	for _, f := range []string{"/etc/hearth/join-token", "/boot/firmware/hearth-token", "/boot/hearth-token"} {
		if _, err := os.Stat(f); err == nil {
			t.Skipf("this machine has %s", f)
		}
	}
	for _, c := range []struct {
		env  []string
		args []string
		want string
	}{
		{nil, []string{"--data-dir", "/d"}, "--data-dir /d"},
		{[]string{"HEARTH_TOKEN_FILE=" + tokenFile}, []string{"--data-dir", "/d"}, "--token-file " + tokenFile + " --data-dir /d"},
		{[]string{"HEARTH_TOKEN_FILE=" + tokenFile}, nil, "--token-file " + tokenFile},
		{[]string{"HEARTH_JOIN_TOKEN=hearth1.X.Y"}, []string{"--slots", "2"}, "--slots 2"},
		{nil, []string{"--token", "hearth1.X.Y"}, "--token hearth1.X.Y"},
		{nil, []string{"--name", "pi", "--token-file=/t"}, "--name pi --token-file=/t"},
		// With an updater and pinned keys, the agent runs under the
		// supervisor, the token file among the agent's flags.
		{[]string{"HEARTH_UPDATER=" + agent, "HEARTH_UPDATE_ROOT=" + tokenFile, "HEARTH_TOKEN_FILE=" + tokenFile}, []string{"--data-dir", "/d"},
			"supervise --dir /var/lib/hearth-agent/update --root " + tokenFile + " -- " + agent + " --token-file " + tokenFile + " --data-dir /d"},
		{[]string{"HEARTH_UPDATER=" + agent, "HEARTH_UPDATE_ROOT=" + tokenFile, "HEARTH_AGENT_UPDATES=off"}, []string{"--data-dir", "/d"}, "--data-dir /d"},
		{[]string{"HEARTH_UPDATER=" + agent, "HEARTH_UPDATE_ROOT=" + filepath.Join(dir, "none")}, []string{"--data-dir", "/d"}, "--data-dir /d"},
	} {
		cmd := exec.Command("deb/hearth-agent-start", c.args...)
		cmd.Env = append([]string{"PATH=/usr/bin:/bin", "HEARTH_AGENT_BIN=" + agent}, c.env...)
		out, err := cmd.CombinedOutput()
		if got := strings.TrimSpace(string(out)); err != nil || got != c.want {
			t.Errorf("%v hearth-agent-start %q: %q (%v), want %q", c.env, c.args, got, err, c.want)
		}
	}
}

// TestMaintainerScripts runs postinst and prerm with a stand-in systemctl
// that logs its calls: enable on the first install only, start or restart
// only where systemd runs. (postrm purge deletes the host's state
// directories: only its syntax is checked, in TestDebControl.)
func TestMaintainerScripts(t *testing.T) {
	b := debs(t)
	arch := b.arches[0]
	_, err := os.Stat("/run/systemd/system")
	running := err == nil
	bin := t.TempDir()
	log := filepath.Join(bin, "calls")
	stub := "#!/bin/sh\necho \"$*\" >>" + log + "\n[ \"$1\" != is-enabled ]\n" // is-enabled: no
	if err := os.WriteFile(filepath.Join(bin, "systemctl"), []byte(stub), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, pkg := range []string{"hearth-agent", "hearth-gateway"} {
		dir := control(t, b.deb(pkg, arch))
		unit := pkg + ".service"
		for _, c := range []struct {
			script string
			args   []string
			want   []string // the calls, where systemd does not run
			run    []string // where it runs
		}{
			{"postinst", []string{"configure", ""}, []string{"enable " + unit}, []string{"enable " + unit, "daemon-reload", "is-enabled --quiet " + unit}},
			{"postinst", []string{"configure", "0.0~old"}, nil, []string{"daemon-reload", "is-enabled --quiet " + unit}},
			{"prerm", []string{"upgrade", "0.0~new"}, nil, nil},
			{"prerm", []string{"remove"}, nil, []string{"stop " + unit}},
		} {
			os.Remove(log)
			cmd := exec.Command(filepath.Join(dir, c.script), c.args...)
			cmd.Env = []string{"PATH=" + bin + ":/usr/bin:/bin"}
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Errorf("%s %s %q: %v\n%s", pkg, c.script, c.args, err, out)
			}
			raw, _ := os.ReadFile(log)
			got := strings.Fields(strings.ReplaceAll(strings.TrimSpace(string(raw)), " ", "_"))
			want := c.want
			if running {
				want = c.run
			}
			for i := range want {
				want[i] = strings.ReplaceAll(want[i], " ", "_")
			}
			if strings.Join(got, " ") != strings.Join(want, " ") {
				t.Errorf("%s %s %q called systemctl %v, want %v", pkg, c.script, c.args, got, want)
			}
		}
	}
}
