package hearthinit

import (
	"errors"
	"os"
	"strconv"
	"time"

	"golang.org/x/sys/unix"
)

// fail reports a failure that stops the boot, waits 10 s so that a person
// can read it and reboots: a broken trial slot then falls back through the
// boot counter. A shutdown asked for meanwhile is done at once, as asked.
func (b *boot) fail(err error) {
	if b.ctx != nil && b.ctx.Err() != nil {
		b.shutdown(int(b.action.Load()))
	}
	b.log.Error("cannot boot: " + err.Error())
	if b.dev != nil {
		if trial, _ := b.dev.OnTrial(); trial {
			reason := "hearth-init could not boot: " + err.Error()
			b.log.Info("trial failed: " + reason)
			if err := b.dev.Fail(reason); err != nil {
				b.log.Warn("recording why the trial failed", "err", err)
			}
		}
	}
	b.log.Error("rebooting in 10 s")
	done := make(<-chan struct{})
	if b.ctx != nil {
		done = b.ctx.Done()
	}
	select {
	case <-time.After(10 * time.Second):
	case <-done:
	}
	b.shutdown(int(b.action.Load()))
}

// shutdown ends every process, saves the clock, unmounts and reboots or
// powers off. The roles' supervisors have stopped before it runs.
func (b *boot) shutdown(action int) {
	if b.wd != nil {
		b.wd.Disarm()
	}
	// What the role left behind (containers, their shims) gets a TERM and
	// two seconds, then a KILL.
	if unix.Kill(-1, unix.SIGTERM) == nil {
		for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline) && userProcesses() > 0; {
			time.Sleep(50 * time.Millisecond)
		}
		unix.Kill(-1, unix.SIGKILL)
	}
	if b.stopReaper != nil {
		b.stopReaper()
		<-b.reaped
	}
	if b.clock.Path != "" && isMounted(DataDir) {
		if err := b.clock.Save(time.Now()); err != nil {
			b.log.Warn("saving the clock", "err", err)
		}
	}
	b.log.Info("unmounting")
	b.file.attach(&LogFile{}) // no more lines to /data (a LogFile without a path drops them)
	for _, f := range b.logs {
		f.Close()
	}
	unix.Sync()
	for i := len(b.mounted) - 1; i >= 0; i-- {
		unmount(b.mounted[i])
	}
	unix.Sync()
	b.log.Info("goodbye")
	reboot(action)
}

// unmount unmounts target, or at least makes it read-only so that nothing
// is lost at the reboot.
func unmount(target string) {
	for range 3 {
		if err := unix.Unmount(target, 0); err == nil || errors.Is(err, unix.EINVAL) {
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
	unix.Mount("", target, "", unix.MS_REMOUNT|unix.MS_RDONLY, "")
}

// reboot reboots (or powers off) the machine, but only as PID 1: run
// anywhere else, it exits.
func reboot(action int) {
	if os.Getpid() != 1 {
		os.Exit(1)
	}
	unix.Reboot(action)
	for {
		time.Sleep(time.Hour) // the kernel will stop us
	}
}

// userProcesses counts the processes other than init that run a program:
// kernel threads and zombies have an empty /proc/<pid>/cmdline. (kill(-1,
// 0) cannot tell: it succeeds on kernel threads.)
func userProcesses() int {
	ents, _ := os.ReadDir("/proc")
	n := 0
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == 1 {
			continue
		}
		if b, err := os.ReadFile("/proc/" + e.Name() + "/cmdline"); err == nil && len(b) > 0 {
			n++
		}
	}
	return n
}
