package main

import (
	"bufio"
	"bytes"
	"context"
	"debug/elf"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io/fs"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hearth-home/hearth/internal/cpio"
)

// KernelEnv names an unpacked Debian linux-image-*-arm64 package (boot/
// and lib/modules/), e.g. one firmware/image fetched into its cache.
const KernelEnv = "HEARTH_FIRMWARE_KERNEL"

// The modules the test machine needs, by name; their dependencies are
// found in the modules' .modinfo. crc32c_generic and the nls modules are
// not dependencies but are asked for at mount time (ext4's metadata_csum,
// vfat's code page and character set), through a modprobe the appliance
// does not have.
var vmModules = []string{"virtio_pci", "virtio_blk", "virtio_net", "crc32c_generic", "ext4", "nls_cp437", "nls_ascii", "vfat", "i6300esb"}

// report is what testdata/fakerole sends.
type report struct {
	Role     string   `json:"role"`
	Args     []string `json:"args"`
	Env      []string `json:"env"`
	Hostname string   `json:"hostname"`
	Run      int      `json:"run"`
	Addrs    []string `json:"addrs"`
	Resolv   string   `json:"resolv"`
	Token    string   `json:"token"`
	PID1     string   `json:"pid1"`
	Firmware string   `json:"firmware"`
}

const vmToken = "hearth1.0123456789abcdef0123456789abcdef.abcdefghijklmnopqrstuv"

