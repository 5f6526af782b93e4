package runc

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"syscall"
	"time"
)

// A monitor is this program started again, which takes 10-25 ms before it
// can run anything on the small machines Hearth is for: a fifth of a
// trivial container task. So the runtime keeps one monitor started ahead,
// waiting for its task's directory, once a task has run; it exits by
// itself after spareIdle without a task, so that an idle agent holds no
// extra process.
const spareIdle = 2 * time.Minute

// monitor is a started monitor process: the agent's ends of its pipes.
type monitor struct {
	dirW   *os.File      // the task's directory goes here; closed after
	readyR *os.File      // EOF when the container runs; an error before
	ended  chan struct{} // closed once the exit file is written (fd 4 closes)
	exited chan struct{} // closed when the process exits
}

// spawnMonitor starts a monitor that waits for its task's directory.
func (rt *Runtime) spawnMonitor() (*monitor, error) {
	var r, w [3]*os.File
	for i := range r {
		var err error
		if r[i], w[i], err = os.Pipe(); err != nil {
			for j := range i {
				r[j].Close()
				w[j].Close()
			}
			return nil, err
		}
	}
	// fd 3: ready (monitor writes), fd 4: done (monitor holds), fd 5: the
	// directory (monitor reads).
	cmd := exec.Command(rt.helper, monitorFlag, "-")
	cmd.ExtraFiles = []*os.File{w[0], w[1], r[2]}
	// A session of its own: signals to the agent's process group, or its
	// terminal closing, leave the task alone.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	err := cmd.Start()
	w[0].Close()
	w[1].Close()
	r[2].Close()
	if err != nil {
		r[0].Close()
		r[1].Close()
		w[2].Close()
		return nil, fmt.Errorf("start a task monitor: %w", err)
	}
	m := &monitor{dirW: w[2], readyR: r[0], ended: make(chan struct{}), exited: make(chan struct{})}
	go func() {
		cmd.Wait()
		close(m.exited)
	}()
	go func() {
		io.Copy(io.Discard, r[1])
		r[1].Close()
		close(m.ended)
	}()
	return m, nil
}

// startMonitor hands the task in dir to a monitor, the spare one when
// there is one, and waits until it has started the container, or says why
// it could not. It then starts the next spare.
func (rt *Runtime) startMonitor(ctx context.Context, dir string) (*monitor, error) {
	rt.mu.Lock()
	m := rt.spare
	rt.spare = nil
	rt.mu.Unlock()
	if m != nil {
		select {
		case <-m.exited: // it idled out
			m = nil
		default:
		}
	}
	if m == nil {
		var err error
		if m, err = rt.spawnMonitor(); err != nil {
			return nil, err
		}
	}
	defer rt.refillSpare()
	_, err := io.WriteString(m.dirW, dir+"\n")
	m.dirW.Close()
	if err != nil {
		m.readyR.Close()
		return nil, fmt.Errorf("hand a task to its monitor: %w", err)
	}
	msg := make(chan []byte, 1)
	go func() {
		b, _ := io.ReadAll(m.readyR)
		m.readyR.Close()
		msg <- b
	}()
	select {
	case b := <-msg:
		if len(b) > 0 {
			<-m.exited
			return nil, fmt.Errorf("start container: %s", b)
		}
		return m, nil
	case <-ctx.Done():
		// The monitor goes on; the task is found by Recover or Sweep.
		return nil, ctx.Err()
	}
}

// refillSpare starts a spare monitor in the background, unless there is
// one or the runtime is closed.
func (rt *Runtime) refillSpare() {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	if rt.closed || rt.spare != nil || rt.refilling {
		return
	}
	rt.refilling = true
	go func() {
		m, err := rt.spawnMonitor()
		rt.mu.Lock()
		defer rt.mu.Unlock()
		rt.refilling = false
		if err != nil {
			rt.log.Debug("starting a spare task monitor", "err", err)
			return
		}
		if rt.closed || rt.spare != nil {
			m.dirW.Close() // it exits at once
			m.readyR.Close()
			return
		}
		rt.spare = m
	}()
}

// dropSpare ends the spare monitor, if any.
func (rt *Runtime) dropSpare() {
	rt.mu.Lock()
	m := rt.spare
	rt.spare = nil
	rt.mu.Unlock()
	if m != nil {
		m.dirW.Close()
		m.readyR.Close()
		<-m.exited
	}
}
