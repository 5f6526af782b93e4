package hearthinit

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/netip"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/sync/errgroup"
	"golang.org/x/sys/unix"

	"github.com/hearth-home/hearth/firmware/hearthtxt"
	"github.com/hearth-home/hearth/firmware/slot"
)

// What the image builder puts into the initramfs besides /init.
const (
	modulesList = "/etc/hearth/modules"
	boardFile   = "/etc/hearth/board"
	versionFile = "/etc/hearth/version"
	modulesDir  = "/lib/modules"
)

const usage = `hearth-init is PID 1 of the Hearth appliance image; it is not run by hand.
As a command on a running appliance:
  hearth-init reboot     stop the role, save the clock, unmount and reboot
  hearth-init poweroff   the same, then power off
  hearth-init version    print the version
`

// Main is hearth-init's main: the boot as PID 1, or one of the commands of
// usage otherwise. version is the binary's own version.
func Main(args []string, version string) int {
	if len(args) > 0 {
		switch args[0] {
		case "reboot", "poweroff":
			sig := syscall.SIGTERM
			if args[0] == "poweroff" {
				sig = syscall.SIGUSR2
			}
			if err := syscall.Kill(1, sig); err != nil {
				fmt.Fprintln(os.Stderr, "hearth-init:", err)
				return 1
			}
			return 0
		case "version":
			fmt.Println("hearth-init", version)
			return 0
		}
		fmt.Fprint(os.Stderr, usage)
		return 2
	}
	if os.Getpid() != 1 {
		fmt.Fprint(os.Stderr, usage)
		return 2
	}
	b := &boot{layout: DefaultLayout, version: version, file: &earlyLog{}}
	b.action.Store(unix.LINUX_REBOOT_CMD_RESTART)
	b.log = NewLogger(io.MultiWriter(os.Stderr, b.file), sinceBoot, slog.LevelInfo)
	defer func() {
		if r := recover(); r != nil {
			b.fail(fmt.Errorf("hearth-init crashed: %v", r))
		}
	}()
	b.run()
	return 0 // not reached: run ends in a reboot
}

// sinceBoot is the time since the kernel started (CLOCK_BOOTTIME), which
// setting the wall clock does not move.
func sinceBoot() time.Duration {
	var ts unix.Timespec
	if unix.ClockGettime(unix.CLOCK_BOOTTIME, &ts) != nil {
		return 0
	}
	return time.Duration(ts.Nano())
}

// boot is one boot of the appliance, from the first mount to the reboot.
type boot struct {
	log        *slog.Logger
	file       *earlyLog
	layout     Layout
	version    string
	reaper     Reaper
	stopReaper context.CancelFunc
	reaped     chan struct{}
	wd         *Watchdog
	mounted    []string   // in mount order, unmounted in reverse
	logs       []*LogFile // on /data, closed before it is unmounted
	clock      ClockFile
	dev        *slot.Device // the slots, once the disk is mounted
	// ctx ends at a shutdown signal; action is then what it asked for.
	ctx    context.Context
	action atomic.Int64
}

