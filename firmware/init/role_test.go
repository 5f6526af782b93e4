package hearthinit

import (
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/hearth-home/hearth/firmware/hearthtxt"
)

func TestAgentCommand(t *testing.T) {
	cmd := DefaultLayout.AgentCommand(hearthtxt.Config{Join: "192.168.1.10", PowerBudget: 4.5, Timezone: "Europe/Berlin", Token: hearthtxt.Stored}, "kitchen-pi", true)
	want := []string{"/slot/bin/hearth-agent", "--data-dir", "/data/agent", "--name", "kitchen-pi",
		"--token-file", "/data/hearth/token", "--join", "192.168.1.10:7443", "--power-budget", "4.5", "--containerd", "off"}
	if !reflect.DeepEqual(cmd.Args, want) {
		t.Errorf("args %q\nwant %q", cmd.Args, want)
	}
	if !reflect.DeepEqual(cmd.Env, []string{"PATH=/slot/bin:/slot/sbin", "HOME=/data", "TZ=Europe/Berlin"}) {
		t.Errorf("env %q", cmd.Env)
	}
	cmd = DefaultLayout.AgentCommand(hearthtxt.Config{}, "hearth-beef", false)
	want = []string{"/slot/bin/hearth-agent", "--data-dir", "/data/agent", "--name", "hearth-beef", "--containerd", "off"}
	if !reflect.DeepEqual(cmd.Args, want) {
		t.Errorf("defaults: args %q\nwant %q", cmd.Args, want)
	}
}

func TestGatewayCommands(t *testing.T) {
	adv := netip.AddrPortFrom(netip.MustParseAddr("192.168.1.10"), GatewayPort).String()
	got := DefaultLayout.GatewayInitCommand(hearthtxt.Config{Role: "gateway"}, adv).Args
	want := []string{"/slot/bin/hearth-gateway", "init", "--data-dir", "/data/gateway", "--advertise", "192.168.1.10:7443"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("init args %q", got)
	}
	got = DefaultLayout.GatewayCommand(hearthtxt.Config{Role: "gateway"}, adv).Args
	want = []string{"/slot/bin/hearth-gateway", "--data-dir", "/data/gateway", "--advertise", "192.168.1.10:7443"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("run args %q", got)
	}
}

// An update's slot has no gateway: the gateway role says what to do
// instead of failing to start a missing program at every restart.
func TestHasGateway(t *testing.T) {
	l := Layout{Slot: t.TempDir()}
	err := l.HasGateway()
	if err == nil || !strings.Contains(err.Error(), "Write the image") {
		t.Fatalf("a slot without the gateway: %v", err)
	}
	if err := os.MkdirAll(filepath.Join(l.Slot, "bin"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(l.Slot, "bin", "hearth-gateway"), nil, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := l.HasGateway(); err != nil {
		t.Errorf("the image's slot: %v", err)
	}
}

// SSH runs only where the slot has its server and a shell.
func TestSSHCommand(t *testing.T) {
	l := Layout{Slot: t.TempDir(), Data: "/data"}
	cfg := hearthtxt.Config{SSHKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG0= me@laptop", Timezone: "Europe/Paris"}
	if err := os.MkdirAll(filepath.Join(l.Slot, "bin"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"hearth-sshd", "busybox"} {
		if l.SSHCommand(cfg) != nil {
			t.Fatalf("a command without %s", name)
		}
		if err := os.WriteFile(filepath.Join(l.Slot, "bin", name), nil, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	cmd := l.SSHCommand(cfg)
	bin := filepath.Join(l.Slot, "bin")
	want := []string{bin + "/hearth-sshd", "--authorized-key", cfg.SSHKey, "--host-key", "/data/hearth/ssh_host_ed25519_key",
		"--shell", bin + "/busybox sh", "--dir", "/data"}
	if cmd == nil || !reflect.DeepEqual(cmd.Args, want) {
		t.Fatalf("args %q\nwant %q", cmd.Args, want)
	}
	if !slices.Contains(cmd.Env, "TZ=Europe/Paris") {
		t.Errorf("env %q", cmd.Env)
	}
}

func TestDeliverCredentials(t *testing.T) {
	l := Layout{Slot: t.TempDir(), Data: t.TempDir(), Boot: t.TempDir()}
	if !l.NeedsGatewayInit() {
		t.Fatal("a fresh data partition needs init")
	}
	if _, err := l.DeliverCredentials(); err == nil {
		t.Fatal("delivered credentials that init never wrote")
	}
	must(t, os.MkdirAll(l.GatewayDir(), 0o700))
	creds := `{"gateway":"192.168.1.10:7443","gateway_id":"x","token":"y"}`
	must(t, os.WriteFile(filepath.Join(l.GatewayDir(), "credentials.json"), []byte(creds), 0o600))
	path, err := l.DeliverCredentials()
	if err != nil || path != filepath.Join(l.Boot, CredentialsName) {
		t.Fatalf("DeliverCredentials = %s, %v", path, err)
	}
	if b, _ := os.ReadFile(path); string(b) != creds {
		t.Errorf("%s = %q", path, b)
	}
	if l.NeedsGatewayInit() {
		t.Error("still needs init after delivering")
	}
}

func TestDefaultName(t *testing.T) {
	mac, _ := net.ParseMAC("b8:27:eb:12:be:ef")
	if got := DefaultName(mac); got != "hearth-beef" {
		t.Errorf("DefaultName(%s) = %s", mac, got)
	}
	if got := DefaultName(nil); got != "hearth" {
		t.Errorf("DefaultName(nil) = %s", got)
	}
}