// TestBootVM boots hearth-init as PID 1 of an arm64 machine under qemu
// (TCG) from a disk laid out as the image's: FAT boot, slots A and B,
// data. A fake role (testdata/fakerole) reports what it was given. First
// boot as an agent: modules, disk, mounts, secrets moved off the card,
// DHCP from qemu's user network, the agent restarted after it exits, and
// a clean reboot when it asks for one. Second boot, the card edited to
// role = gateway: init runs once and the owner's credentials land on the
// boot partition. Third, a trial of slot B whose agent keeps exiting: back
// on A, the fourth boot reports the rollback and why. Fifth, a trial of B
// whose agent gets ready: B is committed in hearthboot.env.
func TestBootVM(t *testing.T) {
	kdir := os.Getenv(KernelEnv)
	if kdir == "" {
		t.Skipf("set %s to an unpacked Debian linux-image-*-arm64 package", KernelEnv)
	}
	if testing.Short() {
		t.Skip("boots a VM twice")
	}
	for _, tool := range []string{"qemu-system-aarch64", "mkfs.ext4", "mkfs.vfat", "mcopy", "mtype", "debugfs"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("needs %s", tool)
		}
	}
	kernels, _ := filepath.Glob(filepath.Join(kdir, "boot", "vmlinuz-*"))
	releases, _ := filepath.Glob(filepath.Join(kdir, "lib", "modules", "*"))
	if len(kernels) != 1 || len(releases) != 1 {
		t.Fatalf("%s: want one boot/vmlinuz-* and one lib/modules/*, have %v %v", kdir, kernels, releases)
	}
	dir := t.TempDir()
	modDir := releases[0]
	mods, err := moduleOrder(modDir, vmModules)
	if err != nil {
		t.Fatal(err)
	}
	initBin, fake := filepath.Join(dir, "init"), filepath.Join(dir, "fakerole")
	goBuild(t, ".", initBin)
	goBuild(t, "./testdata/fakerole", fake)

	initrd := filepath.Join(dir, "initrd")
	writeInitramfs(t, initrd, initBin, filepath.Base(modDir), modDir, mods)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	reports := collect(ln)
	port := ln.Addr().(*net.TCPAddr).Port

	slot := filepath.Join(dir, "slot")
	must(t, os.MkdirAll(filepath.Join(slot, "bin"), 0o755))
	for _, name := range []string{"hearth-agent", "hearth-gateway"} {
		copyFile(t, fake, filepath.Join(slot, "bin", name))
	}
	// qemu's user network reaches the host's loopback at 10.0.2.2.
	must(t, os.WriteFile(filepath.Join(slot, "report-addr"), []byte(fmt.Sprintf("10.0.2.2:%d\n", port)), 0o644))

	txt := "# written by the test\r\nname = vm-test\r\ntoken = " + vmToken + "\r\njoin = 10.0.2.2:7443\r\n" +
		"power_budget = 3.5\r\ntimezone = Europe/Berlin\r\nwifi_ssid = Home\r\nwifi_psk = secret-password\r\n"
	const sig = 0x4ea27001
	disk := makeDisk(t, dir, sig, txt, slot)

	// The first boot starts in 2001, as a board without a real-time clock
	// starts in 1970: hearth-init moves the clock to the build time.
	cmdline := fmt.Sprintf("hearth.slot=A hearth.disk=%08x", sig)
	console := bootVM(t, kernels[0], initrd, disk.path, cmdline, "-rtc", "base=2001-01-01T00:00:00")
	for _, want := range []string{
		"hearth-init: clock set to=" + time.Now().UTC().Format("2006-01-02T"),
		fmt.Sprintf("hearth-init: modules loaded count=%d of=%d", len(mods), len(mods)),
		"hearth-init: boot disk disk=\"vda (vda1 vda2 vda3 vda4)\"",
		"hearth-init: warning: a network cable is plugged in: using it, not Wi-Fi iface=eth0",
		"hearth-init: moved secrets off the card",
		"hearth-init: network up iface=eth0 addr=10.0.2.15/24",
		"hearth-init: host name name=vm-test",
		"hearth-init: watchdog armed",
		"hearth-init: running agent",
		"hearth-init: warning: agent stopped; starting it again err=\"exit status 3\"",
		"fakerole stopping on SIGTERM",
		"hearth-init: goodbye",
	} {
		if !strings.Contains(console, want) {
			t.Errorf("the console lacks %q", want)
		}
	}
	if n := strings.Count(console, "hearth-init: running agent"); n != 2 {
		t.Errorf("%d 'hearth-init: running agent' lines, want 2", n)
	}
	rs := reports()
	if len(rs) != 2 || rs[0].Run != 1 || rs[1].Run != 2 {
		t.Fatalf("reports %+v; want runs 1 and 2", rs)
	}
	r := rs[0]
	wantArgs := []string{"--data-dir", "/data/agent", "--name", "vm-test", "--token-file", "/data/hearth/token",
		"--join", "10.0.2.2:7443", "--power-budget", "3.5", "--containerd", "off", "--firmware-status", "/run/hearth/firmware.json"}
	if !slices.Equal(r.Args, wantArgs) {
		t.Errorf("agent args %q\nwant %q", r.Args, wantArgs)
	}
	if !slices.Contains(r.Env, "TZ=Europe/Berlin") || !slices.Contains(r.Env, "PATH=/slot/bin:/slot/sbin") {
		t.Errorf("agent env %q", r.Env)
	}
	if r.Firmware != `{"board":"qemu-virt","version":"v0.test","slot":"A","trial":false}` {
		t.Errorf("firmware status %s", r.Firmware)
	}
	if r.Hostname != "vm-test" || r.Token != vmToken || r.PID1 != "init" || !strings.Contains(r.Resolv, "nameserver 10.0.2.3") ||
		!slices.Contains(r.Addrs, "10.0.2.15/24") {
		t.Errorf("the agent saw %+v", r)
	}

	boot := disk.read(t, 1)
	if got := mtype(t, boot, "hearth.txt"); got != strings.NewReplacer("token = "+vmToken, "token = (stored)", "wifi_psk = secret-password", "wifi_psk = (stored)").Replace(txt) {
		t.Errorf("hearth.txt after the first boot:\n%q", got)
	}
	data := disk.read(t, 4)
	for path, want := range map[string]string{
		"/hearth/token":    vmToken + "\n",
		"/hearth/wifi_psk": "secret-password\n",
		"/agent/runs":      "2",
	} {
		if got := debugfsCat(t, data, path); got != want {
			t.Errorf("data partition %s = %q, want %q", path, got, want)
		}
	}
	if got := debugfsCat(t, data, "/hearth/clock"); !strings.HasPrefix(got, time.Now().UTC().Format("2006-01-02T")) {
		t.Errorf("saved clock %q", got)
	}
	if got := debugfsCat(t, data, "/log/agent.log"); !strings.Contains(got, "fakerole run 1\n") || !strings.Contains(got, "fakerole run 2\n") {
		t.Errorf("agent.log:\n%s", got)
	}
	if got := debugfsCat(t, data, "/log/init.log"); !strings.Contains(got, "hearth-init: running agent") || !strings.Contains(got, "hearth-init: mounted") {
		t.Errorf("init.log:\n%s", got)
	}

	// Second boot: the owner turned the device into the gateway.
	disk.write(t, 1, mcopy(t, boot, "hearth.txt", "role = gateway\r\n# token = (stored)\r\n"))
	console = bootVM(t, kernels[0], initrd, disk.path, cmdline)
	for _, want := range []string{
		"fakerole gateway args [init --data-dir /data/gateway --advertise 10.0.2.15:7443]",
		"hearth-init: the owner's credentials are on the boot partition",
		"hearth-init: running gateway",
		"hearth-init: host name name=hearth-",
		"hearth-init: goodbye",
	} {
		if !strings.Contains(console, want) {
			t.Errorf("second boot: the console lacks %q", want)
		}
	}
	rs = reports()
	if len(rs) != 3 || rs[2].Role != "gateway" || !slices.Equal(rs[2].Args, []string{"--data-dir", "/data/gateway", "--advertise", "10.0.2.15:7443"}) {
		t.Errorf("gateway report %+v", rs[len(rs)-1])
	}
	boot = disk.read(t, 1)
	if got := mtype(t, boot, "hearth-credentials.json"); !strings.Contains(got, `"gateway":"10.0.2.15:7443"`) {
		t.Errorf("hearth-credentials.json = %q", got)
	}

	// Third boot: a trial of slot B, whose agent cannot stay up. After
	// three exits hearth-init records why and reboots, for U-Boot to fall
	// back.
	disk.write(t, 1, mcopy(t, boot, "hearth.txt", "name = crashy\r\n"))
	boot = disk.read(t, 1)
	// As U-Boot leaves it when it boots B's trial (its export ends in a NUL).
	disk.write(t, 1, mcopy(t, boot, "hearthboot.env", "BOOT_A_LEFT=3\nBOOT_B_LEFT=0\nBOOT_ORDER=B A\n\x00"))
	slotB := fmt.Sprintf("hearth.slot=B hearth.disk=%08x hearth.trial=1", sig)
	console = bootVM(t, kernels[0], initrd, disk.path, slotB)
	for _, want := range []string{
		"hearth-init: booting slot=B trial=true",
		"hearth-init: trial boot: waiting for the agent to be ready window=2m0s",
		"hearth-init: trial failed: the agent exited 3 times: exit status 3; rebooting into the previous slot",
		"hearth-init: goodbye",
	} {
		if !strings.Contains(console, want) {
			t.Errorf("failed trial: the console lacks %q", want)
		}
	}
	if n := strings.Count(console, "hearth-init: running agent"); n != 3 {
		t.Errorf("failed trial: %d 'running agent' lines, want 3", n)
	}

	// Fourth boot: back on A, the rollback is reported.
	disk.write(t, 1, mcopy(t, boot, "hearth.txt", "name = vm-test\r\n"))
	n := len(reports())
	console = bootVM(t, kernels[0], initrd, disk.path, cmdline)
	const reason = "the agent exited 3 times: exit status 3"
	if !strings.Contains(console, "hearth-init: rolled back from v0.test ("+reason+") running=v0.test slot=A") {
		t.Errorf("after the rollback: the console does not report it")
	}
	rs = reports()
	if len(rs) != n+1 || !strings.Contains(rs[n].Firmware, `"slot":"A","trial":false,"last_rollback":{"from":"v0.test","to":"v0.test","reason":"`+reason+`"`) {
		t.Errorf("after the rollback: the agent's firmware status %s", rs[len(rs)-1].Firmware)
	}

	// Fifth boot: a trial of B whose agent gets ready: hearth-init
	// commits B in hearthboot.env, leaving A as it was.
	boot = disk.read(t, 1)
	disk.write(t, 1, mcopy(t, boot, "hearthboot.env", "BOOT_A_LEFT=3\nBOOT_B_LEFT=0\nBOOT_ORDER=B A\n"))
	console = bootVM(t, kernels[0], initrd, disk.path, slotB)
	if !strings.Contains(console, "hearth-init: committed slot B (version v0.test)") {
		t.Errorf("good trial: the console does not say committed")
	}
	rs = reports()
	if r := rs[len(rs)-1]; !slices.Contains(r.Args, "--ready-file") || !strings.Contains(r.Firmware, `"slot":"B","trial":true`) {
		t.Errorf("good trial: the agent got %q and saw %s", r.Args, r.Firmware)
	}
	boot = disk.read(t, 1)
	if got := mtype(t, boot, "hearthboot.env"); got != "BOOT_A_LEFT=3\nBOOT_B_LEFT=3\nBOOT_ORDER=B A\n" {
		t.Errorf("hearthboot.env after the commit: %q", got)
	}
	data = disk.read(t, 4)
	if got := debugfsCat(t, data, "/hearth/firmware-state.json"); !strings.Contains(got, "last_rollback") || strings.Contains(got, "pending") {
		t.Errorf("the update state after the commit: %q; want the rollback kept, no trial pending", got)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func goBuild(t *testing.T, pkg, out string) {
	t.Helper()
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", out, pkg)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH=arm64")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build %s: %v\n%s", pkg, err, b)
	}
}

