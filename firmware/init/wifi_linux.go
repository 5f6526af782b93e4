package hearthinit

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/mdlayher/wifi"
	"github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"
)

// Wifi keeps one wireless interface connected to one network: it sets the
// regulatory country, looks for the network, connects with WPA2-PSK (or
// to an open network) and connects again whenever the connection drops.
// The WPA2 handshake is the driver's where it can do it (nl80211's 4-way
// handshake offload, which brcmfmac has on every Wi-Fi Raspberry Pi), and
// wpa_supplicant's otherwise, when there is one. The password is never
// logged, and goes to wpa_supplicant only as the key derived from it.
type Wifi struct {
	Net  *Net
	Link netlink.Link
	SSID string
	// PSK is the WPA2 password (8 to 63 characters); empty for an open
	// network.
	PSK string
	// Country is the ISO 3166 code of the country the device is in
	// (regulatory domain); empty leaves the kernel's world domain, whose
	// channels are allowed everywhere.
	Country string
	// Supplicant is wpa_supplicant's path, for adapters that cannot do
	// the handshake themselves. Default: the first of SupplicantPaths
	// that exists.
	Supplicant string
	// SupplicantEnv is added to wpa_supplicant's environment (e.g.
	// LD_LIBRARY_PATH for one shipped with its libraries).
	SupplicantEnv []string
	// Start starts wpa_supplicant with its output to out (default:
	// os/exec; hearth-init, as PID 1, passes its Reaper's).
	Start func(cmd *exec.Cmd, out io.Writer) (Process, error)
	// RunDir holds wpa_supplicant's configuration (default /run/hearth).
	RunDir string
	// OnConnect is called each time the connection is up (keys agreed).
	OnConnect func()
	// ConnectTimeout bounds one connection attempt through nl80211
	// (default 30 s).
	ConnectTimeout time.Duration

	log      *slog.Logger
	lastFail error // the kind of failure reported last, not repeated until it changes
	failedAt time.Time
}

// SupplicantPaths are where Wifi looks for wpa_supplicant: in the slot
// first (an image may ship one), then the system's.
var SupplicantPaths = []string{"/slot/sbin/wpa_supplicant", "/slot/bin/wpa_supplicant", "/sbin/wpa_supplicant", "/usr/sbin/wpa_supplicant"}

// Run connects and keeps the connection until ctx ends. It returns an
// error only for what no retry can mend (no nl80211, no such interface);
// a network that is out of reach or refuses the password is logged and
// tried again.
func (w *Wifi) Run(ctx context.Context) error {
	name := w.Link.Attrs().Name
	w.log = w.Net.Log.With("iface", name)
	c, err := wifi.New()
	if err != nil {
		return fmt.Errorf("%w: nl80211: %w", ErrNoWifi, err)
	}
	defer c.Close()
	ifi, phy, err := w.find(c)
	if err != nil {
		return err
	}
	if err := w.Net.H.LinkSetUp(w.Link); err != nil {
		return fmt.Errorf("bringing %s up: %w", name, err)
	}
	if w.Country != "" {
		if err := c.SetRegulatoryRegion(w.Country, wifi.RegulatoryHintUser); err != nil {
			w.log.Warn("setting the Wi-Fi country", "country", w.Country, "err", err)
		}
	} else {
		w.log.Warn("wifi_country is not set in hearth.txt: only the channels allowed everywhere are used; " +
			"set it to your country's two-letter code if the access point uses channel 12 or 13 or 5 GHz")
	}
	offload := hasExtFeature(phy.Extra[unix.NL80211_ATTR_EXT_FEATURES], unix.NL80211_EXT_FEATURE_4WAY_HANDSHAKE_STA_PSK)
	sup := w.supplicantPath()
	driver := driverOf(name)
	hs, err := chooseHandshake(w.PSK, offload, sup)
	if err != nil {
		w.log.Error(err.Error(), "driver", driver, "looked_for", strings.Join(SupplicantPaths, " "))
		<-ctx.Done()
		return nil
	}
	w.log.Info("Wi-Fi", "ssid", w.SSID, "driver", driver, "handshake", string(hs), "country", w.Country)
	seen := w.scan(ctx, c, ifi)
	if hs == handshakeSupplicant {
		return w.runSupplicant(ctx, sup, seen)
	}
	return w.runNL80211(ctx, c, ifi, hs, seen)
}

