package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"time"

	"github.com/hearth-home/hearth/e2e/home"
	"github.com/hearth-home/hearth/gateway/api"
)

// armRunc sets the emulated device up to run containers through runc
// alone (issue 15), as a Pi Zero with Debian's runc does: runc must be
// installed, and the kernel must run the device's own arm programs (its
// task monitor, the task init, the app) through qemu, which binfmt_misc
// does on a Debian machine with qemu-user-static; the demo registers qemu's
// rule when nobody has. It returns what to undo, or why the device runs
// wasm only.
func armRunc() (undo func(), why string) {
	if _, err := exec.LookPath("runc"); err != nil {
		return nil, "runc is not installed (apt-get install runc)"
	}
	undo, err := home.QemuBinfmt("qemu-arm")
	if err != nil {
		return nil, fmt.Sprintf("the kernel cannot run arm programs through qemu: %v", err)
	}
	return undo, ""
}

// packArmImage packs the vanity search's arm/v6 build alone as an image
// archive (make examples builds bin/vanity-linux-armv6), so that only the
// emulated device can run it, and writes a job of tasks with tries
// candidates each, the same as each task of the recut wasm job.
func packArmImage(ctx context.Context, bin, dir string, tasks, tries int) (string, error) {
	vanity := filepath.Join(bin, "vanity-linux-armv6")
	if _, err := os.Stat(vanity); err != nil {
		return "", fmt.Errorf("%v: `make build` builds the example apps", err)
	}
	img := filepath.Join(dir, "vanity-armv6.oci.tar")
	cmd := exec.CommandContext(ctx, filepath.Join(bin, "hearth"), "image", "pack", "-o", img, "linux/arm/v6="+vanity)
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("hearth image pack: %v\n%s", err, out)
	}
	spec := fmt.Sprintf(`name: vanity-armv6
runtime: oci
app: %s
tasks: %d
args: ["-prefix", "face", "-seed", "pi-zero", "-shard", "{{index}}", "-shards", "{{tasks}}", "-tries", "%s"]
resources:
  cpu: 1
  memory: 64Mi
  timeout: %s
`, img, tasks, strconv.Itoa(tries), armTimeout)
	file := filepath.Join(dir, "job-armv6.yaml")
	return file, os.WriteFile(file, []byte(spec), 0o644)
}

// perTry is the mean wall time per candidate of d's tasks that ran on
// node, and how many there were.
func perTry(d api.JobDetail, members map[string]api.Member, node string, tries int) (time.Duration, int) {
	var sum time.Duration
	n := 0
	for _, t := range d.Tasks {
		if m, ok := members[t.Node]; ok && m.Node.Name == node && t.Result != nil && t.Result.ExitCode == 0 {
			sum += time.Duration(t.Result.WallMilli) * time.Millisecond
			n++
		}
	}
	if n == 0 {
		return 0, 0
	}
	return sum / time.Duration(n*tries), n
}
