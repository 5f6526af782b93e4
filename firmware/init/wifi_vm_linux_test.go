package hearthinit

import (
	"bytes"
	"context"
	"debug/elf"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/insomniacslk/dhcp/dhcpv4"
	"github.com/insomniacslk/dhcp/dhcpv4/server4"
	"github.com/mdlayher/genetlink"
	"github.com/mdlayher/netlink"
	"github.com/mdlayher/wifi"
	vnetlink "github.com/vishvananda/netlink"
	"github.com/vishvananda/netns"
	"golang.org/x/sync/errgroup"
	"golang.org/x/sys/unix"

	"github.com/hearth-home/hearth/firmware/hearthtxt"
	"github.com/hearth-home/hearth/hearthtest/vmtest"
)

// KernelFullEnv names the kernel with modules that TestWifi boots
// (scripts/vmkernel-full.sh): the cloud kernel has no mac80211_hwsim.
const KernelFullEnv = "HEARTH_VM_KERNEL_FULL"

// The simulated home: an access point (hostapd on the first radio, in a
// network namespace of its own, with a DHCP server) and the device (the
// second radio, in the test's namespace), inside the VM.
var (
	apAddr    = netip.MustParsePrefix("10.77.6.1/24")
	leaseAddr = netip.MustParsePrefix("10.77.6.50/24")
)

const (
	apSSID    = "hearth-test"
	apPSK     = "correct horse battery"
	openSSID  = "hearth-open"
	vmWifiDir = "/wifi"
)

// TestWifi connects hearth-init's Wi-Fi code to an access point run by
// Debian's hostapd over two radios of mac80211_hwsim, in a VM booting
// Debian's full kernel ($HEARTH_VM_KERNEL_FULL). hwsim cannot do the
// handshake itself, so WPA2 goes through Debian's wpa_supplicant: a wrong
// password and an unknown network are reported as such, the right one
// connects, gets a DHCP lease, and connects again (and renews) after the
// access point restarted. An open network connects through nl80211
// alone, as the driver-handshake path does, and reconnects too. The
// country is set, and the password is in no log line.
func TestWifi(t *testing.T) {
	if vmtest.InGuest() {
		wifiGuest(t)
		return
	}
	kernel := os.Getenv(KernelFullEnv)
	if kernel == "" {
		t.Skipf("set %s=$(scripts/vmkernel-full.sh) (and apt-get install hostapd wpasupplicant qemu-system-x86)", KernelFullEnv)
	}
	files := map[string]string{}
	var libDirs []string
	for _, prog := range []string{"hostapd", "wpa_supplicant"} {
		path, err := exec.LookPath(prog)
		if err != nil {
			path, err = exec.LookPath("/usr/sbin/" + prog)
		}
		if err != nil {
			t.Skipf("needs %s (apt-get install hostapd wpasupplicant): %v", prog, err)
		}
		files[filepath.Join(vmWifiDir, prog)] = path
		libDirs = append(libDirs, addLibraries(t, path, files)...)
	}
	root := filepath.Join(filepath.Dir(kernel), "..")
	releases, _ := filepath.Glob(filepath.Join(root, "lib/modules/*"))
	if len(releases) != 1 {
		t.Fatalf("want one lib/modules/<release> beside %s (scripts/vmkernel-full.sh), found %v", kernel, releases)
	}
	// The ciphers too: without modprobe in the VM, mac80211 cannot ask
	// for ccm(aes) (CCMP, WPA2's cipher) by itself.
	mods, err := wifiModuleOrder(releases[0], "ctr", "ccm", "ecb", "cmac", "ghash_generic", "gcm", "mac80211_hwsim")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, m := range mods {
		name := filepath.Join(vmWifiDir, filepath.Base(m))
		files[name] = m
		names = append(names, name)
	}
	for _, f := range []string{"regulatory.db", "regulatory.db.p7s"} {
		if p := filepath.Join(root, "lib/firmware", f); fileExists(p) {
			files["/lib/firmware/"+f] = p
		}
	}
	var args []string
	if testing.Short() {
		args = append(args, "-test.short")
	}
	slices.Sort(libDirs)
	vmtest.Run(t, vmtest.Options{
		Kernel: kernel,
		Args:   args,
		Files:  files,
		Env: []string{"LD_LIBRARY_PATH=" + strings.Join(slices.Compact(libDirs), ":"),
			"HI_WIFI_MODULES=" + strings.Join(names, ",")},
		Memory:  1024,
		Timeout: 9 * time.Minute, // waiting for the radio can take minutes (waitScan)
	})
}

