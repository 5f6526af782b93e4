package e2e

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hearth-home/hearth/e2e/home"
	"github.com/hearth-home/hearth/firmware/boards"
	"github.com/hearth-home/hearth/firmware/hearthtxt"
	"github.com/hearth-home/hearth/firmware/image"
	"github.com/hearth-home/hearth/firmware/ota/otatest"
	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/hearthtest/netnstest"
)

// fwBoard is the board the firmware tests boot: QEMU's virt machine runs
// the generic-arm64 image as a real board would, U-Boot and all.
const fwBoard = "generic-arm64"

// firmwareImage builds the board's image once per test binary, or skips
// when this machine cannot (no root, no QEMU, no image tools).
func firmwareImage(t *testing.T) (*boards.Board, *image.Result, string) {
	t.Helper()
	if os.Getenv("HEARTH_FIRMWARE_TEST") != "1" {
		t.Skip("the firmware tests run alone, with HEARTH_FIRMWARE_TEST=1: make image-test")
	}
	netnstest.Require(t)
	b, err := boards.Load(fwBoard)
	if err != nil {
		t.Fatal(err)
	}
	need := func(tool, pkg string) {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("%s is missing: .ci/run installs %s", tool, pkg)
			}
			t.Skipf("%s is missing: apt-get install %s", tool, pkg)
		}
	}
	need(b.QEMU.System, "qemu-system-arm")
	for _, tool := range [][2]string{{"mkfs.ext4", "e2fsprogs"}, {"mkfs.vfat", "dosfstools"}, {"mcopy", "mtools"}, {"mkimage", "u-boot-tools"}, {"xz", "xz-utils"}} {
		need(tool[0], tool[1])
	}
	fwOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
		defer cancel()
		log := slog.New(slog.NewTextHandler(io.Discard, nil))
		if testing.Verbose() {
			log = slog.New(slog.NewTextHandler(os.Stderr, nil))
		}
		fwDir, fwErr = os.MkdirTemp("", "hearth-fw-")
		if fwErr != nil {
			return
		}
		fwStart = time.Now()
		if fwRel, fwErr = newRelease(filepath.Join(fwDir, "release")); fwErr != nil {
			return
		}
		start := time.Now()
		fwRes, fwErr = image.Build(ctx, image.Options{Board: b, Version: fwV1, OutDir: fwDir, Src: root, XZ: true,
			TUFRoot: fwRel.rootFile, Log: log})
		fwBuild = time.Since(start)
		if fwErr != nil {
			return
		}
		cache, err := image.DefaultCache()
		if err != nil {
			fwErr = err
			return
		}
		fwBIOS, fwErr = image.DebFile(ctx, cache, b.Arch, b.QEMU.BIOSPackage, b.QEMU.BIOSFile, log)
	})
	if fwErr != nil {
		t.Fatal(fwErr)
	}
	return b, fwRes, fwBIOS
}

var (
	fwOnce  sync.Once
	fwDir   string
	fwRes   *image.Result
	fwBIOS  string
	fwBuild time.Duration
	fwStart time.Time
	fwRel   *release
	fwErr   error
)

// fwV1 is the release the test image carries; the update tests publish
// later ones.
const fwV1 = "1.0.0"

// release is the project's release repository in a test: throwaway
// keys, and the root.json the images pin.
type release struct {
	*otatest.Repo
	rootFile string
}

func newRelease(dir string) (*release, error) {
	repo, err := otatest.New(dir)
	if err != nil {
		return nil, err
	}
	r := &release{Repo: repo, rootFile: filepath.Join(dir, "pinned-root.json")}
	return r, repo.WriteRoot(r.rootFile)
}

// publish signs slot (a .slot.img.zst) as board's release version and
// writes the repository as a bundle to import.
func (r *release) publish(board, version, slot, bundle string) error {
	if err := r.AddSlot(board, version, slot); err != nil {
		return err
	}
	if err := r.Publish(); err != nil {
		return err
	}
	return r.WriteBundle(bundle)
}

// vm is a board's image booted under QEMU on a home's bridge.
type vm struct {
	ns, system string
	args       []string // QEMU's, to start it again on the same disk
	console    string   // every boot's serial output, appended
	started    time.Time
	cmd        *exec.Cmd
	done       chan error
}

