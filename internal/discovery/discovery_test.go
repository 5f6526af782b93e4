package discovery_test

import (
	"context"
	"errors"
	"log/slog"
	"net/netip"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hearth-home/hearth/hearthtest/netnstest"
	"github.com/hearth-home/hearth/internal/discovery"
)

// These tests run real mDNS, but only inside namespaces they create:
// the parent builds the namespaces and re-executes the test binary in them
// (netnstest); the part that sends multicast runs only in those children.

// findWithin is how soon a peer that is up must be found. The agent's
// start-to-ready budget is 1.5 s and discovery must be a small part of it.
const findWithin = 500 * time.Millisecond

func testConfig(t *testing.T, interval time.Duration) discovery.Config {
	return discovery.Config{
		Interval: interval,
		Logger:   slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
}

// start runs d until the returned stop is called; stop returns Run's error.
func start(t *testing.T, ctx context.Context, d *discovery.Discovery) (stop func() error) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()
	stopped := false
	var err error
	stop = func() error {
		if !stopped {
			cancel()
			err = <-done
			stopped = true
		}
		return err
	}
	t.Cleanup(func() { stop() })
	return stop
}

func waitID(t *testing.T, d *discovery.Discovery, id string, within time.Duration) (discovery.Peer, time.Duration) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), within)
	defer cancel()
	begin := time.Now()
	p, err := d.Wait(ctx, func(p discovery.Peer) bool { return p.ID == id })
	if err != nil {
		t.Fatalf("%s not found within %v: %v (peers: %+v)", id, within, err, d.Peers())
	}
	return p, time.Since(begin)
}

// TestLoopbackPair: two Discovery instances in one namespace that has only
// lo, with multicast on, find each other.
func TestLoopbackPair(t *testing.T) {
	if _, ok := netnstest.InChild(); ok {
		loopbackPair(t)
		return
	}
	h := netnstest.NewLoopback(t, "disc")
	netnstest.RunInNamespace(t, h.Nodes[0].Namespace, t.Name(), "pair")
}

func loopbackPair(t *testing.T) {
	cfg := testConfig(t, 0)

	bad := cfg
	bad.Interfaces = []string{"nope0"}
	err := discovery.New(bad, discovery.Announcement{ID: "x", Port: 1}).Run(t.Context())
	if !errors.Is(err, discovery.ErrNoInterface) || !strings.Contains(err.Error(), "nope0") {
		t.Errorf("Run on a missing interface: %v, want ErrNoInterface naming it", err)
	}
	err = discovery.New(cfg, discovery.Announcement{ID: "x"}).Run(t.Context())
	if !errors.Is(err, discovery.ErrAnnouncement) {
		t.Errorf("Run without a port: %v, want ErrAnnouncement", err)
	}

	gw := discovery.New(cfg, discovery.Announcement{
		ID: "GATEWAY-1", Role: discovery.RoleGateway, Arch: runtime.GOARCH, Proto: 1, Name: "Küche \"hub\"", Port: 7443})
	begin := time.Now()
	stopGW := start(t, t.Context(), gw)
	agent := discovery.New(cfg, discovery.Announcement{
		ID: "AGENT-1", Role: discovery.RoleAgent, Arch: "armv7", Proto: 1, Port: 7444})
	stopAgent := start(t, t.Context(), agent)

	p, took := waitID(t, agent, "GATEWAY-1", 3*time.Second)
	t.Logf("agent found the gateway %v after its start (%v after the gateway's)", took, time.Since(begin))
	if took > findWithin {
		t.Errorf("finding the gateway took %v, want under %v", took, findWithin)
	}
	want := gw.Self()
	if p.Announcement != want {
		t.Errorf("gateway heard as %+v, want %+v", p.Announcement, want)
	}
	if !slices.Contains(p.Addrs, netip.MustParseAddr("127.0.0.1")) {
		t.Errorf("gateway addrs %v lack 127.0.0.1", p.Addrs)
	}
	if _, took := waitID(t, gw, "AGENT-1", 3*time.Second); took > findWithin {
		t.Errorf("gateway found the agent after %v, want under %v", took, findWithin)
	}

	if err := gw.Run(t.Context()); !errors.Is(err, discovery.ErrRunning) {
		t.Errorf("second Run: %v, want ErrRunning", err)
	}
	if ps := agent.Peers(); len(ps) != 1 || ps[0].ID != "GATEWAY-1" {
		t.Errorf("agent peers = %+v, want only the gateway", ps)
	}
	for _, stop := range []func() error{stopAgent, stopGW} {
		if err := stop(); err != nil {
			t.Errorf("Run returned %v after its context ended, want nil", err)
		}
	}
}

