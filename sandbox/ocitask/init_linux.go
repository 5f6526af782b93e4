package ocitask

import (
	"fmt"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
)

// RunInit is a task's PID 1: args are [-nohome] -- PROGRAM ARGS...
// -nohome drops the HOME that runc sets when the task's env has none, so
// that the program sees exactly its spec's env.
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
