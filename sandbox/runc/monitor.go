package runc

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	gorunc "github.com/containerd/go-runc"
	"golang.org/x/sys/unix"

	"github.com/hearth-home/hearth/sandbox/ocitask"
	"github.com/hearth-home/hearth/store"
)

// The binary that embeds this runtime (hearth-agent) plays two more roles,
// started by the runtime rather than by people:
//
//   - a task's init, bound into every container at ocitask.InitPath (see
//     ocitask.RunInit);
//   - a task's monitor (monitorFlag DIR): started by Start in a session of
//     its own, it runs `runc run --detach`, becomes the container's parent
//     as a child subreaper, keeps its output in DIR and, when it ends,
//     writes its exit status to DIR/exitFile. It tells Start that the
//     container started, or why not, on fd 3.
//
// Reexec must be the first thing main (or TestMain) does.

// monitorFlag is the monitor's first argument; the task's dir follows.
const monitorFlag = "--hearth-runc-monitor"

// Files in a task's directory.
const (
	taskFile       = "task.json"   // the task's record, written by Start
	exitFile       = "exit.json"   // the exit status, written by the monitor
	stopFile       = "stop"        // why the runtime stopped the task, if it did
	pidFile        = "init.pid"    // the container's init, written by runc
	monitorPidFile = "monitor.pid" // the monitor's own
	runcLog        = "runc.log"    // runc's own messages
	bundleDir      = "bundle"      // config.json
)

// exitRecord is exitFile.
type exitRecord struct {
	// Code is the init's exit status, 128+N when signal N ended it.
	Code     int       `json:"code"`
	ExitedAt time.Time `json:"exited_at"`
	// Error is why the container never started; Code is then -1.
	Error string `json:"error,omitempty"`
}

// Reexec runs this process as a task's init or monitor when it was
// started as one, and then exits; otherwise it returns at once.
func Reexec() {
	switch {
	case len(os.Args) > 0 && os.Args[0] == ocitask.InitPath:
		os.Exit(ocitask.RunInit(os.Args[1:]))
	case len(os.Args) == 3 && os.Args[1] == monitorFlag:
		os.Exit(runMonitor(os.Args[2]))
	}
}

// runMonitor runs the task whose record is in dir to its end.
func runMonitor(dir string) int {
	ready := os.NewFile(3, "ready")
	fail := func(err error) int {
		rec, _ := json.Marshal(exitRecord{Code: -1, ExitedAt: time.Now().UTC(), Error: err.Error()})
		store.WriteFileAtomic(filepath.Join(dir, exitFile), rec, 0o600)
		if ready != nil {
			fmt.Fprint(ready, err.Error())
			ready.Close()
		}
		return 1
	}
	var rec taskRecord
	b, err := os.ReadFile(filepath.Join(dir, taskFile))
	if err == nil {
		err = json.Unmarshal(b, &rec)
	}
	if err != nil {
		return fail(fmt.Errorf("task record: %w", err))
	}
	if err := store.WriteFileAtomic(filepath.Join(dir, monitorPidFile), []byte(strconv.Itoa(os.Getpid())), 0o600); err != nil {
		return fail(err)
	}
	// The agent may die and its terminal with it: the task goes on.
	signal.Ignore(syscall.SIGHUP, syscall.SIGINT, syscall.SIGTERM, syscall.SIGPIPE)
	if err := unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); err != nil {
		return fail(fmt.Errorf("becoming the container's subreaper: %w", err))
	}
	outR, outW, err := os.Pipe()
	if err != nil {
		return fail(err)
	}
	errR, errW, err := os.Pipe()
	if err != nil {
		return fail(err)
	}
	streams := make(chan error, 1)
	go func() { streams <- ocitask.KeepStreams(dir, rec.Limits.OutputBytes, outR, errR) }()

	r := rec.runc(dir)
	_, err = r.Run(context.Background(), rec.CID, filepath.Join(dir, bundleDir), &gorunc.CreateOpts{
		IO:      &pipes{out: outW, err: errW},
		PidFile: filepath.Join(dir, pidFile),
		Detach:  true,
	})
	// The container holds its own copies now.
	outW.Close()
	errW.Close()
	if err != nil {
		return fail(fmt.Errorf("runc run: %w%s", err, lastRuncError(filepath.Join(dir, runcLog))))
	}
	pid, err := readPid(filepath.Join(dir, pidFile))
	if err != nil {
		return fail(err)
	}
	if ready != nil {
		ready.Close() // nothing written: started
	}
	code := reapUntil(pid)
	exited := time.Now().UTC()
	// The pid namespace dies with its init, and with it every holder of
	// the streams; a process that escaped it cannot hold them long.
	select {
	case <-streams:
	case <-time.After(5 * time.Second):
	}
	out, _ := json.Marshal(exitRecord{Code: code, ExitedAt: exited})
	if err := store.WriteFileAtomic(filepath.Join(dir, exitFile), out, 0o600); err != nil {
		return 1
	}
	return 0
}

// reapUntil reaps children (the container's init, orphans of it) until
// pid exits, and returns its status: 128+N when signal N killed it.
func reapUntil(pid int) int {
	for {
		var ws unix.WaitStatus
		got, err := unix.Wait4(-1, &ws, 0, nil)
		if errors.Is(err, unix.EINTR) {
			continue
		}
		if err != nil {
			// No children: the init is gone without a status for us.
			return 128 + int(syscall.SIGKILL)
		}
		if got != pid {
			continue
		}
		if ws.Signaled() {
			return 128 + int(ws.Signal())
		}
		return ws.ExitStatus()
	}
}

// pipes gives the container the monitor's pipes as stdout and stderr and
// /dev/null as stdin.
type pipes struct{ out, err *os.File }

func (p *pipes) Close() error          { return nil }
func (p *pipes) Stdin() io.WriteCloser { return nil }
func (p *pipes) Stdout() io.ReadCloser { return nil }
func (p *pipes) Stderr() io.ReadCloser { return nil }
func (p *pipes) Set(cmd *exec.Cmd) {
	cmd.Stdin = nil
	cmd.Stdout = p.out
	cmd.Stderr = p.err
}

func readPid(path string) (int, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, fmt.Errorf("the container's pid: %w", err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || pid <= 0 {
		return 0, fmt.Errorf("the container's pid file holds %q", b)
	}
	return pid, nil
}

// lastRuncError is runc's last error message from its JSON log, as
// ": message", or "".
func lastRuncError(path string) string {
	b, _ := os.ReadFile(path)
	var msg string
	for _, line := range strings.Split(string(b), "\n") {
		var e struct{ Level, Msg string }
		if json.Unmarshal([]byte(line), &e) == nil && (e.Level == "error" || e.Level == "fatal") {
			msg = e.Msg
		}
	}
	if msg == "" {
		return ""
	}
	return ": " + msg
}
