package vmtest

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// qemuAttr makes qemu die with the test process, even one killed by its
// timeout before it could stop the VM.
func qemuAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}

// prioritize raises qemu's threads above the tests that run beside it,
// where this process may (as root). The guest's clocks follow the host's:
// while the emulating thread waits for a core, the guest sees time jump
// and charges it to whatever ran, which blurs every CPU share measured in
// the VM. Emulated, qemu takes at most one core (tcg runs in one thread),
// so the tests beside it keep the others; on an oversubscribed machine
// they, rather than the VM, wait.
func prioritize(pid int) {
	if os.Geteuid() != 0 {
		return
	}
	tasks, _ := filepath.Glob(filepath.Join("/proc", strconv.Itoa(pid), "task", "*"))
	for _, task := range tasks {
		if tid, err := strconv.Atoi(filepath.Base(task)); err == nil {
			unix.Setpriority(unix.PRIO_PROCESS, tid, qemuNice)
		}
	}
}

// qemuNice is qemu's nice value: at -10 a thread gets about nine tenths
// of a core against any number of threads at 0.
const qemuNice = -10

// vcpuState asks qemu's monitor, on the unix socket sock, where each vCPU
// is: its instruction pointer (the kernel runs without address
// randomization, so it maps onto the kernel's symbols), and whether it is
// halted (an idle guest waiting for an interrupt) or running. It speaks
// through raw sockets: package net would make the test binaries that
// import vmtest need cgo's resolver, and so a dynamic loader, wherever cgo
// is on.
func vcpuState(sock string) string {
	fd, err := unix.Socket(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return err.Error()
	}
	defer unix.Close(fd)
	tv := unix.NsecToTimeval(int64(time.Second))
	unix.SetsockoptTimeval(fd, unix.SOL_SOCKET, unix.SO_RCVTIMEO, &tv)
	unix.SetsockoptTimeval(fd, unix.SOL_SOCKET, unix.SO_SNDTIMEO, &tv)
	if err := unix.Connect(fd, &unix.SockaddrUnix{Name: sock}); err != nil {
		return err.Error()
	}
	if _, err := unix.Write(fd, []byte("info registers -a\n")); err != nil {
		return err.Error()
	}
	// Read until the monitor has been quiet for a second (a read times
	// out), or for at most 3 seconds.
	var all bytes.Buffer
	buf := make([]byte, 16<<10)
	for end := time.Now().Add(3 * time.Second); time.Now().Before(end); {
		n, err := unix.Read(fd, buf)
		if n <= 0 || err != nil {
			break
		}
		all.Write(buf[:n])
	}
	var out []string
	sc := bufio.NewScanner(&all)
	for sc.Scan() {
		if l := strings.TrimSpace(sc.Text()); strings.HasPrefix(l, "CPU#") || strings.HasPrefix(l, "RIP=") {
			out = append(out, l)
		}
	}
	return strings.Join(out, "; ")
}