// addLibraries adds the libraries ldd names for prog (and the dynamic
// loader) to files, by their own paths, and returns their directories.
func addLibraries(t *testing.T, prog string, files map[string]string) []string {
	out, err := exec.Command("ldd", prog).Output()
	if err != nil {
		t.Skipf("ldd %s: %v", prog, err)
	}
	var dirs []string
	for l := range strings.Lines(string(out)) {
		f := strings.Fields(l)
		if len(f) >= 3 && f[1] == "=>" && filepath.IsAbs(f[2]) {
			files[f[2]] = f[2]
			dirs = append(dirs, filepath.Dir(f[2]))
		} else if len(f) >= 1 && filepath.IsAbs(f[0]) {
			files[f[0]] = f[0]
		}
	}
	return dirs
}

// wifiModuleOrder lists the module files of names and what they need,
// dependencies first, as their .modinfo says (the package has no
// modules.dep).
func wifiModuleOrder(modDir string, names ...string) ([]string, error) {
	idx := map[string]string{}
	filepath.WalkDir(modDir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.Contains(d.Name(), ".ko") {
			n := strings.ReplaceAll(strings.SplitN(d.Name(), ".ko", 2)[0], "-", "_")
			idx[n] = p
		}
		return nil
	})
	builtin, _ := os.ReadFile(filepath.Join(modDir, "modules.builtin"))
	var order []string
	done := map[string]bool{}
	var visit func(n string) error
	visit = func(n string) error {
		if done[n] {
			return nil
		}
		done[n] = true
		path, ok := idx[n]
		if !ok {
			if bytes.Contains(builtin, []byte("/"+n+".ko")) || bytes.Contains(builtin, []byte("/"+strings.ReplaceAll(n, "_", "-")+".ko")) {
				return nil
			}
			return fmt.Errorf("no module %s in %s", n, modDir)
		}
		f, err := elf.Open(path)
		if err != nil {
			return err
		}
		sec := f.Section(".modinfo")
		var data []byte
		if sec != nil {
			data, _ = sec.Data()
		}
		f.Close()
		for _, kv := range bytes.Split(data, []byte{0}) {
			if deps, ok := strings.CutPrefix(string(kv), "depends="); ok {
				for d := range strings.SplitSeq(deps, ",") {
					if d != "" {
						if err := visit(strings.ReplaceAll(d, "-", "_")); err != nil {
							return err
						}
					}
				}
			}
		}
		order = append(order, path)
		return nil
	}
	for _, n := range names {
		if err := visit(n); err != nil {
			return nil, err
		}
	}
	return order, nil
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// logBuffer collects the log and lets the test wait for a line.
type logBuffer struct {
	t  *testing.T
	mu sync.Mutex
	b  strings.Builder
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	l.b.Write(p)
	l.mu.Unlock()
	l.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// waitFor waits until the log holds want n times.
func (l *logBuffer) waitFor(t *testing.T, want string, n int, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for strings.Count(l.String(), want) < n {
		if time.Now().After(deadline) {
			t.Fatalf("after %v the log has %q %d times, want %d", timeout, want, strings.Count(l.String(), want), n)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// accessPoint is hostapd and a DHCP server in a namespace of their own.
type accessPoint struct {
	t     *testing.T
	ns    netns.NsHandle
	iface string
	conf  string
	cmd   *exec.Cmd
	out   *logBuffer
	srv   *server4.Server

	mu       sync.Mutex
	requests int
}

func wifiGuest(t *testing.T) {
	for _, m := range strings.Split(os.Getenv("HI_WIFI_MODULES"), ",") {
		params := ""
		if strings.Contains(m, "mac80211_hwsim") {
			params = "radios=2"
		}
		loadModuleParams(t, m, params)
	}
	c, err := wifi.New()
	must(t, err)
	defer c.Close()
	var ifis []*wifi.Interface
	for deadline := time.Now().Add(10 * time.Second); len(ifis) < 2; time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("mac80211_hwsim made %d Wi-Fi interfaces, want 2", len(ifis))
		}
		ifis, err = c.Interfaces()
		must(t, err)
	}
	slices.SortFunc(ifis, func(a, b *wifi.Interface) int { return a.Index - b.Index })
	ap := startAccessPointNS(t, ifis[0])
	defer ap.stop()

	log := &logBuffer{t: t}
	logger := NewLogger(log, nil, slog.LevelDebug)
	n, err := NewNet(logger)
	must(t, err)
	n.ResolvConf = filepath.Join(t.TempDir(), "resolv.conf")
	// The device's side: the radio left here, picked as hearth-init
	// picks it when hearth.txt asks for Wi-Fi.
	ctx := t.Context()
	up, err := n.WaitUplink(ctx, 10*time.Second, true)
	if err != nil || !up.Wifi || up.Link.Attrs().Name != ifis[1].Name || up.Note != "" {
		t.Fatalf("WaitUplink = %+v, %v; want the Wi-Fi interface %s", up, err, ifis[1].Name)
	}
	supplicant := filepath.Join(vmWifiDir, "wpa_supplicant")
	connected := func(ssid string) string { return "Wi-Fi connected iface=" + up.Link.Attrs().Name + " ssid=" + ssid }
	// run runs the device's Wi-Fi (and DHCP) until the returned stop.
	run := func(ssid, psk, country string) (stop func()) {
		ctx, cancel := context.WithCancel(ctx)
		grp, gctx := errgroup.WithContext(ctx)
		w := &Wifi{Net: n, Link: up.Link, SSID: ssid, PSK: psk, Country: country, Supplicant: supplicant,
			RunDir: t.TempDir(), ConnectTimeout: 20 * time.Second}
		RunWifi(gctx, grp, w, hearthtxt.Config{}, "hearth-wifi", func(netip.Prefix) {})
		return func() {
			cancel()
			grp.Wait()
		}
	}

	// Under mac80211_hwsim the radio's scans stay busy (EBUSY) for a
	// minute now and then after a wpa_supplicant was stopped: each case
	// waits until the radio scans again and, when see is set, sees that
	// network (a slow VM's first scans can miss an access point that has
	// just started).
	waitScan := func(t *testing.T, see string) {
		must(t, vnetlink.LinkSetUp(up.Link))
		start := time.Now()
		for {
			sctx, cancel := context.WithTimeout(ctx, 20*time.Second)
			err := c.Scan(sctx, ifis[1])
			cancel()
			if err == nil && see != "" {
				var bss []*wifi.BSS
				if bss, err = c.AccessPoints(ifis[1]); err == nil &&
					!slices.ContainsFunc(bss, func(b *wifi.BSS) bool { return b.SSID == see }) {
					err = fmt.Errorf("%s not seen yet", see)
				}
				if err != nil {
					if time.Since(start) > 3*time.Minute {
						t.Fatalf("the radio did not see %s within 3 minutes: %v", see, err)
					}
					if n := time.Since(start); n%(15*time.Second) < time.Second {
						t.Logf("scan after %v: %v", n.Round(time.Second), err)
					}
					time.Sleep(time.Second)
					continue
				}
			}
			if err == nil || !(errors.Is(err, unix.EBUSY) || strings.Contains(err.Error(), "busy")) {
				break
			}
			if time.Since(start) > 2*time.Minute {
				t.Fatalf("the radio's scans stayed busy for 2 minutes: %v", err)
			}
			t.Logf("scan after %v: %v", time.Since(start).Round(time.Second), err)
			time.Sleep(2 * time.Second)
		}
		if d := time.Since(start); d > 10*time.Second {
			t.Logf("waited %v for the radio to scan again", d.Round(time.Second))
		}
	}
	t.Run("unknown network", func(t *testing.T) {
		ap.start(wpaConfig(ap.iface, apSSID, apPSK))
		waitScan(t, apSSID)
		before := strings.Count(log.String(), ErrSSIDNotFound.Error())
		stop := run("no-such-network", apPSK, "")
		defer stop()
		log.waitFor(t, ErrSSIDNotFound.Error(), before+1, 60*time.Second)
		if !strings.Contains(log.String(), "ssid=no-such-network seen="+apSSID) {
			t.Errorf("the not-found message does not list the network that is there (%s)", apSSID)
		}
	})
	t.Run("wrong password", func(t *testing.T) {
		// The radio must see the network again before hearth-init looks
		// for it: the case before stopped a wpa_supplicant, after which
		// hwsim's scans can come back empty for a while.
		waitScan(t, apSSID)
		notFound := strings.Count(log.String(), ErrSSIDNotFound.Error())
		stop := run(apSSID, "not the password", "")
		defer stop()
		log.waitFor(t, ErrWrongPSK.Error(), 1, 60*time.Second)
		log.waitFor(t, "handshake=wpa_supplicant", 1, time.Second)
		if strings.Count(log.String(), ErrSSIDNotFound.Error()) > notFound {
			t.Errorf("a network that is there was reported not found")
		}
	})
	t.Run("wpa2", func(t *testing.T) {
		waitScan(t, "")
		before := strings.Count(log.String(), "network up iface="+up.Link.Attrs().Name)
		stop := run(apSSID, apPSK, "DE")
		defer stop()
		log.waitFor(t, connected(apSSID)+" handshake=wpa_supplicant", 1, 60*time.Second)
		log.waitFor(t, "network up iface="+up.Link.Attrs().Name+" addr="+leaseAddr.String(), before+1, 60*time.Second)
		checkAddr(t, up.Link, leaseAddr)
		checkCountry(t, c, "DE")
		// The access point goes away and comes back: wpa_supplicant
		// connects again, and DHCP asks again once the carrier is back.
		reqs := ap.requestCount()
		ap.restart()
		log.waitFor(t, "Wi-Fi connection lost", 1, 30*time.Second)
		log.waitFor(t, connected(apSSID), 2, 60*time.Second)
		deadline := time.Now().Add(60 * time.Second)
		for ap.requestCount() <= reqs && time.Now().Before(deadline) {
			time.Sleep(200 * time.Millisecond)
		}
		if ap.requestCount() <= reqs {
			t.Errorf("no DHCP request after the reconnection")
		}
	})
	t.Run("open network through nl80211", func(t *testing.T) {
		waitScan(t, "")
		ap.start(openConfig(ap.iface, openSSID))
		before := strings.Count(log.String(), connected(openSSID))
		stop := run(openSSID, "", "FR") // set by hearth-init alone: no wpa_supplicant here
		defer stop()
		log.waitFor(t, connected(openSSID)+` handshake="none (open network)"`, before+1, 60*time.Second)
		checkCountry(t, c, "FR")
		ap.restart()
		log.waitFor(t, "Wi-Fi connection lost; connecting again", 1, 30*time.Second)
		log.waitFor(t, connected(openSSID), before+2, 60*time.Second)
	})
	if strings.Contains(log.String(), apPSK) {
		t.Errorf("the password is in the log")
	}
}

// checkCountry waits for the kernel's regulatory domain to be country
// (it loads regulatory.db and applies it after the request returns).
func checkCountry(t *testing.T, c *wifi.Client, country string) {
	t.Helper()
	if !fileExists("/lib/firmware/regulatory.db") {
		t.Logf("no regulatory.db in the VM: the country is not checked")
		return
	}
	var dom *wifi.RegulatoryDomain
	var err error
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		if dom, err = c.GetRegulatoryDomain(); err == nil && dom.Region == country {
			return
		}
	}
	t.Errorf("regulatory domain %+v, %v; want %s", dom, err, country)
}

func checkAddr(t *testing.T, link vnetlink.Link, want netip.Prefix) {
	t.Helper()
	addrs, err := vnetlink.AddrList(link, unix.AF_INET)
	must(t, err)
	for _, a := range addrs {
		if a.IPNet.String() == want.String() {
			return
		}
	}
	t.Errorf("%s has %v, want %s", link.Attrs().Name, addrs, want)
}

func wpaConfig(iface, ssid, psk string) string {
	return openConfig(iface, ssid) + "wpa=2\nwpa_passphrase=" + psk + "\nwpa_key_mgmt=WPA-PSK\nrsn_pairwise=CCMP\n"
}

func openConfig(iface, ssid string) string {
	return "interface=" + iface + "\ndriver=nl80211\nssid=" + ssid + "\nhw_mode=g\nchannel=1\n"
}

// startAccessPointNS moves the radio of ifi into a new network namespace,
// gives it the access point's address and serves DHCP there.
func startAccessPointNS(t *testing.T, ifi *wifi.Interface) *accessPoint {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	orig, err := netns.Get()
	must(t, err)
	defer orig.Close()
	ns, err := netns.New() // this thread is in it now
	must(t, err)
	must(t, netns.Set(orig))
	must(t, moveWiphy(ifi.PHY, ns))
	h, err := vnetlink.NewHandleAt(ns, unix.NETLINK_ROUTE) // xfrm and netfilter are modules not loaded
	must(t, err)
	defer h.Close()
	var link vnetlink.Link
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if link, err = h.LinkByName(ifi.Name); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s did not appear in the access point's namespace: %v", ifi.Name, err)
		}
	}
	must(t, h.AddrAdd(link, &vnetlink.Addr{IPNet: ipNet(apAddr)}))
	must(t, h.LinkSetUp(link))
	if lo, err := h.LinkByName("lo"); err == nil {
		h.LinkSetUp(lo)
	}
	ap := &accessPoint{t: t, ns: ns, iface: ifi.Name, out: &logBuffer{t: t}}
	// The server's socket is made in the namespace, and stays there.
	must(t, netns.Set(ns))
	ap.srv, err = server4.NewServer(ifi.Name, &net.UDPAddr{IP: net.IPv4zero, Port: dhcpv4.ServerPort}, ap.dhcp)
	must(t, netns.Set(orig))
	must(t, err)
	go ap.srv.Serve()
	return ap
}

