package vmtest

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"debug/elf"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hearth-home/hearth/internal/cpio"
)

// KernelEnv names the environment variable that holds the kernel's path.
const KernelEnv = "HEARTH_VM_KERNEL"

// Options configure a VM run. The zero value runs the calling test in a
// VM with 2 CPUs and 1 GiB.
type Options struct {
	// Kernel is the kernel image to boot. Default: $HEARTH_VM_KERNEL; when
	// that is unset too, Run skips the test.
	Kernel string
	// Binary is the VM's init and test program: a static linux/amd64
	// executable. Default: the running test binary.
	Binary string
	// Args are the test program's arguments, after the defaults: -test.v,
	// a -test.run that selects the calling test, and a -test.timeout a
	// little below Timeout (so that a hung test prints its goroutines). A
	// flag given again here wins.
	Args []string
	// Env is added to the test process's environment.
	Env []string
	// Files are copied into the VM, by path there (absolute) to path on
	// the host.
	Files map[string]string
	// Cgroup is the cgroup below the cgroup2 root that the test process
	// starts in. Default "system.slice/hearth-agent.service".
	Cgroup string
	// Controllers are enabled at every level down to Cgroup, and so are
	// available in it: the controllers of systemd's Delegate=. Default:
	// every controller the kernel has. Empty but not nil: none.
	Controllers []string
	// Memory is the VM's memory in MiB. Default 1024.
	Memory int
	// CPUs is how many virtual CPUs the VM has. Default 2.
	CPUs int
	// Timeout bounds the VM's run, boot included (not the wait for
	// another test's VM: one runs at a time). Default 2 minutes.
	Timeout time.Duration
}

// Result is how a run in a VM went.
type Result struct {
	// Output is what the test process printed.
	Output string
	// ExitCode is the test process's exit status (128+N when signal N
	// killed it); -1 when the VM never said.
	ExitCode int
	// Accel is how the VM ran: "kvm", or "tcg" (emulated, much slower).
	Accel string
	// Elapsed is the VM's run from start to power-off.
	Elapsed time.Duration
}