// run boots and supervises until a signal or a failure, then reboots.
func (b *boot) run() {
	if err := mountEarly(b.log); err != nil {
		b.fail(err)
	}
	console()
	unix.Reboot(unix.LINUX_REBOOT_CMD_CAD_OFF) // Ctrl-Alt-Del: SIGINT to us, a clean reboot
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGINT, syscall.SIGPWR, syscall.SIGUSR2)
	ctx, cancel := context.WithCancel(context.Background())
	b.ctx = ctx
	go func() {
		s := <-sigs
		if s == syscall.SIGPWR || s == syscall.SIGUSR2 {
			b.action.Store(unix.LINUX_REBOOT_CMD_POWER_OFF)
		}
		b.log.Info("shutting down", "signal", fmt.Sprint(s))
		cancel()
	}()
	reapCtx, stopReaper := context.WithCancel(context.Background())
	b.stopReaper, b.reaped = stopReaper, make(chan struct{})
	b.reaper.Log = b.log
	go func() {
		defer close(b.reaped)
		b.reaper.Run(reapCtx)
	}()

	var uts unix.Utsname
	unix.Uname(&uts)
	release := unix.ByteSliceToString(uts.Release[:])
	b.log.Info("hearth-init "+b.version, "board", firstLine(boardFile), "image", firstLine(versionFile), "kernel", release)
	mountCgroup2(b.log)
	os.MkdirAll(filepath.Dir(ReadyFile), 0o755)

	raw, _ := os.ReadFile("/proc/cmdline")
	cl, err := slot.ParseCmdline(string(raw))
	if err != nil {
		b.fail(err)
	}
	b.log.Info("booting", "slot", cl.Slot, "trial", cl.Trial, "disk", fmt.Sprintf("%08x", cl.DiskSignature))

	if list, err := os.ReadFile(modulesList); err == nil {
		mods, err := ReadModuleList(list)
		if err != nil {
			b.log.Error(err.Error())
		}
		n := LoadModules(b.log, filepath.Join(modulesDir, release), mods, FinitModule)
		b.log.Info("modules loaded", "count", n, "of", len(mods))
	}

	disk, err := slot.WaitDisk(ctx, "/sys/block", "/dev", cl.DiskSignature, 10*time.Second)
	if err != nil {
		b.fail(err)
	}
	b.log.Info("boot disk", "disk", disk.String())
	if err := mountDisk(disk, cl.SlotPartition()); err != nil {
		b.mounted = mountedOf(BootDir, SlotDir, DataDir)
		b.fail(err)
	}
	b.mounted = []string{BootDir, SlotDir, DataDir}
	os.MkdirAll(b.layout.LogDir(), 0o755)
	b.file.attach(b.logFile("init.log"))
	b.log.Info("mounted", "boot", BootDir, "slot", SlotDir, "data", DataDir)
	// Debian's runc, where the board's slot carries it, is linked
	// dynamically: its loader and libraries are in the slot.
	for _, lib := range []string{"lib", "lib64"} {
		if n := LinkLibraries(filepath.Join(SlotDir, lib), "/"+lib, b.log); n > 0 {
			b.log.Info("the slot's libraries linked", "dir", "/"+lib, "count", n)
		}
	}
	// The image's data partition is small; the first start grows it to
	// the card, online. A failure costs only the room.
	if _, err := GrowData(disk, slot.PartData, DataDir, b.log); err != nil {
		b.log.Warn("the data partition stays as it is", "err", err)
	}

	b.clock = ClockFile{Path: b.layout.ClockPath()}
	b.setClock()

	cfg, err := Provision(b.log, b.layout.Boot, b.layout.SecretDir())
	if err != nil {
		b.log.Error("provisioning", "err", err)
	}
	grp, gctx := errgroup.WithContext(ctx)
	if cfg.SSHKey != "" {
		b.ssh(gctx, grp, cfg)
	}
	addrs := make(chan netip.Addr, 1)
	name := b.network(gctx, grp, cfg, addrs)

	grp.Go(func() error { return b.clock.Run(gctx, b.log) })
	if servers := cfg.TimeServers(); len(servers) > 0 {
		ts := TimeSync{Servers: servers, Save: b.clock.Save}
		grp.Go(func() error { return ts.Run(gctx, b.log) })
	}
	dev := b.firmwareStatus(cl, disk)
	sup, err := b.role(gctx, cfg, name, cl, addrs)
	if err != nil {
		b.log.Error(err.Error())
	}
	if sup != nil {
		if wd, err := OpenWatchdog("/dev/watchdog"); err != nil {
			b.log.Warn("watchdog", "err", err)
		} else if wd != nil {
			b.wd = wd
			b.log.Info("watchdog armed")
			grp.Go(func() error { return wd.Run(gctx, 5*time.Second, sup.Alive) })
		}
		grp.Go(func() error { return sup.Run(gctx) })
	}
	if cl.Trial && sup != nil && dev != nil {
		grp.Go(func() error { return b.trial(gctx, cfg, dev, sup) })
	}
	err = grp.Wait()
	if errors.Is(err, ErrTooManyExits) || errors.Is(err, ErrNotCommitted) {
		b.trialFailed(err, cfg)
	}
	b.shutdown(int(b.action.Load()))
}