// moveWiphy moves a radio (and its interfaces) into the namespace ns.
func moveWiphy(phy int, ns netns.NsHandle) error {
	c, err := genetlink.Dial(nil)
	if err != nil {
		return err
	}
	defer c.Close()
	fam, err := c.GetFamily(unix.NL80211_GENL_NAME)
	if err != nil {
		return err
	}
	ae := netlink.NewAttributeEncoder()
	ae.Uint32(unix.NL80211_ATTR_WIPHY, uint32(phy))
	ae.Uint32(unix.NL80211_ATTR_NETNS_FD, uint32(ns))
	data, err := ae.Encode()
	if err != nil {
		return err
	}
	_, err = c.Execute(genetlink.Message{Header: genetlink.Header{Command: unix.NL80211_CMD_SET_WIPHY_NETNS, Version: fam.Version}, Data: data},
		fam.ID, netlink.Request|netlink.Acknowledge)
	return err
}

func (ap *accessPoint) dhcp(conn net.PacketConn, peer net.Addr, m *dhcpv4.DHCPv4) {
	if m.MessageType() == dhcpv4.MessageTypeRequest {
		ap.mu.Lock()
		ap.requests++
		ap.mu.Unlock()
	}
	answerDHCP(conn, m, leaseAddr, apAddr.Addr(), time.Hour)
}

