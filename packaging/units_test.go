package packaging

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// unitRoot unpacks the host-architecture packages into a scratch root and
// adds the host's targets, slices and sockets, so that systemd-analyze
// --root finds the units' programs and what they are ordered against.
func unitRoot(t *testing.T) string {
	t.Helper()
	b := debs(t)
	arch := b.arches[0]
	root := extract(t, b.deb("hearth-agent", arch), b.deb("hearth-gateway", arch))
	sys := filepath.Join(root, "lib/systemd/system")
	for _, pat := range []string{"*.target", "*.slice", "*.socket"} {
		m, _ := filepath.Glob(filepath.Join("/lib/systemd/system", pat))
		for _, f := range m {
			raw, err := os.ReadFile(f)
			if err != nil {
				continue // a dangling alias
			}
			if err := os.WriteFile(filepath.Join(sys, filepath.Base(f)), raw, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	return root
}

// TestUnitsVerify runs systemd-analyze verify on both units. It exits 0 on
// an unknown or misspelt setting and only says so: any output fails.
func TestUnitsVerify(t *testing.T) {
	need(t, "systemd-analyze", "systemd")
	root := unitRoot(t)
	if _, err := os.Stat(filepath.Join(root, "lib/systemd/system/multi-user.target")); err != nil {
		t.Skip("this machine's systemd has no multi-user.target to verify against: apt-get install systemd")
	}
	for _, unit := range []string{"hearth-agent.service", "hearth-gateway.service"} {
		out, err := exec.Command("systemd-analyze", "verify", "--root="+root, "--man=no", unit).CombinedOutput()
		if err != nil || len(out) > 0 {
			t.Errorf("systemd-analyze verify %s: %v\n%s", unit, err, out)
		}
		// The exposure score, 0 (locked down) to 10: a figure for the report.
		out, err = exec.Command("systemd-analyze", "security", "--offline=true", "--root="+root, unit).CombinedOutput()
		if m := regexp.MustCompile(`Overall exposure level for \S+: ([0-9.]+ \S+)`).FindSubmatch(out); err == nil && m != nil {
			t.Logf("%s: systemd-analyze security: %s", unit, m[1])
		}
	}
}

// forbidden are settings that would break a service: the agent runs runc
// containers as its children, which inherit its filters and device policy,
// and the gateway's market compiles wasm apps.
var forbidden = map[string][]string{
	"hearth-agent.service": {"User=", "DynamicUser=", "ProtectControlGroups=yes", "PrivateDevices=yes", "DeviceAllow=",
		"ProtectClock=yes", "ProtectKernelTunables=yes", "RestrictNamespaces=yes", "SystemCallFilter=",
		"SystemCallArchitectures=", "ProtectHostname=yes", "MemoryDenyWriteExecute=yes"},
	"hearth-gateway.service": {"User=root", "MemoryDenyWriteExecute=yes"},
}

// TestUnitSettings checks the settings the services rely on, which verify
// cannot judge: the gateway under a dynamic user, the agent root with its
// cgroup delegated, both hardened.
func TestUnitSettings(t *testing.T) {
	for unit, want := range map[string][]string{
		"hearth-agent.service": {"Type=simple", "Restart=on-failure", "Delegate=yes", "KillMode=process", "StateDirectory=hearth-agent",
			"ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes", "NoNewPrivileges=yes",
			"EnvironmentFile=-/etc/default/hearth-agent", "After=network-online.target containerd.service"},
		"hearth-gateway.service": {"Type=simple", "Restart=on-failure", "DynamicUser=yes", "StateDirectory=hearth-gateway",
			"ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes", "NoNewPrivileges=yes", "CapabilityBoundingSet=",
			"EnvironmentFile=-/etc/default/hearth-gateway", "SystemCallFilter=@system-service"},
	} {
		raw, err := os.ReadFile(filepath.Join("systemd", unit))
		if err != nil {
			t.Fatal(err)
		}
		lines := map[string]bool{}
		for _, l := range strings.Split(string(raw), "\n") {
			lines[l] = true
		}
		for _, w := range want {
			if !lines[w] {
				t.Errorf("%s: no line %q", unit, w)
			}
		}
		for _, bad := range forbidden[unit] {
			if strings.Contains("\n"+string(raw), "\n"+bad) {
				t.Errorf("%s: %q would break the service (see the unit's comments)", unit, bad)
			}
		}
	}
}

// TestLintian runs lintian on every package; its errors and warnings fail
// the test, except those the packages override with a reason.
func TestLintian(t *testing.T) {
	need(t, "lintian", "lintian")
	b := debs(t)
	var files []string
	for _, arch := range b.arches {
		for _, pkg := range packages {
			files = append(files, b.deb(pkg, arch))
		}
	}
	out, err := exec.Command("lintian", append([]string{"--fail-on", "error,warning", "--info"}, files...)...).CombinedOutput()
	if err != nil {
		t.Errorf("lintian: %v\n%s", err, out)
	} else if len(out) > 0 {
		t.Logf("lintian:\n%s", out)
	}
}
