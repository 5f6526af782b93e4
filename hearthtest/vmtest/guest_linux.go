package vmtest

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/hearth-home/hearth/internal/cgroupfs"
)

// Init makes this test binary the VM's init when Run booted it as such,
// and then does not return: it sets the VM up, runs the test binary again
// as its child in the test's cgroup, prints the child's exit status and
// powers the VM off. Anywhere else it returns at once. Call it first in
// TestMain, or from an init function of a test file.
func Init() {
	if os.Getpid() != 1 || os.Getenv(envRole) != roleInit {
		return
	}
	code, marker := runInit()
	fmt.Printf("\n%s end %d\n", marker, code)
	// The console drains before the power goes: the end marker must
	// reach the host.
	unix.IoctlSetInt(1, unix.TCSBRK, 1)
	unix.Sync()
	err := unix.Reboot(unix.LINUX_REBOOT_CMD_POWER_OFF)
	// Still here: the kernel panics when process 1 exits, and with
	// panic=-1 and qemu's -no-reboot the VM ends all the same.
	fmt.Printf("vmtest init: power off: %v\n", err)
	os.Exit(code)
}

// runInit returns the test process's exit status (or 2 when the VM could
// not be set up) and the marker to print.
func runInit() (int, string) {
	fail := func(err error) int {
		fmt.Printf("vmtest init: %v\n", err)
		return 2
	}
	const nosuid, noexec = unix.MS_NOSUID, unix.MS_NOSUID | unix.MS_NOEXEC
	for _, m := range []struct {
		dir, fstype string
		flags       uintptr
		opts        string
	}{
		{"/proc", "proc", noexec, ""},
		{"/sys", "sysfs", noexec, ""},
		{"/dev", "devtmpfs", noexec, ""},
		{"/tmp", "tmpfs", nosuid, "mode=1777"},
		// As systemd mounts it.
		{CgroupRoot, "cgroup2", noexec, "nsdelegate,memory_recursiveprot"},
	} {
		if err := os.MkdirAll(m.dir, 0o755); err != nil {
			return fail(err), "vmtest"
		}
		if err := unix.Mount(m.fstype, m.dir, m.fstype, m.flags, m.opts); err != nil {
			return fail(fmt.Errorf("mounting %s on %s: %w", m.fstype, m.dir, err)), "vmtest"
		}
	}
	b, err := os.ReadFile(configPath)
	var cfg guestConfig
	if err == nil {
		err = json.Unmarshal(b, &cfg)
	}
	if err != nil {
		return fail(err), "vmtest"
	}
	fmt.Printf("\n%s begin\n", cfg.Marker)
	dir, err := makeCgroup(cfg.Cgroup, cfg.Controllers)
	if err != nil {
		return fail(err), cfg.Marker
	}
	cg, err := os.Open(dir)
	if err != nil {
		return fail(err), cfg.Marker
	}
	defer cg.Close()
	cmd := exec.Command(initPath, cfg.Args...)
	cmd.Env = append([]string{envRole + "=" + roleGuest, "PATH=/bin", "HOME=/tmp", "TMPDIR=/tmp"}, cfg.Env...)
	cmd.Dir = "/tmp"
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	// Started inside its cgroup (clone3 with CLONE_INTO_CGROUP), never for
	// a moment in the root one.
	cmd.SysProcAttr = &syscall.SysProcAttr{UseCgroupFD: true, CgroupFD: int(cg.Fd())}
	err = cmd.Run()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		if ws, ok := exit.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return 128 + int(ws.Signal()), cfg.Marker
		}
		return exit.ExitCode(), cfg.Marker
	case err != nil:
		return fail(err), cfg.Marker
	}
	return 0, cfg.Marker
}

// makeCgroup makes the cgroup at rel below CgroupRoot with controllers
// (nil: all there are) enabled on the way down, as systemd does for a
// service with Delegate=yes: the service's own cgroup.subtree_control is
// left empty, for the service to manage.
func makeCgroup(rel string, controllers []string) (string, error) {
	if controllers == nil {
		b, err := os.ReadFile(filepath.Join(CgroupRoot, "cgroup.controllers"))
		if err != nil {
			return "", err
		}
		controllers = strings.Fields(string(b))
	}
	var enable []string
	for _, c := range controllers {
		enable = append(enable, "+"+c)
	}
	dir := CgroupRoot
	for _, name := range strings.Split(strings.Trim(rel, "/"), "/") {
		if name == "" {
			continue
		}
		if len(enable) > 0 {
			if err := os.WriteFile(filepath.Join(dir, "cgroup.subtree_control"), []byte(strings.Join(enable, " ")), 0); err != nil {
				return "", fmt.Errorf("enabling %s below %s: %w", enable, dir, err)
			}
		}
		dir = filepath.Join(dir, name)
		if err := os.Mkdir(dir, 0o755); err != nil {
			return "", err
		}
	}
	return dir, nil
}

// CheckCgroup2 fails the test unless it runs in a VM that Run booted, on
// the cgroup v2 hierarchy alone (no v1 controller mounted), in the cgroup
// Options.Cgroup named. It returns that cgroup's directory.
func CheckCgroup2(t testing.TB) string {
	t.Helper()
	if !InGuest() {
		t.Fatal("vmtest: not inside a VM that vmtest.Run booted")
	}
	var st unix.Statfs_t
	if err := unix.Statfs(CgroupRoot, &st); err != nil {
		t.Fatal(err)
	}
	if st.Type != unix.CGROUP2_SUPER_MAGIC {
		t.Fatalf("%s is not a cgroup2 file system (magic %#x)", CgroupRoot, st.Type)
	}
	m, err := cgroupfs.Read()
	if err != nil {
		t.Fatal(err)
	}
	if m.Unified != CgroupRoot || len(m.V1) != 0 {
		t.Fatalf("cgroup mounts: unified %q, v1 %v; want %s and no v1", m.Unified, m.V1, CgroupRoot)
	}
	b, err := os.ReadFile("/proc/self/cgroup")
	if err != nil {
		t.Fatal(err)
	}
	own, ok := strings.CutPrefix(strings.TrimSpace(string(b)), "0::")
	if !ok || own == "/" {
		t.Fatalf("/proc/self/cgroup says %q: want one line 0::/<the test's cgroup>", b)
	}
	return filepath.Join(CgroupRoot, own)
}
