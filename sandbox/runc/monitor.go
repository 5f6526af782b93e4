package runc

import (
	"context"
	"encoding/json"
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

	"github.com/hearth-home/hearth/sandbox/ocitask"
)

// The binary that embeds this runtime (hearth-agent) plays two more roles,
// started by the runtime rather than by people:
//
//   - a task's init, bound into every container at ocitask.InitPath (see
//     ocitask.RunInit);
//   - a task's monitor (monitorFlag DIR): started by Start in a session of
//     its own, it runs `runc run` in the foreground, keeps the container's
//     output in DIR and, when it ends, writes its exit status and cgroup
//     counters to DIR/exitFile. It tells Start on fd 3 that the container
//     started, or why not; fd 4 closes when it exits.
//
// Reexec must be the first thing main (or TestMain) does.

// monitorFlag is the monitor's first argument; "-" follows: the task's
// directory comes on fd 5, when the runtime has a task for it.
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
	// CPU is the CPU time of the container's cgroup, when CPUKnown.
	CPU      time.Duration `json:"cpu_ns,omitempty"`
	CPUKnown bool          `json:"cpu_known,omitempty"`
	// OOMKills counts the container's processes the kernel killed for
	// memory.
	OOMKills int64 `json:"oom_kills,omitempty"`
}

// Reexec runs this process as a task's init or monitor when it was
// started as one, and then exits; otherwise it returns at once.
func Reexec() {
	switch {
	case len(os.Args) > 0 && os.Args[0] == ocitask.InitPath:
		os.Exit(ocitask.RunInit(os.Args[1:]))
	case len(os.Args) == 3 && os.Args[1] == monitorFlag && os.Args[2] == "-":
		os.Exit(runMonitor(awaitTask()))
	}
}

// awaitTask reads the task's directory from fd 5, waiting at most
// spareIdle; "" when none came.
func awaitTask() string {
	got := make(chan string, 1)
	go func() {
		b, _ := io.ReadAll(io.LimitReader(os.NewFile(5, "task"), 4096))
		got <- strings.TrimSuffix(string(b), "\n")
	}()
	select {
	case dir := <-got:
		return dir
	case <-time.After(spareIdle):
		return ""
	}
}

// runMonitor runs the task whose record is in dir to its end.
func runMonitor(dir string) int {
	if dir == "" {
		return 0 // a spare that was not needed
	}
	ready := os.NewFile(3, "ready")
	fail := func(err error) int {
		rec, _ := json.Marshal(exitRecord{Code: -1, ExitedAt: time.Now().UTC(), Error: err.Error()})
		writeFile(filepath.Join(dir, exitFile), rec)
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
	if err := writeFile(filepath.Join(dir, monitorPidFile), []byte(strconv.Itoa(os.Getpid()))); err != nil {
		return fail(err)
	}
	// The agent may die and its terminal with it: the task goes on.
	signal.Ignore(syscall.SIGHUP, syscall.SIGINT, syscall.SIGTERM, syscall.SIGPIPE)
	var ours [4]*os.File   // stdout, stderr, the init's notice, our answer
	var theirs [4]*os.File // the other ends, the container's
	for i := range ours {
		r, w, err := os.Pipe()
		if err != nil {
			return fail(err)
		}
		if i == 3 {
			ours[i], theirs[i] = w, r
		} else {
			ours[i], theirs[i] = r, w
		}
	}
	streams := make(chan error, 1)
	go func() { streams <- ocitask.KeepStreams(dir, rec.Limits.OutputBytes, ours[0], ours[1]) }()

	// Just before the init exits it says so on fd 3 and waits for an
	// answer on fd 4: the cgroup's counters are read then, while the
	// cgroup still exists (runc removes it when the init is gone).
	cg := ocitask.DetectCgroups()
	var cpu time.Duration
	var known bool
	var ooms int64
	counted := make(chan struct{})
	go func() {
		defer close(counted)
		line := make([]byte, 16)
		if n, _ := ours[2].Read(line); n == 0 {
			return // the init died without a word: killed
		}
		cpu, known = cg.CPUUsage(rec.Cgroup)
		ooms = cg.OOMKills(rec.Cgroup)
		ours[3].Write([]byte{1})
	}()
	// runc run in the foreground creates, starts, waits for and deletes
	// the container in one process, and exits with the init's status
	// (128+N when signal N ended it).
	pidPath := filepath.Join(dir, pidFile)
	status := make(chan int, 1)
	go func() {
		code, err := rec.runc(dir).Run(context.Background(), rec.CID, filepath.Join(dir, bundleDir), &gorunc.CreateOpts{
			IO:         &stdio{out: theirs[0], err: theirs[1]},
			PidFile:    pidPath,
			ExtraFiles: []*os.File{theirs[2], theirs[3]},
			NoPivot:    rec.NoPivot,
		})
		if err != nil && code <= 0 {
			code = -1
		}
		status <- code
	}()
	// Started once runc has written the init's pid; failed if runc exits
	// before that.
	code, running := 0, true
	for started := false; !started; {
		select {
		case code = <-status:
			running = false
			if _, err := os.Stat(pidPath); err != nil {
				for _, f := range theirs {
					f.Close()
				}
				return fail(fmt.Errorf("runc run exited %d%s", code, lastRuncError(filepath.Join(dir, runcLog))))
			}
			started = true
		case <-time.After(2 * time.Millisecond):
			_, err := os.Stat(pidPath)
			started = err == nil
		}
	}
	if ready != nil {
		ready.Close() // nothing written: started
	}
	if running {
		code = <-status
	}
	exited := time.Now().UTC()
	// runc is gone, and the container's ends of the pipes with it.
	for _, f := range theirs {
		f.Close()
	}
	<-counted
	if !known {
		// Killed before it could tell: the CPU of runc and all below it.
		var ru syscall.Rusage
		if syscall.Getrusage(syscall.RUSAGE_CHILDREN, &ru) == nil {
			cpu, known = time.Duration(ru.Utime.Nano()+ru.Stime.Nano()), true
		}
	}
	select {
	case <-streams:
	case <-time.After(5 * time.Second):
	}
	out, _ := json.Marshal(exitRecord{Code: code, ExitedAt: exited, CPU: cpu, CPUKnown: known, OOMKills: ooms})
	if err := writeFile(filepath.Join(dir, exitFile), out); err != nil {
		return 1
	}
	return 0
}

// stdio gives the container the monitor's pipes as stdout and stderr and
// /dev/null as stdin.
type stdio struct{ out, err *os.File }

func (p *stdio) Close() error          { return nil }
func (p *stdio) Stdin() io.WriteCloser { return nil }
func (p *stdio) Stdout() io.ReadCloser { return nil }
func (p *stdio) Stderr() io.ReadCloser { return nil }
func (p *stdio) Set(cmd *exec.Cmd) {
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

// writeFile replaces path with b so that readers see the old content or
// the new, never a torn file. It does not sync: a task's files matter
// while the device runs, and a power cut ends the task with them.
func writeFile(path string, b []byte) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