// TestHome: three processes in three namespaces on one bridge each find the
// other two, with the right ID, role and addresses.
func TestHome(t *testing.T) {
	if _, ok := netnstest.InChild(); ok {
		homeNode(t)
		return
	}
	h := netnstest.NewHome(t, "disc", 3)
	var expect []string
	for i, n := range h.Nodes {
		expect = append(expect, strings.Join([]string{nodeID(i), nodeRole(i), n.IP.String(), n.IP6.String()}, "@"))
	}
	var children []*netnstest.Child
	for i, n := range h.Nodes {
		children = append(children, netnstest.StartInNamespace(t, n.Namespace, t.Name(), "node",
			"NODE="+nodeID(i), "ROLE="+nodeRole(i), "EXPECT="+strings.Join(expect, ",")))
	}
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	// Every child stays up until all have found everyone: a child that
	// left early would no longer answer the others.
	for _, c := range children {
		if err := c.WaitReady(ctx); err != nil {
			t.Error(err)
		}
	}
	for _, c := range children {
		c.Interrupt()
	}
	for _, c := range children {
		if err := c.Wait(); err != nil {
			t.Error(err)
		}
	}
}

func nodeID(i int) string { return "NODE-" + string(rune('A'+i)) }

func nodeRole(i int) string {
	if i == 0 {
		return discovery.RoleGateway
	}
	return discovery.RoleAgent
}

func homeNode(t *testing.T) {
	ctx, stopSignal := signal.NotifyContext(t.Context(), os.Interrupt)
	defer stopSignal()
	self := os.Getenv("NODE")
	cfg := testConfig(t, 0)
	if self == nodeID(0) {
		cfg.Interfaces = []string{"eth0"} // one node names it, the others take the default
	}
	d := discovery.New(cfg, discovery.Announcement{ID: self, Role: os.Getenv("ROLE"), Arch: runtime.GOARCH, Proto: 1, Port: 7443})
	begin := time.Now()
	stop := start(t, ctx, d)

	for _, e := range strings.Split(os.Getenv("EXPECT"), ",") {
		f := strings.Split(e, "@")
		id, role := f[0], f[1]
		if id == self {
			continue
		}
		p, _ := waitID(t, d, id, 5*time.Second)
		t.Logf("%s found %s after %v", self, id, time.Since(begin))
		if p.Role != role || p.Port != 7443 || p.Proto != 1 || p.Arch != runtime.GOARCH {
			t.Errorf("%s heard as %+v", id, p.Announcement)
		}
		want := []netip.Addr{netip.MustParseAddr(f[2]), netip.MustParseAddr(f[3])}
		if !slices.Equal(p.Addrs, want) {
			t.Errorf("%s addrs = %v, want %v", id, p.Addrs, want)
		}
	}
	if n := len(d.Peers()); n != 2 {
		t.Errorf("%d peers, want 2: %+v", n, d.Peers())
	}
	netnstest.Ready()
	<-ctx.Done()
	if err := stop(); err != nil {
		t.Errorf("Run: %v", err)
	}
}

// TestExpiryAndRestart: a peer that restarts with a new instance replaces
// its old entry at once; a peer that stops is dropped after Expiry.
func TestExpiryAndRestart(t *testing.T) {
	if _, ok := netnstest.InChild(); ok {
		expiryAndRestart(t)
		return
	}
	h := netnstest.NewLoopback(t, "disc")
	netnstest.RunInNamespace(t, h.Nodes[0].Namespace, t.Name(), "expiry")
}

func expiryAndRestart(t *testing.T) {
	const interval, expiry = 200 * time.Millisecond, 800 * time.Millisecond
	cfg := testConfig(t, interval)
	cfg.Expiry = expiry
	observer := discovery.New(cfg, discovery.Announcement{ID: "OBSERVER", Port: 1})
	start(t, t.Context(), observer)

	peer := discovery.Announcement{ID: "PEER", Role: discovery.RoleAgent, Port: 2, Instance: "first"}
	stop := start(t, t.Context(), discovery.New(cfg, peer))
	waitID(t, observer, "PEER", 3*time.Second)

	// A live peer is heard again every round and outlives many Expiry.
	for end := time.Now().Add(3 * expiry); time.Now().Before(end); time.Sleep(interval / 2) {
		ps := observer.Peers()
		if len(ps) != 1 || time.Since(ps[0].LastSeen) > 2*interval+100*time.Millisecond {
			t.Fatalf("live peer not refreshed: %+v", ps)
		}
	}

	// Restart: same ID, new instance, before the old entry expires.
	stop()
	peer.Instance = "second"
	begin := time.Now()
	stop = start(t, t.Context(), discovery.New(cfg, peer))
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Second)
	defer cancel()
	p, err := observer.Wait(ctx, func(p discovery.Peer) bool { return p.Instance == "second" })
	if err != nil {
		t.Fatal(err)
	}
	took := time.Since(begin)
	t.Logf("restart noticed after %v", took)
	if took >= expiry {
		t.Errorf("restart noticed after %v: the old entry expired rather than being replaced", took)
	}
	if ps := observer.Peers(); len(ps) != 1 || ps[0].Instance != "second" || p.LastSeen.IsZero() {
		t.Errorf("after restart peers = %+v, want one, the second instance", ps)
	}

	// Stop: the goodbye drops it at once, well before Expiry.
	stop()
	stopped := time.Now()
	for len(observer.Peers()) > 0 {
		if time.Since(stopped) > 3*expiry {
			t.Fatalf("peer still listed %v after it stopped", time.Since(stopped))
		}
		time.Sleep(10 * time.Millisecond)
	}
	gone := time.Since(stopped)
	t.Logf("stopped peer dropped after %v (Expiry %v, Interval %v)", gone, expiry, interval)
	if gone >= interval {
		t.Errorf("peer dropped after %v: its goodbye was not heard, it only expired", gone)
	}

	// A peer that dies without goodbye is dropped after Expiry, not
	// before its last answer ages out. (Its records are sent by hand, so
	// that no goodbye follows.)
	silent := discovery.Announcement{ID: "SILENT", Port: 3, Instance: "s"}
	if err := discovery.AnnounceOnce(cfg, silent, []string{"lo"}); err != nil {
		t.Fatal(err)
	}
	waitID(t, observer, "SILENT", time.Second)
	heard := time.Now()
	for slices.ContainsFunc(observer.Peers(), func(p discovery.Peer) bool { return p.ID == "SILENT" }) {
		if time.Since(heard) > 3*expiry {
			t.Fatalf("silent peer still listed %v after it was heard", time.Since(heard))
		}
		time.Sleep(10 * time.Millisecond)
	}
	gone = time.Since(heard)
	t.Logf("silent peer dropped after %v (Expiry %v, Interval %v)", gone, expiry, interval)
	if gone < expiry-interval {
		t.Errorf("silent peer dropped after %v, before Expiry %v minus one Interval", gone, expiry)
	}
}