// Run runs the calling test inside a VM (see the package doc), logs what
// it printed there, and fails t when it failed there, when it ran no test,
// or when the VM did not finish in time. It skips t when there is no
// kernel to boot, and fails it when there is one but no qemu.
func Run(t testing.TB, o Options) Result {
	t.Helper()
	if runtime.GOOS != "linux" || runtime.GOARCH != "amd64" {
		t.Skipf("vmtest: runs on linux/amd64 hosts only, not %s/%s", runtime.GOOS, runtime.GOARCH)
	}
	if o.Kernel == "" {
		o.Kernel = os.Getenv(KernelEnv)
	}
	if o.Kernel == "" {
		t.Skipf("vmtest: this test runs in a VM: set %s=$(scripts/vmkernel.sh) (and install qemu-system-x86)", KernelEnv)
	}
	qemu, err := exec.LookPath("qemu-system-x86_64")
	if err != nil {
		t.Fatalf("vmtest: %s is set, but: %v (apt-get install qemu-system-x86)", KernelEnv, err)
	}
	if o.Binary == "" {
		if o.Binary, err = os.Executable(); err != nil {
			t.Fatal(err)
		}
	}
	if err := checkStatic(o.Binary); err != nil {
		t.Fatalf("vmtest: %v", err)
	}
	if o.Cgroup == "" {
		o.Cgroup = "system.slice/hearth-agent.service"
	}
	if o.Memory <= 0 {
		o.Memory = 1024
	}
	if o.CPUs <= 0 {
		o.CPUs = 2
	}
	if o.Timeout <= 0 {
		o.Timeout = 2 * time.Minute
	}
	testTimeout := max(o.Timeout-20*time.Second, o.Timeout/2)
	cfg := guestConfig{
		Args: append([]string{"-test.v", "-test.run=" + runPattern(t.Name()),
			"-test.timeout=" + testTimeout.String()}, o.Args...),
		Env:         o.Env,
		Cgroup:      o.Cgroup,
		Controllers: o.Controllers,
		Marker:      "vmtest-" + rand.Text(), // printed by no test by chance
	}
	dir := t.TempDir()
	initrd := filepath.Join(dir, "initrd.cpio")
	if err := writeInitramfs(initrd, o.Binary, cfg, o.Files); err != nil {
		t.Fatalf("vmtest: initramfs: %v", err)
	}

	waitStart := time.Now()
	unlock, err := lockHost()
	if err != nil {
		t.Fatalf("vmtest: %v", err)
	}
	defer unlock()
	if w := time.Since(waitStart); w > time.Second {
		t.Logf("vmtest: waited %v for another test's VM to end", w.Round(100*time.Millisecond))
	}
	ctx, cancel := context.WithTimeout(context.Background(), o.Timeout)
	defer cancel()
	// nokaslr keeps the kernel at its link address, so that the vCPUs'
	// addresses reported for a hung VM map onto its symbols.
	args := []string{"-cpu", "max", "-m", strconv.Itoa(o.Memory), "-smp", strconv.Itoa(o.CPUs),
		"-nodefaults", "-no-user-config", "-display", "none", "-serial", "stdio", "-no-reboot",
		"-kernel", o.Kernel, "-initrd", initrd,
		"-append", "console=ttyS0 panic=-1 cgroup_no_v1=all quiet nokaslr " + envRole + "=" + roleInit}
	accel, why, forced := chooseAccel()
	var b boot
	if accel == "kvm" {
		deadline := kvmBootDeadline
		if forced {
			deadline = 0
		}
		b = runQEMU(ctx, qemu, dir, append([]string{"-accel", "kvm"}, args...), cfg.Marker, deadline)
		if b.bootFailed {
			kvmBroken.Store(true)
			said := strings.TrimSpace(b.stderr)
			if said == "" {
				said = "nothing"
			}
			accel, why = "tcg", fmt.Sprintf("KVM did not boot the VM within %v (qemu said %s)", kvmBootDeadline, said)
		}
	}
	if accel == "tcg" {
		t.Logf("vmtest: emulating the CPUs (tcg): %s", why)
		// One thread for all vCPUs: with a thread each (MTTCG), the
		// guest hung now and then with every vCPU at the same patched
		// instruction when the kernel rewrote its code (a static key
		// flips as the first CPU quota is set or the last removed).
		b = runQEMU(ctx, qemu, dir, append([]string{"-accel", "tcg,thread=single"}, args...), cfg.Marker, 0)
	}
	res := Result{Output: strings.Join(b.output, "\n"), ExitCode: b.exit, Accel: accel, Elapsed: b.elapsed}
	t.Logf("vmtest: %s, %d CPUs, %d MiB, %s: %v", accel, o.CPUs, o.Memory, filepath.Base(o.Kernel), b.elapsed.Round(10*time.Millisecond))
	for _, l := range b.output {
		t.Log(l)
	}
	said := ""
	if s := strings.TrimSpace(b.stderr); s != "" {
		said = "\nqemu said: " + s
	}
	switch {
	case ctx.Err() != nil:
		t.Errorf("vmtest: the VM did not finish within %v; its console ended:\n%s%s\nvCPUs then: %s", o.Timeout, tail(b.console, 40), said, b.vcpus)
	case !b.ended:
		t.Errorf("vmtest: the VM stopped before its test ended (%v); its console ended:\n%s%s", b.waitErr, tail(b.console, 40), said)
	case res.ExitCode != 0:
		t.Errorf("vmtest: the test failed in the VM (exit status %d)", res.ExitCode)
	case slices.ContainsFunc(b.output, func(l string) bool { return strings.Contains(l, "no tests to run") }):
		t.Errorf("vmtest: no test matched %v in the VM", cfg.Args)
	}
	return res
}

// kvmBootDeadline is how long KVM may take to start the test: it takes
// about a second where it works. Some KVMs cannot run a stock kernel and
// hang without a word.
const kvmBootDeadline = 20 * time.Second

// kvmBroken is set once KVM failed to boot a VM: the rest of the process's
// VMs are emulated straight away.
var kvmBroken atomic.Bool

// AccelEnv names the environment variable that forces an accelerator:
// "kvm" (no falling back to emulation) or "tcg".
const AccelEnv = "HEARTH_VM_ACCEL"

// chooseAccel picks KVM or emulation (tcg), and says why not KVM: as
// $HEARTH_VM_ACCEL says (forced), else KVM where /dev/kvm opens and is
// not PVM's.
func chooseAccel() (accel, why string, forced bool) {
	switch a := os.Getenv(AccelEnv); a {
	case "kvm", "tcg":
		return a, AccelEnv + "=" + a, true
	}
	if kvmBroken.Load() {
		return "tcg", "KVM failed to boot an earlier VM", false
	}
	f, err := os.OpenFile("/dev/kvm", os.O_RDWR, 0)
	if err != nil {
		return "tcg", err.Error(), false
	}
	f.Close()
	// PVM, a KVM for VMs inside cloud VMs, runs only guest kernels built
	// for it: with a stock kernel the VM hangs.
	if _, err := os.Stat("/sys/module/kvm_pvm"); err == nil {
		return "tcg", "this KVM is PVM (kvm_pvm), which boots only kernels built for it", false
	}
	return "kvm", "", false
}