// bootVM copies the image, writes its hearth.txt with the CLI, and boots
// it on a tap of h's bridge.
func bootVM(t *testing.T, h *home.Home, b *boards.Board, res *image.Result, bios string, configure ...string) *vm {
	t.Helper()
	tap, err := h.AddTap()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	img := filepath.Join(dir, "disk.img")
	if out, err := exec.Command("cp", "--sparse=always", res.Image, img).CombinedOutput(); err != nil {
		t.Fatalf("copying the image: %v: %s", err, out)
	}
	args := append([]string{"firmware", "configure", img, "--ip", fmt.Sprintf("%s/%d", tap.IP, tap.Prefix.Bits())}, configure...)
	if out, err := exec.Command(filepath.Join(root, "bin/hearth"), args...).CombinedOutput(); err != nil {
		t.Fatalf("hearth %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	q := b.QEMU
	v := &vm{ns: tap.Namespace, system: q.System, console: filepath.Join(dir, "console.log")}
	v.args = []string{"-M", q.Machine, "-cpu", q.CPU, "-m", "512",
		"-display", "none", "-monitor", "none",
		"-chardev", "file,id=s0,append=on,path=" + v.console, "-serial", "chardev:s0",
		"-bios", bios,
		"-drive", "if=none,file=" + img + ",format=raw,id=d0", "-device", "virtio-blk-pci,drive=d0",
		"-netdev", "tap,id=n0,ifname=" + tap.Name + ",script=no,downscript=no", "-device", "virtio-net-pci,netdev=n0,romfile=",
		"-device", q.Watchdog, "-watchdog-action", "reset"}
	v.start(t)
	t.Cleanup(func() {
		v.stop()
		if t.Failed() {
			t.Logf("--- VM console:\n%s", tail(v.Console(), 80))
		}
	})
	return v
}

// start starts QEMU on the VM's disk.
func (v *vm) start(t *testing.T) {
	t.Helper()
	v.cmd = netnstest.Cmd(v.ns, v.system, v.args...)
	v.done = make(chan error, 1)
	v.started = time.Now()
	if err := v.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func(cmd *exec.Cmd, done chan error) { done <- cmd.Wait() }(v.cmd, v.done)
}

func (v *vm) Console() string {
	b, _ := os.ReadFile(v.console)
	return string(b)
}

// stop pulls the plug: QEMU is killed, whatever the guest was writing.
func (v *vm) stop() {
	if v.cmd != nil && v.cmd.Process != nil {
		v.cmd.Process.Kill()
		select {
		case <-v.done:
		case <-time.After(10 * time.Second):
		}
	}
}

// waitMember waits until the pool has a ready member called name.
func waitMember(t *testing.T, h *home.Home, v *vm, name string, within time.Duration) api.Member {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), within)
	defer cancel()
	for {
		ms, err := h.Members(ctx)
		if err == nil {
			for _, m := range ms {
				if m.Node.Name == name && m.State == api.MemberReady {
					return m
				}
			}
		}
		select {
		case err := <-v.done:
			t.Fatalf("QEMU ended before %s paired: %v", name, err)
		case <-ctx.Done():
			t.Fatalf("%s not ready within %s (members: %+v, %v)", name, within, ms, err)
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// The image, written by the builder and set up by `hearth firmware
// configure` alone, boots under emulation (U-Boot, the slot's kernel,
// hearth-init), finds the gateway over mDNS on the home's bridge and
// pairs with the join token; its token then lives on the data partition,
// no longer on the card.
//
//	BENCH firmware.image_mb <n> MiB          the raw image (goal <= 256)
//	BENCH firmware.image_xz_mb <n> MB        compressed (goal <= 40)
//	BENCH firmware.slot_download_mb <n> MB   a slot as an update ships it, zstd-compressed (goal <= 25)
//	BENCH firmware.build_s <n> s             building the image (packages cached after the first)
//	BENCH firmware.boot_to_paired_s <n> s    QEMU started to ready in the pool (goal <= 20)
func TestFirmwareImageBootsAndPairs(t *testing.T) {
	b, res, bios := firmwareImage(t)
	h := startHome(t, home.Options{Agents: 1, GatewayOnly: true, Prefix: "fw"})
	v := bootVM(t, h, b, res, bios, "--token", h.Token, "--name", "armvm")
	m := waitMember(t, h, v, "armvm", 3*time.Minute)
	paired := time.Since(v.started)
	if m.Node.Arch != "arm64" {
		t.Errorf("the VM's member says arch %q, want arm64", m.Node.Arch)
	}
	console := v.Console()
	for _, want := range []string{"hearth: booting slot A (trial 0)", "hearth-init: running agent"} {
		if !strings.Contains(console, want) {
			t.Errorf("the console has no %q", want)
		}
	}
	v.stop()
	txt, err := image.ReadBootFile(filepath.Join(filepath.Dir(v.console), "disk.img"), "hearth.txt")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := hearthtxt.Parse(txt)
	if err != nil || cfg.Token != hearthtxt.Stored {
		t.Errorf("after the first boot hearth.txt has token %q (%v), want %q", cfg.Token, err, hearthtxt.Stored)
	}
	if strings.Contains(string(txt), h.Token) {
		t.Error("the join token is still on the card")
	}

	fmt.Printf("BENCH firmware.image_mb %.1f MiB\n", float64(fileSize(t, res.Image))/(1<<20))
	fmt.Printf("BENCH firmware.image_xz_mb %.1f MB\n", float64(fileSize(t, res.ImageXZ))/1e6)
	fmt.Printf("BENCH firmware.slot_download_mb %.1f MB\n", float64(fileSize(t, res.SlotZst))/1e6)
	fmt.Printf("BENCH firmware.build_s %.1f s\n", fwBuild.Seconds())
	fmt.Printf("BENCH firmware.boot_to_paired_s %.1f s\n", paired.Seconds())
}

// fileSize is a file's apparent size.
func fileSize(t *testing.T, p string) int64 {
	t.Helper()
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}

// The rpi-arm64 image boots under QEMU's Raspberry Pi 3 far enough to
// start hearth-init and mount its slot and data partitions from the SD
// card: QEMU runs no GPU firmware, so it starts the image's own U-Boot
// with the Pi 3's device tree, both read from the image's boot partition;
// from there on the boot is the board's (boot.scr, the slot's kernel, the
// Pi's SD host driver). QEMU's Pi has no network a Debian kernel drives,
// so pairing is the generic-arm64 test's.
func TestFirmwareRaspberryPiImageBoots(t *testing.T) {
	if os.Getenv("HEARTH_FIRMWARE_TEST") != "1" {
		t.Skip("the firmware tests run alone, with HEARTH_FIRMWARE_TEST=1: make image-test")
	}
	b, err := boards.Load("rpi-arm64")
	if err != nil {
		t.Fatal(err)
	}
	q := b.QEMU
	if _, err := exec.LookPath(q.System); err != nil {
		t.Skipf("%s is missing: apt-get install qemu-system-arm", q.System)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	dir := t.TempDir()
	res, err := image.Build(ctx, image.Options{Board: b, Version: fwV1, OutDir: dir, Src: root, Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	// QEMU's SD card model wants a power of two.
	size := fileSize(t, res.Image)
	card := int64(1)
	for card < size {
		card <<= 1
	}
	if err := os.Truncate(res.Image, card); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{q.Kernel, q.DTB} {
		data, err := image.ReadBootFile(res.Image, f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	uart0, console := filepath.Join(dir, "uart0.log"), filepath.Join(dir, "console.log")
	cmd := exec.CommandContext(ctx, q.System, "-M", q.Machine, "-kernel", filepath.Join(dir, q.Kernel), "-dtb", filepath.Join(dir, q.DTB),
		"-drive", "if=sd,format=raw,file="+res.Image, "-display", "none", "-monitor", "none", "-no-reboot",
		"-serial", "file:"+uart0, "-serial", "file:"+console)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	defer func() {
		cmd.Process.Kill()
		<-done
	}()
	want := "hearth-init: mounted boot=/boot slot=/slot data=/data"
	deadline := time.After(4 * time.Minute)
	for {
		b, _ := os.ReadFile(console)
		if strings.Contains(string(b), want) {
			for _, also := range []string{"hearth: booting slot A (trial 0)", "mmcblk0p2"} {
				if !strings.Contains(string(b), also) {
					t.Errorf("the console has no %q", also)
				}
			}
			return
		}
		select {
		case err := <-done:
			t.Fatalf("QEMU ended (%v) before %q:\n%s", err, want, tail(string(b), 60))
		case <-deadline:
			t.Fatalf("no %q within 4 minutes:\n%s", want, tail(string(b), 60))
		case <-time.After(time.Second):
		}
	}
}
