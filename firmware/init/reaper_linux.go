package hearthinit

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// Reaper waits for every child of this process, as PID 1 must: orphans
// are re-parented to init and stay zombies until it waits for them. Since
// wait4(-1) would steal the status of a child that exec.Cmd.Wait waits for,
// every child hearth-init starts goes through Reaper.Start instead, which
// hands the status to the starter.
type Reaper struct {
	Log *slog.Logger

	mu      sync.Mutex
	waiting map[int]chan unix.WaitStatus
}

// Run reaps on every SIGCHLD until ctx ends (and every few seconds, in
// case a signal was merged with another).
func (r *Reaper) Run(ctx context.Context) error {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGCHLD)
	defer signal.Stop(sig)
	t := time.NewTicker(5 * time.Second)
	defer t.Stop()
	for {
		r.reap()
		select {
		case <-ctx.Done():
			return nil
		case <-sig:
		case <-t.C:
		}
	}
}

func (r *Reaper) reap() {
	for {
		var ws unix.WaitStatus
		pid, err := unix.Wait4(-1, &ws, unix.WNOHANG, nil)
		if errors.Is(err, unix.EINTR) {
			continue
		}
		if err != nil || pid <= 0 {
			return
		}
		r.mu.Lock()
		ch, ok := r.waiting[pid]
		delete(r.waiting, pid)
		r.mu.Unlock()
		if ok {
			ch <- ws
		} else if r.Log != nil {
			r.Log.Debug("reaped an orphan", "pid", pid)
		}
	}
}

// Start starts cmd, whose output goes to out (nil: discarded), and returns
// it as a Process whose Wait gets its status from Run.
func (r *Reaper) Start(cmd *exec.Cmd, out io.Writer) (Process, error) {
	var pr *os.File
	if out != nil {
		var pw *os.File
		var err error
		if pr, pw, err = os.Pipe(); err != nil {
			return nil, err
		}
		cmd.Stdout, cmd.Stderr = pw, pw
		defer pw.Close()
	}
	ch := make(chan unix.WaitStatus, 1)
	// Holding mu from start to registration makes a reap that wins the
	// race wait here until the pid is known.
	r.mu.Lock()
	err := cmd.Start()
	if err == nil {
		if r.waiting == nil {
			r.waiting = map[int]chan unix.WaitStatus{}
		}
		r.waiting[cmd.Process.Pid] = ch
	}
	r.mu.Unlock()
	if err != nil {
		if pr != nil {
			pr.Close()
		}
		return nil, err
	}
	p := &reaped{p: cmd.Process, status: ch, copied: make(chan struct{})}
	if pr == nil {
		close(p.copied)
	} else {
		p.out = pr
		go func() {
			defer close(p.copied)
			io.Copy(out, pr)
		}()
	}
	return p, nil
}

type reaped struct {
	p      *os.Process
	status chan unix.WaitStatus
	out    *os.File
	copied chan struct{}
	once   sync.Once
	err    error
}

func (p *reaped) Signal(s os.Signal) error { return p.p.Signal(s) }

// Wait waits for the exit, then up to a second for the output to drain
// (a grandchild may hold the pipe open; it is cut then).
func (p *reaped) Wait() error {
	p.once.Do(func() {
		ws := <-p.status
		select {
		case <-p.copied:
		case <-time.After(time.Second):
		}
		if p.out != nil {
			p.out.Close()
			<-p.copied
		}
		p.err = statusError(ws)
	})
	return p.err
}

func statusError(ws unix.WaitStatus) error {
	switch {
	case ws.Exited() && ws.ExitStatus() == 0:
		return nil
	case ws.Exited():
		return fmt.Errorf("exit status %d", ws.ExitStatus())
	case ws.Signaled():
		return fmt.Errorf("killed by signal %s", ws.Signal())
	}
	return fmt.Errorf("wait status %#x", uint32(ws))
}