// boot is what one run of qemu showed.
type boot struct {
	console []string // every line of the serial console
	output  []string // the lines between the markers
	ended   bool     // the end marker came
	exit    int      // the exit status it gave; -1: none
	stderr  string
	waitErr error
	elapsed time.Duration
	// bootFailed: the test did not start within the boot deadline.
	bootFailed bool
	// vcpus says where the vCPUs were when qemu was killed.
	vcpus string
}

// runQEMU runs qemu until it exits or ctx ends, and kills it when the
// begin marker has not come within bootDeadline (0: no deadline). Its
// monitor's socket goes in dir.
func runQEMU(ctx context.Context, qemu, dir string, args []string, marker string, bootDeadline time.Duration) boot {
	actx, cancel := context.WithCancel(ctx)
	defer cancel()
	b := boot{exit: -1}
	// The monitor tells where the vCPUs are when the VM has to be killed.
	mon := filepath.Join(dir, "monitor.sock")
	args = append(args, "-monitor", "unix:"+mon+",server=on,wait=off")
	cmd := exec.CommandContext(actx, qemu, args...)
	cmd.SysProcAttr = qemuAttr()
	cmd.Cancel = func() error {
		b.vcpus = vcpuState(mon)
		return cmd.Process.Kill()
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	cmd.WaitDelay = 5 * time.Second
	stdout, err := cmd.StdoutPipe()
	if err == nil {
		err = cmd.Start()
	}
	if err != nil {
		b.waitErr = err
		return b
	}
	start := time.Now()
	prioritize(cmd.Process.Pid)
	var deadline *time.Timer
	if bootDeadline > 0 {
		deadline = time.AfterFunc(bootDeadline, cancel)
		defer deadline.Stop()
	}
	in := false
	sc := bufio.NewScanner(stdout)
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	for sc.Scan() {
		line := strings.TrimRight(sc.Text(), "\r")
		b.console = append(b.console, line)
		switch rest, ok := strings.CutPrefix(line, marker+" "); {
		case ok && rest == "begin":
			if deadline != nil {
				deadline.Stop()
			}
			prioritize(cmd.Process.Pid) // threads qemu started since
			in = true
		case ok && strings.HasPrefix(rest, "end "):
			b.exit, _ = strconv.Atoi(strings.TrimPrefix(rest, "end "))
			in, b.ended = false, true
		case in:
			b.output = append(b.output, line)
		}
	}
	b.waitErr = cmd.Wait()
	b.elapsed = time.Since(start)
	b.stderr = stderr.String()
	b.bootFailed = actx.Err() != nil && ctx.Err() == nil
	// init prints a newline before the end marker, in case the test's
	// output did not end in one.
	for len(b.output) > 0 && b.output[len(b.output)-1] == "" {
		b.output = b.output[:len(b.output)-1]
	}
	return b
}

// runPattern is a -test.run pattern that selects exactly the test (or
// subtest) of that name.
func runPattern(name string) string {
	parts := strings.Split(name, "/")
	for i, p := range parts {
		parts[i] = "^" + regexp.QuoteMeta(p) + "$"
	}
	return strings.Join(parts, "/")
}

// checkStatic fails for a program that needs a dynamic loader, which the
// VM does not have.
func checkStatic(path string) error {
	f, err := elf.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if f.Machine != elf.EM_X86_64 {
		return fmt.Errorf("%s is for %v, not x86-64", path, f.Machine)
	}
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			return errors.New(path + " is dynamically linked: build the test with CGO_ENABLED=0")
		}
	}
	return nil
}

// writeInitramfs writes the VM's root file system: the binary as /init, a
// console for it to print on, its configuration, and the files asked for.
func writeInitramfs(path, binary string, cfg guestConfig, files map[string]string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	conf, err := json.Marshal(cfg)
	if err != nil {
		return err
	}
	w := cpio.NewWriter(f)
	w.HostFile(initPath, binary)
	// The kernel opens /dev/console for init before init can mount /dev.
	w.CharDev("/dev/console", 0o600, 5, 1)
	w.File(configPath, 0o644, int64(len(conf)), bytes.NewReader(conf))
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		w.HostFile(name, files[name])
	}
	if err := w.Close(); err != nil {
		return err
	}
	return f.Close()
}

func tail(lines []string, n int) string {
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