func copyFile(t *testing.T, src, dst string) {
	t.Helper()
	b, err := os.ReadFile(src)
	must(t, err)
	must(t, os.WriteFile(dst, b, 0o755))
}

// moduleOrder returns the paths (relative to modDir) of the wanted modules
// and their dependencies, each after what it depends on, as the image
// builder writes /etc/hearth/modules. Dependencies are read from each
// module's .modinfo section (depends=a,b), as depmod does.
func moduleOrder(modDir string, wanted []string) ([]string, error) {
	index := map[string]string{}
	filepath.WalkDir(modDir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(path, ".ko") {
			rel, _ := filepath.Rel(modDir, path)
			index[strings.ReplaceAll(strings.TrimSuffix(d.Name(), ".ko"), "-", "_")] = rel
		}
		return nil
	})
	var order []string
	seen := map[string]bool{}
	var visit func(name string) error
	visit = func(name string) error {
		if seen[name] {
			return nil
		}
		seen[name] = true
		rel, ok := index[name]
		if !ok {
			return nil // built in
		}
		deps, err := moduleDepends(filepath.Join(modDir, rel))
		if err != nil {
			return err
		}
		for _, d := range deps {
			if err := visit(d); err != nil {
				return err
			}
		}
		order = append(order, rel)
		return nil
	}
	for _, w := range wanted {
		if _, ok := index[w]; !ok {
			return nil, fmt.Errorf("no module %s in %s (built in, or .ko.xz, which this test does not read)", w, modDir)
		}
		if err := visit(w); err != nil {
			return nil, err
		}
	}
	return order, nil
}

