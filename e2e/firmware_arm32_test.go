package e2e

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/hearth-home/hearth/e2e/home"
	"github.com/hearth-home/hearth/gateway/api"
)

// The generic-armhf image (Debian's armmp zImage, booted by the same
// boot.scr with bootz, and binaries for ARMv7) boots under QEMU's virt
// machine with a Cortex-A15 and pairs with a gateway as the
// generic-arm64 image does. Its slot carries Debian's runc, as the
// rpi-armel one does, and the device runs a container job through it:
// from the initramfs root, with the slot's libraries and runc --no-pivot.
//
//	BENCH firmware.armhf.boot_to_paired_s <n> s    QEMU started to ready in the pool (goal <= 40)
//	BENCH firmware.armhf.image_mb <n> MiB          the raw image
//	BENCH firmware.armhf.slot_download_mb <n> MB   a slot as an update ships it
//	BENCH firmware.armhf.container_s <n> s         a one-task container job, submitted to done
func TestFirmwareArmhfImageBootsAndPairs(t *testing.T) {
	var took time.Duration
	paired := testImagePairs(t, "generic-armhf", false, func(h *home.Home, m api.Member) {
		took = runContainerOn(t, h, m, "linux/arm/v7", "vanity-linux-armv7")
	})
	res := boardImage(t, "generic-armhf", false).res
	fmt.Printf("BENCH firmware.armhf.image_mb %.1f MiB\n", float64(fileSize(t, res.Image))/(1<<20))
	fmt.Printf("BENCH firmware.armhf.slot_download_mb %.1f MB\n", float64(fileSize(t, res.SlotZst))/1e6)
	fmt.Printf("BENCH firmware.armhf.boot_to_paired_s %.1f s\n", paired.Seconds())
	fmt.Printf("BENCH firmware.armhf.container_s %.1f s\n", took.Seconds())
}

// runContainerOn runs the vanity example, packed for platform alone from
// bin/<binary> (make examples builds it), as a one-task job with runtime
// oci on the pool, where m is the only agent, and checks that m ran it
// and printed what the same search prints here. It returns the time from
// submitting to done.
func runContainerOn(t *testing.T, h *home.Home, m api.Member, platform, binary string) time.Duration {
	t.Helper()
	if !slices.Contains(m.Node.Runtimes, "oci") {
		t.Fatalf("the device runs %v, no containers (its slot's runc?)", m.Node.Runtimes)
	}
	bin := filepath.Join(root, "bin", binary)
	if _, err := os.Stat(bin); err != nil {
		t.Fatalf("%v: `make examples` builds it", err)
	}
	dir := t.TempDir()
	app := filepath.Join(dir, "vanity.oci.tar")
	if out, err := exec.Command(filepath.Join(root, "bin", "hearth"), "image", "pack", "-o", app, platform+"="+bin).CombinedOutput(); err != nil {
		t.Fatalf("hearth image pack: %v\n%s", err, out)
	}
	args := []string{"-prefix", "ab", "-seed", "appliance", "-shard", "0", "-shards", "1", "-tries", "2000"}
	want, err := exec.Command(filepath.Join(root, "bin", "vanity"), args...).Output()
	if err != nil {
		t.Fatalf("the same search here: %v", err)
	}
	job := filepath.Join(dir, "job.yaml")
	spec := fmt.Sprintf("name: vanity-runc\nruntime: oci\napp: %s\ntasks: 1\nargs: [%q", app, args[0])
	for _, a := range args[1:] {
		spec += fmt.Sprintf(", %q", a)
	}
	spec += "]\nresources:\n  cpu: 1\n  memory: 64Mi\n  timeout: 3m\n"
	if err := os.WriteFile(job, []byte(spec), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	start := time.Now()
	var d api.JobDetail
	if err := h.CLIJSON(ctx, &d, "job", "submit", job, "--wait"); err != nil {
		t.Fatalf("the container job: %v", err)
	}
	took := time.Since(start)
	if len(d.Tasks) != 1 || d.Tasks[0].Result == nil {
		t.Fatalf("the container job's tasks: %+v", d.Tasks)
	}
	task := d.Tasks[0]
	if task.Node != m.ID {
		t.Errorf("the task ran on %q, want the device %s", task.Node, m.ID)
	}
	if r := task.Result; r.ExitCode != 0 || string(r.Stdout) != string(want) {
		t.Errorf("the container printed %q (exit %d, %s), want %q", r.Stdout, r.ExitCode, r.Failure, want)
	}
	return took
}

// The rpi-armel image (Pi Zero, Zero W, 1: Debian's rpi zImage, u-boot-rpi
// for the Pi 1 and Zero, the small agent for ARMv6 and Debian's runc)
// boots under QEMU's Pi Zero, from the SD card, as far as its agent, which
// runs the slot's runc on the Zero's ARMv6 (through the loader and
// libraries hearth-init linked into /lib) and so takes container tasks
// too. QEMU's Pi has no network a Debian kernel drives: the container job
// is the armhf test's.
//
//	BENCH firmware.armel.image_mb <n> MiB          the raw image
//	BENCH firmware.armel.image_xz_mb <n> MB        compressed
//	BENCH firmware.armel.slot_download_mb <n> MB   a slot as an update ships it, runc included
func TestFirmwareRaspberryPiZeroImageBoots(t *testing.T) {
	res := testPiImageBoots(t, "rpi-armel", true,
		"the slot's libraries linked", "containers are entered with runc --no-pivot", "runc found: running oci tasks too").res
	fmt.Printf("BENCH firmware.armel.image_mb %.1f MiB\n", float64(fileSize(t, res.Image))/(1<<20))
	fmt.Printf("BENCH firmware.armel.image_xz_mb %.1f MB\n", float64(fileSize(t, res.ImageXZ))/1e6)
	fmt.Printf("BENCH firmware.armel.slot_download_mb %.1f MB\n", float64(fileSize(t, res.SlotZst))/1e6)
}