// find returns the nl80211 interface of w.Link and its radio.
func (w *Wifi) find(c *wifi.Client) (*wifi.Interface, *wifi.PHY, error) {
	ifis, err := c.Interfaces()
	if err != nil {
		return nil, nil, fmt.Errorf("listing Wi-Fi interfaces: %w", err)
	}
	i := slices.IndexFunc(ifis, func(i *wifi.Interface) bool { return i.Index == w.Link.Attrs().Index })
	if i < 0 {
		return nil, nil, fmt.Errorf("%w: %s is not a Wi-Fi interface", ErrNoWifi, w.Link.Attrs().Name)
	}
	phys, err := c.PHYs()
	if err != nil {
		return nil, nil, fmt.Errorf("listing Wi-Fi radios: %w", err)
	}
	for _, p := range phys {
		if p.Index == ifis[i].PHY {
			return ifis[i], p, nil
		}
	}
	return nil, nil, fmt.Errorf("%w: no radio phy%d for %s", ErrNoWifi, ifis[i].PHY, w.Link.Attrs().Name)
}

// scan looks for the network once, to tell a misspelt name from a wrong
// password, and reports whether it was seen. A hidden network is not
// seen but may still connect: the attempts go on either way.
func (w *Wifi) scan(ctx context.Context, c *wifi.Client, ifi *wifi.Interface) bool {
	// A scan can miss an access point (a beacon or probe answer lost, one
	// just switched on): three before "not found". Scans that see no
	// network at all say more about a radio just brought up (mac80211_hwsim
	// answers them empty for a while) than about the air: up to ten then.
	var names []string
	var err error
	empty := 0 // scans that worked and saw nothing
	for try := 0; try < 3 || (empty == try && try < 10); try++ {
		if try > 0 && !sleep(ctx, time.Second) {
			return false
		}
		var bss []*wifi.BSS
		sctx, cancel := context.WithTimeout(ctx, 15*time.Second)
		err = c.Scan(sctx, ifi)
		cancel()
		if err == nil {
			bss, err = c.AccessPoints(ifi)
		}
		if err != nil {
			continue
		}
		if len(bss) == 0 {
			empty++
		}
		for _, b := range bss {
			if b.SSID == w.SSID {
				w.log.Info("Wi-Fi network found", "ssid", w.SSID, "bssid", b.BSSID.String(), "mhz", b.Frequency)
				return true
			}
			if b.SSID != "" && !slices.Contains(names, b.SSID) {
				names = append(names, b.SSID)
			}
		}
	}
	if names == nil && err != nil {
		w.log.Warn("Wi-Fi scan", "err", err)
		return false
	}
	w.fail(ErrSSIDNotFound, "seen", strings.Join(names, ", "))
	return false
}

// fail logs a connection failure, once until it changes (or every five
// minutes while it lasts).
func (w *Wifi) fail(err error, args ...any) {
	kind := failKind(err)
	if w.lastFail == kind && time.Since(w.failedAt) < 5*time.Minute {
		return
	}
	w.lastFail, w.failedAt = kind, time.Now()
	w.log.Error(err.Error(), append([]any{"ssid", w.SSID}, args...)...)
}

// failKind is the sentinel error err wraps, or err itself.
func failKind(err error) error {
	for _, k := range []error{ErrSSIDNotFound, ErrWrongPSK, ErrNoSupplicant, ErrNoWifi, ErrConnectFailed} {
		if errors.Is(err, k) {
			return k
		}
	}
	return err
}

func (w *Wifi) connected(hs handshake) {
	w.lastFail = nil
	w.log.Info("Wi-Fi connected", "ssid", w.SSID, "handshake", string(hs))
	if w.OnConnect != nil {
		w.OnConnect()
	}
}

// runNL80211 connects through nl80211 alone, and again after each drop:
// cfg80211 does not reconnect by itself.
func (w *Wifi) runNL80211(ctx context.Context, c *wifi.Client, ifi *wifi.Interface, hs handshake, seen bool) error {
	ev, err := listenMLME(ctx)
	if err != nil {
		return fmt.Errorf("nl80211 events: %w", err)
	}
	defer ev.close()
	backoff := 2 * time.Second
	for ctx.Err() == nil {
		err := w.connectOnce(ctx, c, ifi, hs, ev, seen)
		if err == nil {
			backoff = 2 * time.Second
			w.connected(hs)
			why := w.waitDisconnect(ctx, ev)
			if ctx.Err() != nil {
				break
			}
			w.log.Warn("Wi-Fi connection lost; connecting again", "ssid", w.SSID, "why", why)
			sleep(ctx, time.Second)
			continue
		}
		if ctx.Err() != nil {
			break
		}
		w.fail(err, "again_in", backoff)
		if !sleep(ctx, backoff) {
			break
		}
		backoff = min(2*backoff, time.Minute)
		if errors.Is(err, ErrSSIDNotFound) {
			seen = w.scan(ctx, c, ifi)
		}
	}
	c.Disconnect(ifi)
	return nil
}