func moduleDepends(path string) ([]string, error) {
	f, err := elf.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	s := f.Section(".modinfo")
	if s == nil {
		return nil, fmt.Errorf("%s: no .modinfo", path)
	}
	b, err := s.Data()
	if err != nil {
		return nil, err
	}
	for _, kv := range bytes.Split(b, []byte{0}) {
		if v, ok := bytes.CutPrefix(kv, []byte("depends=")); ok && len(v) > 0 {
			return strings.Split(strings.ReplaceAll(string(v), "-", "_"), ","), nil
		}
	}
	return nil, nil
}

func writeInitramfs(t *testing.T, path, initBin, release, modDir string, mods []string) {
	t.Helper()
	f, err := os.Create(path)
	must(t, err)
	defer f.Close()
	w := cpio.NewWriter(f)
	w.HostFile("init", initBin)
	w.CharDev("dev/console", 0o600, 5, 1)
	w.File("etc/hearth/board", 0o644, 11, strings.NewReader("qemu-virt\n\n"[:11]))
	w.File("etc/hearth/version", 0o644, 8, strings.NewReader("v0.test\n"))
	list := strings.Join(mods, "\n") + "\n"
	w.File("etc/hearth/modules", 0o644, int64(len(list)), strings.NewReader(list))
	for _, m := range mods {
		w.HostFile(filepath.Join("lib/modules", release, m), filepath.Join(modDir, m))
	}
	must(t, w.Close())
}

// vmDisk is a disk image with an MBR and four partitions.
type vmDisk struct {
	path  string
	start [5]int64 // bytes, by partition number
	size  [5]int64
}

func (d vmDisk) read(t *testing.T, n int) string {
	t.Helper()
	f, err := os.Open(d.path)
	must(t, err)
	defer f.Close()
	b := make([]byte, d.size[n])
	_, err = f.ReadAt(b, d.start[n])
	must(t, err)
	out := filepath.Join(t.TempDir(), fmt.Sprintf("p%d.img", n))
	must(t, os.WriteFile(out, b, 0o644))
	return out
}

func (d vmDisk) write(t *testing.T, n int, img string) {
	t.Helper()
	b, err := os.ReadFile(img)
	must(t, err)
	f, err := os.OpenFile(d.path, os.O_WRONLY, 0)
	must(t, err)
	defer f.Close()
	_, err = f.WriteAt(b[:d.size[n]], d.start[n])
	must(t, err)
}

