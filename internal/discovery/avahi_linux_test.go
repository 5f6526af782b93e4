package discovery_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hearth-home/hearth/hearthtest/netnstest"
	"github.com/hearth-home/hearth/internal/discovery"
)

// TestAvahi: Hearth and avahi, the mDNS stack of most Linux homes, see each
// other. In one namespace of a two-node home a private D-Bus and
// avahi-daemon run; there `avahi-browse -rt _hearth._tcp` must list the
// Hearth node running in the other, with its TXT record, and a Hearth node
// must find a service that avahi publishes (avahi-publish).
func TestAvahi(t *testing.T) {
	if _, ok := netnstest.InChild(); ok {
		switch os.Getenv("ROLE") {
		case "avahi":
			avahiSide(t)
		default:
			hearthSide(t)
		}
		return
	}
	for _, tool := range []string{"avahi-daemon", "avahi-browse", "avahi-publish", "dbus-daemon"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s is missing: .ci/run installs avahi-daemon, avahi-utils and dbus", tool)
			}
			t.Skipf("%s is missing (apt-get install avahi-daemon avahi-utils dbus)", tool)
		}
	}
	h := netnstest.NewHome(t, "avahi", 2)
	hearth := netnstest.StartInNamespace(t, h.Nodes[1].Namespace, t.Name(), "hearth", "ROLE=hearth")
	avahi := netnstest.StartInNamespace(t, h.Nodes[0].Namespace, t.Name(), "avahi", "ROLE=avahi")
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	for _, c := range []*netnstest.Child{avahi, hearth} {
		if err := c.WaitReady(ctx); err != nil {
			t.Error(err)
		}
	}
	for _, c := range []*netnstest.Child{avahi, hearth} {
		c.Interrupt()
		if err := c.Wait(); err != nil {
			t.Error(err)
		}
	}
}

// hearthSide announces a Hearth node and waits for the service avahi
// publishes, then for the end.
func hearthSide(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	d := discovery.New(testConfig(t, 500*time.Millisecond), discovery.Announcement{
		ID: "HEARTH-NODE", Role: discovery.RoleAgent, Arch: "arm64", Proto: 1, Name: "Küche", Port: 7444})
	stop := start(t, ctx, d)
	p, took := waitID(t, d, "AVAHI-NODE", 20*time.Second)
	t.Logf("found avahi's service after %v: %+v", took, p)
	if p.Role != discovery.RoleGateway || p.Port != 7443 || len(p.Addrs) == 0 {
		t.Errorf("avahi's service heard as %+v", p)
	}
	netnstest.Ready()
	wait := make(chan os.Signal, 1)
	signalNotify(wait)
	<-wait
	if err := stop(); err != nil {
		t.Error(err)
	}
}

// avahiSide runs D-Bus and avahi-daemon privately, publishes a Hearth
// service through avahi and browses for Hearth nodes with avahi-browse.
func avahiSide(t *testing.T) {
	dir := t.TempDir()
	// avahi-daemon keeps its pid file and socket in /run/avahi-daemon; this
	// child has its own mount namespace (ip netns exec), so a tmpfs there
	// hides nothing outside it.
	if err := os.MkdirAll("/run/avahi-daemon", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mount("tmpfs", "/run/avahi-daemon", "tmpfs", 0, "size=1m"); err != nil {
		t.Fatal(err)
	}
	defer syscall.Unmount("/run/avahi-daemon", 0)

	bus := filepath.Join(dir, "bus")
	busConf := filepath.Join(dir, "bus.conf")
	write(t, busConf, fmt.Sprintf(`<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path=%s</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <allow own="*"/>
    <allow send_destination="*" eavesdrop="true"/>
    <allow receive_sender="*"/>
  </policy>
</busconfig>
`, bus))
	env := append(os.Environ(), "DBUS_SYSTEM_BUS_ADDRESS=unix:path="+bus)
	daemon := func(name string, args ...string) {
		cmd := exec.Command(name, args...)
		cmd.Env, cmd.Stdout, cmd.Stderr = env, t.Output(), t.Output()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	}
	daemon("dbus-daemon", "--nofork", "--nopidfile", "--config-file="+busConf)
	waitFile(t, bus)

	avahiConf := filepath.Join(dir, "avahi.conf")
	write(t, avahiConf, "[server]\nhost-name=avahi-side\nuse-ipv4=yes\nuse-ipv6=yes\nallow-interfaces=eth0\nenable-dbus=yes\n"+
		"[wide-area]\nenable-wide-area=no\n[publish]\npublish-hinfo=no\npublish-workstation=no\n")
	daemon("avahi-daemon", "--no-drop-root", "--no-chroot", "--no-rlimits", "--no-proc-title", "-f", avahiConf)
	waitFile(t, "/run/avahi-daemon/socket")

	// A service published by avahi, for the Hearth node to find.
	daemon("avahi-publish", "-s", "avahi-gateway", "_hearth._tcp", "7443",
		"id=AVAHI-NODE", "instance=av1", "role=gateway", "proto=1")

	// avahi-browse lists the Hearth node, resolved, with its TXT record.
	var out []byte
	deadline := time.Now().Add(20 * time.Second)
	for {
		cmd := exec.Command("avahi-browse", "-rtp", "_hearth._tcp")
		cmd.Env = env
		var err error
		out, err = cmd.Output()
		if err == nil && strings.Contains(string(out), `"id=HEARTH-NODE"`) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("avahi-browse -rtp _hearth._tcp did not list the Hearth node: %v\n%s", err, out)
		}
		time.Sleep(500 * time.Millisecond)
	}
	t.Logf("avahi-browse -rtp _hearth._tcp:\n%s", out)
	for _, want := range []string{`"role=agent"`, `"arch=arm64"`, ";7444;"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("avahi-browse lacks %s", want)
		}
	}
	netnstest.Ready()
	wait := make(chan os.Signal, 1)
	signalNotify(wait)
	<-wait
}

func write(t *testing.T, path, s string) {
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

func waitFile(t *testing.T, path string) {
	for end := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if _, err := os.Stat(path); err == nil {
			return
		}
		if time.Now().After(end) {
			t.Fatalf("%s did not appear", path)
		}
	}
}

func signalNotify(c chan os.Signal) { signal.Notify(c, os.Interrupt) }