func (ap *accessPoint) requestCount() int {
	ap.mu.Lock()
	defer ap.mu.Unlock()
	return ap.requests
}

// start (re)starts hostapd with conf, in the access point's namespace,
// and waits until it beacons.
func (ap *accessPoint) start(conf string) {
	t := ap.t
	t.Helper()
	ap.stopHostapd()
	ap.conf = conf
	path := filepath.Join(os.TempDir(), "hostapd.conf")
	must(t, os.WriteFile(path, []byte(conf), 0o600))
	before := strings.Count(ap.out.String(), "AP-ENABLED")
	runtime.LockOSThread()
	orig, err := netns.Get()
	must(t, err)
	must(t, netns.Set(ap.ns))
	ap.cmd = exec.Command(filepath.Join(vmWifiDir, "hostapd"), path)
	ap.cmd.Stdout, ap.cmd.Stderr = ap.out, ap.out
	err = ap.cmd.Start()
	must(t, netns.Set(orig))
	orig.Close()
	runtime.UnlockOSThread()
	must(t, err)
	ap.out.waitFor(t, "AP-ENABLED", before+1, 30*time.Second)
}

func (ap *accessPoint) restart() { ap.start(ap.conf) }

func (ap *accessPoint) stopHostapd() {
	if ap.cmd == nil {
		return
	}
	ap.cmd.Process.Signal(unix.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- ap.cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		ap.cmd.Process.Kill()
		<-done
	}
	ap.cmd = nil
}

func (ap *accessPoint) stop() {
	ap.stopHostapd()
	ap.srv.Close()
	ap.ns.Close()
}

// loadModuleParams loads a kernel module from a file with parameters.
func loadModuleParams(t *testing.T, path, params string) {
	f, err := os.Open(path)
	must(t, err)
	defer f.Close()
	flags := 0
	if strings.HasSuffix(path, ".xz") || strings.HasSuffix(path, ".zst") {
		flags = unix.MODULE_INIT_COMPRESSED_FILE
	}
	if err := unix.FinitModule(int(f.Fd()), params, flags); err != nil && !errors.Is(err, unix.EEXIST) {
		t.Fatalf("loading %s: %v", path, err)
	}
}
