// Package logcmd runs a helper program whose output goes to a log, line
// by line: the updater, which the agent and a gateway-role appliance's
// gateway both run.
package logcmd

import (
	"bufio"
	"io"
	"log/slog"
	"os/exec"
	"syscall"
	"time"
)

// StopGrace is how long a program asked to stop (SIGTERM, when the
// command's context ends) has before it is killed: an updater uses it to
// leave the slots as they were.
const StopGrace = 30 * time.Second

// Run runs cmd (made with exec.CommandContext) to its end, logging each
// line it writes to stdout or stderr as prefix + the line. When the
// context ends the program gets SIGTERM, and StopGrace before it is
// killed. Lines longer than 64 KiB are dropped.
func Run(cmd *exec.Cmd, log *slog.Logger, prefix string) error {
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = StopGrace
	out, w := io.Pipe()
	cmd.Stdout, cmd.Stderr = w, w
	logged := make(chan struct{})
	go func() {
		defer close(logged)
		sc := bufio.NewScanner(out)
		sc.Buffer(make([]byte, 4096), 64<<10)
		for sc.Scan() {
			log.Info(prefix + sc.Text())
		}
		io.Copy(io.Discard, out)
	}()
	err := cmd.Run()
	w.Close()
	<-logged
	return err
}