// console makes the console this process's standard streams: the kernel
// opens it for init only if the initramfs has a /dev/console node.
func console() {
	f, err := os.OpenFile("/dev/console", os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		return
	}
	for fd := 0; fd <= 2; fd++ {
		unix.Dup3(int(f.Fd()), fd, 0)
	}
	f.Close()
}

func firstLine(path string) string {
	b, _ := os.ReadFile(path)
	l, _, _ := strings.Cut(string(b), "\n")
	return strings.TrimSpace(l)
}

func mountedOf(targets ...string) []string {
	var out []string
	for _, t := range targets {
		if isMounted(t) {
			out = append(out, t)
		}
	}
	return out
}

// setClock moves the clock forward to the saved clock or the image's build
// time, whichever is newer, when it is behind both.
func (b *boot) setClock() {
	saved, err := b.clock.Load()
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		b.log.Warn("saved clock", "err", err)
	}
	// The image's build time: the version file's mtime, and the slot's
	// binaries' (an initramfs archive may carry no times at all).
	candidates := []time.Time{saved}
	for _, f := range []string{versionFile, filepath.Join(b.layout.Slot, "bin", "hearth-agent"), filepath.Join(b.layout.Slot, "bin", "hearth-gateway")} {
		if st, err := os.Stat(f); err == nil {
			candidates = append(candidates, st.ModTime())
		}
	}
	t, ok := ChooseClock(time.Now(), candidates...)
	if !ok {
		return
	}
	tv := unix.NsecToTimeval(t.UnixNano())
	if err := unix.Settimeofday(&tv); err != nil {
		b.log.Warn("setting the clock", "err", err)
		return
	}
	b.log.Info("clock set", "to", t.UTC().Format(time.RFC3339))
}

// network brings the links up, names the host, connects to Wi-Fi when
// hearth.txt says so (and no cable is plugged in), and starts DHCP (or
// sets the static address). It returns the device's name.
func (b *boot) network(ctx context.Context, grp *errgroup.Group, cfg hearthtxt.Config, addrs chan<- netip.Addr) string {
	name := cfg.Name
	n, err := NewNet(b.log)
	if err != nil {
		b.log.Error("netlink", "err", err)
		return b.hostname(name, nil)
	}
	if err := n.Loopback(); err != nil {
		b.log.Error("bringing lo up", "err", err)
	}
	wantWifi := cfg.WifiSSID != ""
	timeout := 10 * time.Second
	if wantWifi {
		// brcmfmac loads its firmware before the interface appears.
		timeout = 20 * time.Second
	}
	up, err := n.WaitUplink(ctx, timeout, wantWifi)
	if err != nil {
		b.log.Error(err.Error() + ": no network; the role runs anyway and waits for one")
		return b.hostname(name, nil)
	}
	link := up.Link
	name = b.hostname(name, link.Attrs().HardwareAddr)
	if up.Note != "" {
		b.log.Warn(up.Note, "iface", link.Attrs().Name)
	}
	onAddr := func(p netip.Prefix) {
		select {
		case addrs <- p.Addr():
		default:
		}
	}
	if !up.Wifi {
		b.log.Info("ethernet up", "iface", link.Attrs().Name, "mac", link.Attrs().HardwareAddr.String())
		ConfigureAddress(ctx, grp, n, link, cfg, name, onAddr)
		return name
	}
	psk, err := WifiPassword(cfg, b.layout.SecretDir())
	if err != nil {
		b.log.Error(err.Error() + ": no network; the role runs anyway and waits for one")
		return name
	}
	w := &Wifi{Net: n, Link: link, SSID: cfg.WifiSSID, PSK: psk, Country: cfg.WifiCountry, Start: b.reaper.Start}
	RunWifi(ctx, grp, w, cfg, name, onAddr)
	return name
}

