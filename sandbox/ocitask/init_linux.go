package ocitask

import (
	"fmt"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"
)

// RunInit is a task's PID 1: args are [-nohome] [-notify] -- PROGRAM
// ARGS... -nohome drops the HOME that runc sets when the task's env has
// none, so that the program sees exactly its spec's env. -notify says that
// fds 3 and 4 lead to the task's monitor: once the program has ended, the
// init writes "exit\n" to fd 3 and waits (at most notifyWait) for a byte
// on fd 4 before it exits, so that the monitor reads the container's
// cgroup counters while the cgroup still exists (runc removes it when the
// init exits). The program inherits neither.
func RunInit(args []string) int {
	sep := slices.Index(args, "--")
	if sep < 0 || sep == len(args)-1 {
		fmt.Fprintln(os.Stderr, "hearth init: usage: [-nohome] -- PROGRAM [ARGS...]")
		return 127
	}
	env := os.Environ()
	if slices.Contains(args[:sep], "-nohome") {
		env = slices.DeleteFunc(env, func(e string) bool { return strings.HasPrefix(e, "HOME=") })
	}
	notify := slices.Contains(args[:sep], "-notify")
	if notify {
		syscall.CloseOnExec(3)
		syscall.CloseOnExec(4)
	}
	prog := args[sep+1:]
	sigs := make(chan os.Signal, 16)
	signal.Notify(sigs)
	pid, err := syscall.ForkExec(prog[0], prog, &syscall.ProcAttr{
		Env:   env,
		Files: []uintptr{0, 1, 2},
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "hearth init: start %s: %v\n", prog[0], err)
		return 127
	}
	for {
		select {
		case s := <-sigs:
			sig := s.(syscall.Signal)
			if sig == syscall.SIGCHLD {
				if code, done := reap(pid); done {
					if notify {
						notifyMonitor()
					}
					return code
				}
				continue
			}
			syscall.Kill(pid, sig)
		}
	}
}

// reap collects every exited child; done when the program itself ended.
func reap(pid int) (code int, done bool) {
	for {
		var ws syscall.WaitStatus
		got, err := syscall.Wait4(-1, &ws, syscall.WNOHANG, nil)
		if err != nil || got <= 0 {
			return 0, false
		}
		if got != pid {
			continue // an orphan that was re-parented to us
		}
		if ws.Signaled() {
			return 128 + int(ws.Signal()), true
		}
		return ws.ExitStatus(), true
	}
}

// notifyWait bounds how long the init waits for the monitor's answer.
const notifyWait = 5 * time.Second

// notifyMonitor tells the monitor that the program has ended and waits
// for it to have read what it needs.
func notifyMonitor() {
	if _, err := syscall.Write(3, []byte("exit\n")); err != nil {
		return
	}
	answered := make(chan struct{})
	go func() {
		var b [1]byte
		syscall.Read(4, b[:])
		close(answered)
	}()
	select {
	case <-answered:
	case <-time.After(notifyWait):
	}
}