// TestAddressChange: when a node gets a new address while running, it
// announces it again and its neighbours learn it within a few rounds.
func TestAddressChange(t *testing.T) {
	if _, ok := netnstest.InChild(); ok {
		addressChange(t)
		return
	}
	h := netnstest.NewLoopback(t, "disc")
	netnstest.RunInNamespace(t, h.Nodes[0].Namespace, t.Name(), "readdress")
}

func addressChange(t *testing.T) {
	const interval = 200 * time.Millisecond
	cfg := testConfig(t, interval)
	obsCfg := cfg
	obsCfg.Interfaces = []string{"lo"}
	observer := discovery.New(obsCfg, discovery.Announcement{ID: "OBSERVER", Port: 1})
	start(t, t.Context(), observer)
	node := discovery.New(cfg, discovery.Announcement{ID: "NODE", Port: 2})
	start(t, t.Context(), node)
	p, _ := waitID(t, node, "OBSERVER", 3*time.Second)
	if p, _ = waitID(t, observer, "NODE", 3*time.Second); !slices.Contains(p.Addrs, netip.MustParseAddr("127.0.0.1")) {
		t.Fatalf("before: NODE addrs = %v", p.Addrs)
	}

	// A new interface (a veth pair with both ends here) inside this test's
	// own namespace, with a documentation address: the node must now
	// announce that instead of its loopback addresses.
	cmd := exec.Command("ip", "-batch", "-")
	cmd.Stdin = strings.NewReader("link add extra0 type veth peer name extra1\n" +
		"link set extra1 up\nlink set extra0 multicast on up\naddr add 192.0.2.1/24 dev extra0\n")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("adding extra0: %v: %s", err, out)
	}
	begin := time.Now()
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Second)
	defer cancel()
	want := netip.MustParseAddr("192.0.2.1")
	p, err := observer.Wait(ctx, func(p discovery.Peer) bool { return p.ID == "NODE" && slices.Equal(p.Addrs, []netip.Addr{want}) })
	if err != nil {
		t.Fatalf("new address not learnt: %v; peers %+v", err, observer.Peers())
	}
	t.Logf("new address learnt after %v (Interval %v)", time.Since(begin), interval)
}

// TestIPv4Only: with IPv6 disabled on the interfaces, peers are found and
// announce only IPv4 addresses. (The kernel may still let the IPv6 socket
// join its group here; the resolver and the watcher keep whichever IP version can join, and
// either alone carries every answer.)
func TestIPv4Only(t *testing.T) {
	if _, ok := netnstest.InChild(); ok {
		ipv4Only(t)
		return
	}
	h := netnstest.NewLoopback(t, "disc")
	netnstest.RunInNamespace(t, h.Nodes[0].Namespace, t.Name(), "ipv4")
}

func ipv4Only(t *testing.T) {
	// /proc/sys/net is per network namespace: this touches only ours.
	for _, f := range []string{"all", "default", "lo"} {
		if err := os.WriteFile("/proc/sys/net/ipv6/conf/"+f+"/disable_ipv6", []byte("1"), 0); err != nil {
			t.Fatal(err)
		}
	}
	cfg := testConfig(t, 0)
	a := discovery.New(cfg, discovery.Announcement{ID: "A", Port: 1})
	start(t, t.Context(), a)
	b := discovery.New(cfg, discovery.Announcement{ID: "B", Port: 1})
	start(t, t.Context(), b)
	p, took := waitID(t, b, "A", 3*time.Second)
	t.Logf("found after %v", took)
	if want := []netip.Addr{netip.MustParseAddr("127.0.0.1")}; !slices.Equal(p.Addrs, want) {
		t.Errorf("addrs = %v, want %v", p.Addrs, want)
	}
	waitID(t, a, "B", 3*time.Second)
}