// makeDisk lays out the image's partitions: p1 FAT (label HEARTH) holding
// hearth.txt, p2 slot A and p3 slot B from slotDir, p4 data.
func makeDisk(t *testing.T, dir string, sig uint32, txt, slotDir string) vmDisk {
	t.Helper()
	const mib = 1 << 20
	d := vmDisk{path: filepath.Join(dir, "disk.img")}
	sizes := [5]int64{0, 16 * mib, 24 * mib, 24 * mib, 24 * mib}
	next := int64(mib)
	for n := 1; n <= 4; n++ {
		d.start[n], d.size[n] = next, sizes[n]
		next += sizes[n]
	}
	var mbr [512]byte
	binary.LittleEndian.PutUint32(mbr[440:], sig)
	for n := 1; n <= 4; n++ {
		e := mbr[446+16*(n-1):]
		e[4] = 0x83
		if n == 1 {
			e[0], e[4] = 0x80, 0x0c
		}
		binary.LittleEndian.PutUint32(e[8:], uint32(d.start[n]/512))
		binary.LittleEndian.PutUint32(e[12:], uint32(d.size[n]/512))
	}
	mbr[510], mbr[511] = 0x55, 0xaa
	must(t, os.WriteFile(d.path, mbr[:], 0o644))
	must(t, os.Truncate(d.path, next))

	run := func(name string, args ...string) {
		t.Helper()
		if b, err := exec.Command(name, args...).CombinedOutput(); err != nil {
			t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, b)
		}
	}
	boot := filepath.Join(dir, "p1.img")
	run("mkfs.vfat", "-C", "-n", "HEARTH", boot, fmt.Sprint(sizes[1]/1024))
	d.write(t, 1, mcopy(t, boot, "hearth.txt", txt))
	for n, src := range map[int]string{2: slotDir, 3: slotDir, 4: ""} {
		img := filepath.Join(dir, fmt.Sprintf("p%d.img", n))
		args := []string{"-q", "-F", "-b", "4096"}
		if src != "" {
			args = append(args, "-d", src)
		}
		run("mkfs.ext4", append(args, img, fmt.Sprintf("%dk", sizes[n]/1024))...)
		d.write(t, n, img)
	}
	return d
}

func mcopy(t *testing.T, fat, name, content string) string {
	t.Helper()
	src := filepath.Join(t.TempDir(), name)
	must(t, os.WriteFile(src, []byte(content), 0o644))
	if b, err := exec.Command("mcopy", "-o", "-i", fat, src, "::"+name).CombinedOutput(); err != nil {
		t.Fatalf("mcopy: %v\n%s", err, b)
	}
	return fat
}

func mtype(t *testing.T, fat, name string) string {
	t.Helper()
	b, err := exec.Command("mtype", "-i", fat, "::"+name).Output()
	if err != nil {
		t.Errorf("mtype %s: %v", name, err)
	}
	return string(b)
}

func debugfsCat(t *testing.T, img, path string) string {
	t.Helper()
	b, err := exec.Command("debugfs", "-R", "cat "+path, img).Output()
	if err != nil {
		t.Errorf("debugfs cat %s: %v", path, err)
	}
	return string(b)
}

// collect accepts the fake roles' reports until ln closes; the function
// it returns lists those received so far.
func collect(ln net.Listener) func() []report {
	var mu sync.Mutex
	var got []report
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			var r report
			if json.NewDecoder(bufio.NewReader(c)).Decode(&r) == nil {
				mu.Lock()
				got = append(got, r)
				mu.Unlock()
			}
			c.Close()
		}
	}()
	return func() []report {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(got)
	}
}

// bootVM boots the disk and returns the console once the machine rebooted
// (-no-reboot makes qemu exit then).
func bootVM(t *testing.T, kernel, initrd, disk, cmdline string, qemuArgs ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "qemu-system-aarch64", "-M", "virt", "-cpu", "cortex-a53", "-m", "512",
		"-nographic", "-no-reboot", "-kernel", kernel, "-initrd", initrd,
		"-append", "console=ttyAMA0 panic=-1 "+cmdline,
		"-drive", "if=none,format=raw,id=d,file="+disk, "-device", "virtio-blk-pci,drive=d",
		"-netdev", "user,id=n", "-device", "virtio-net-pci,netdev=n,romfile=",
		"-device", "i6300esb", "-watchdog-action", "poweroff")
	cmd.Args = append(cmd.Args, qemuArgs...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err := cmd.Run()
	t.Logf("qemu ran %s", time.Since(start).Round(time.Millisecond))
	if err != nil || t.Failed() || testing.Verbose() {
		t.Logf("console:\n%s", out.String())
	}
	if err != nil {
		t.Fatalf("qemu: %v", err)
	}
	return out.String()
}