// connectOnce asks for a connection and waits for its result.
func (w *Wifi) connectOnce(ctx context.Context, c *wifi.Client, ifi *wifi.Interface, hs handshake, ev *mlmeEvents, seen bool) error {
	ev.drain()
	connect := func() error {
		if hs == handshakeOffload {
			return c.ConnectWPAPSK(ifi, w.SSID, w.PSK)
		}
		return c.Connect(ifi, w.SSID)
	}
	err := connect()
	if errors.Is(err, unix.EALREADY) {
		// A connection half made by an earlier attempt is in the way.
		c.Disconnect(ifi)
		sleep(ctx, 200*time.Millisecond)
		ev.drain()
		err = connect()
	}
	if err != nil {
		return fmt.Errorf("%w: %w", ErrConnectFailed, err)
	}
	timeout := w.ConnectTimeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	t := time.NewTimer(timeout)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
			c.Disconnect(ifi)
			if !seen {
				return ErrSSIDNotFound
			}
			if hs == handshakeOffload {
				return fmt.Errorf("%w (no answer within %s)", ErrWrongPSK, timeout)
			}
			return fmt.Errorf("%w: no answer within %s", ErrConnectFailed, timeout)
		case e, ok := <-ev.ch:
			if !ok {
				return fmt.Errorf("%w: nl80211 events stopped", ErrConnectFailed)
			}
			if e.ifindex != ifi.Index {
				continue
			}
			switch e.cmd {
			case unix.NL80211_CMD_CONNECT:
				if e.status == 0 {
					return nil
				}
				return connectError(e, hs, seen)
			case unix.NL80211_CMD_DISCONNECT:
				// Dropped while the keys were agreed: the password.
				if hs == handshakeOffload {
					return fmt.Errorf("%w (disconnected, reason %d)", ErrWrongPSK, e.reason)
				}
				return fmt.Errorf("%w: disconnected, reason %d", ErrConnectFailed, e.reason)
			}
		}
	}
}

// connectError explains a failed connect result. cfg80211 reports a
// network it did not find with no BSSID (or a scan timeout); a driver
// that does the handshake reports a refused password as a failed
// connection to a BSS it found.
func connectError(e mlmeEvent, hs handshake, seen bool) error {
	if !e.hasBSSID || e.timeoutReason == timeoutScan {
		return fmt.Errorf("%w (status %d)", ErrSSIDNotFound, e.status)
	}
	if hs == handshakeOffload && seen {
		return fmt.Errorf("%w (status %d)", ErrWrongPSK, e.status)
	}
	return fmt.Errorf("%w: the access point answered status %d", ErrConnectFailed, e.status)
}

// waitDisconnect waits until the connection drops (or ctx ends) and says
// why.
func (w *Wifi) waitDisconnect(ctx context.Context, ev *mlmeEvents) string {
	// The carrier as well, in case an event was lost (a full socket
	// buffer drops multicast).
	t := time.NewTicker(2 * time.Second)
	defer t.Stop()
	down := 0
	for {
		select {
		case <-ctx.Done():
			return "stopping"
		case e, ok := <-ev.ch:
			if !ok {
				ev.ch = nil // the carrier alone from now on
				continue
			}
			if e.ifindex == w.Link.Attrs().Index && e.cmd == unix.NL80211_CMD_DISCONNECT {
				return fmt.Sprintf("reason %d", e.reason)
			}
		case <-t.C:
			l, err := w.Net.H.LinkByIndex(w.Link.Attrs().Index)
			if err != nil {
				continue
			}
			if l.Attrs().RawFlags&unix.IFF_LOWER_UP == 0 {
				if down++; down >= 2 {
					return "no carrier"
				}
			} else {
				down = 0
			}
		}
	}
}

// supplicantPath is w.Supplicant or the first of SupplicantPaths that
// exists.
func (w *Wifi) supplicantPath() string {
	if w.Supplicant != "" {
		return w.Supplicant
	}
	for _, p := range SupplicantPaths {
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
			return p
		}
	}
	return ""
}

// driverOf names the kernel driver of a network interface.
func driverOf(iface string) string {
	l, err := os.Readlink(filepath.Join("/sys/class/net", iface, "device", "driver"))
	if err != nil {
		return "unknown"
	}
	return filepath.Base(l)
}

// execStart starts cmd with os/exec, where no reaper is in the way.
func execStart(cmd *exec.Cmd, out io.Writer) (Process, error) {
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	return &execProcess{cmd: cmd}, nil
}

type execProcess struct {
	cmd  *exec.Cmd
	once sync.Once
	err  error
}

func (p *execProcess) Signal(s os.Signal) error { return p.cmd.Process.Signal(s) }

func (p *execProcess) Wait() error {
	p.once.Do(func() { p.err = p.cmd.Wait() })
	return p.err
}