func (b *boot) hostname(name string, mac []byte) string {
	if name == "" {
		name = DefaultName(mac)
	}
	if err := unix.Sethostname([]byte(name)); err != nil {
		b.log.Warn("host name", "err", err)
	}
	b.log.Info("host name", "name", name)
	return name
}

// role prepares the role and returns its supervisor.
func (b *boot) role(ctx context.Context, cfg hearthtxt.Config, name string, cl slot.Cmdline, addrs <-chan netip.Addr) (*Supervisor, error) {
	role := cfg.EffectiveRole()
	out := io.MultiWriter(os.Stdout, b.logFile(role+".log"))
	sup := &Supervisor{Name: role, Log: b.log}
	if cl.Trial {
		sup.MaxExits = 3
	}
	switch role {
	case hearthtxt.RoleAgent:
		_, err := os.Stat(filepath.Join(b.layout.SecretDir(), TokenFile))
		hasToken, extra := err == nil, b.agentExtras(cl.Trial)
		sup.Start = func() (Process, error) {
			return b.reaper.Start(b.layout.AgentCommand(cfg, name, hasToken, extra...), out)
		}
		return sup, nil
	case hearthtxt.RoleGateway:
		if err := b.layout.HasGateway(); err != nil {
			return nil, err
		}
		advertise := ""
		select {
		case a := <-addrs:
			advertise = netip.AddrPortFrom(a, GatewayPort).String()
		case <-time.After(30 * time.Second):
			b.log.Warn("no address after 30 s; the gateway's credentials will name 127.0.0.1")
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if b.layout.NeedsGatewayInit() {
			p, err := b.reaper.Start(b.layout.GatewayInitCommand(cfg, advertise), out)
			if err == nil {
				err = p.Wait()
			}
			if err != nil {
				b.log.Error("hearth-gateway init", "err", err)
			} else if path, err := b.layout.DeliverCredentials(); err != nil {
				b.log.Error("copying the owner's credentials to the boot partition", "err", err)
			} else {
				b.log.Info("the owner's credentials are on the boot partition: copy "+CredentialsName+" to ~/.config/hearth/credentials.json on your computer", "file", path)
			}
		}
		extra := b.gatewayExtras()
		sup.Start = func() (Process, error) { return b.reaper.Start(b.layout.GatewayCommand(cfg, advertise, extra...), out) }
		return sup, nil
	}
	return nil, fmt.Errorf("unknown role %q", role)
}

// ssh runs the SSH server for hearth.txt's ssh_key, restarted when it
// exits; its log is ssh.log.
func (b *boot) ssh(ctx context.Context, grp *errgroup.Group, cfg hearthtxt.Config) {
	if b.layout.SSHCommand(cfg) == nil {
		b.log.Warn("ssh_key is set, but this slot has no SSH server (hearth-sshd and busybox)")
		return
	}
	out := b.logFile("ssh.log")
	sup := &Supervisor{Name: "ssh", Log: b.log, Start: func() (Process, error) {
		return b.reaper.Start(b.layout.SSHCommand(cfg), out)
	}}
	grp.Go(func() error {
		sup.Run(ctx)
		return nil // the role goes on without it
	})
	b.log.Info("ssh: on, for the key in hearth.txt", "port", 22)
}

// logFile opens a log on the data partition, to be closed at shutdown.
func (b *boot) logFile(name string) *LogFile {
	f := &LogFile{Path: filepath.Join(b.layout.LogDir(), name)}
	b.logs = append(b.logs, f)
	return f
}
