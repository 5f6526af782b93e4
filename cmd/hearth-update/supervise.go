package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"github.com/hearth-home/hearth/firmware/ota"
	"github.com/hearth-home/hearth/firmware/slot"
	"github.com/hearth-home/hearth/internal/atomicfile"
)

const superviseUsage = `hearth-update supervise runs hearth-agent on a system that keeps its OS (the
.deb) and updates it as Hearth OS updates its slots (docs/install-deb.md):
the agent it runs reports this installation's release to its gateway, and when
the gateway offers a newer one, runs hearth-update, which fetches the signed
agent into DIR/bin and has this supervisor try it. The new agent is kept only
once it pairs again with the same gateway and three heartbeats are answered;
if it exits three times, or is not ready within the trial window, the
supervisor goes back to the one before and says why.

It stays the service's main process: SIGTERM is passed to the agent, and when
a committed agent exits, the supervisor exits with its status (systemd then
restarts both as the unit says).

Usage:
  hearth-update supervise [flags] -- AGENT [AGENT-FLAGS...]

AGENT is the packaged agent (/usr/bin/hearth-agent), run until an update
commits.

Flags:
`

// supervisor runs the agent binary that the state says, and tries new ones.
type supervisor struct {
	dir      binDir
	packaged string   // the packaged agent
	args     []string // the agent's own flags
	window   time.Duration
	root     string // the pinned root.json, for the updater
	self     string // this program, the agent's --updater
	log      *slog.Logger

	// packagedVersion is the packaged agent's --version as next last
	// read it; "" when it could not.
	packagedVersion string
}

func supervise(argv []string) int {
	fs := flag.NewFlagSet("hearth-update supervise", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), superviseUsage)
		fs.PrintDefaults()
	}
	dir := fs.String("dir", "/var/lib/hearth-agent/update", "where updates, their state and the trusted metadata are kept")
	root := fs.String("root", "/usr/share/hearth/root.json", "the pinned root.json of the update repository")
	window := fs.Duration("trial-timeout", 2*time.Minute, "how long a new agent has to pair again and answer three heartbeats")
	if err := fs.Parse(argv); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "hearth-update supervise: name the agent after --, e.g. -- /usr/bin/hearth-agent --data-dir /var/lib/hearth-agent")
		return 2
	}
	self, err := os.Executable()
	if err != nil {
		fmt.Fprintln(os.Stderr, "hearth-update supervise:", err)
		return 1
	}
	s := &supervisor{dir: binDir(*dir), packaged: fs.Arg(0), args: fs.Args()[1:], window: *window, root: *root, self: self,
		log: slog.New(slog.NewTextHandler(os.Stderr, nil)).With("part", "supervisor")}
	return s.run()
}

// run supervises until SIGTERM or until a committed agent exits, and
// returns the exit status.
func (s *supervisor) run() int {
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP)
	if err := os.MkdirAll(string(s.dir), 0o700); err != nil {
		s.log.Error("the update directory", "err", err)
		return 1
	}
	pidFile := s.dir.path("supervisor.pid")
	if err := atomicfile.WriteFile(pidFile, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o600); err != nil {
		s.log.Error("writing the pid file", "err", err)
		return 1
	}
	defer os.Remove(pidFile)
	for {
		bin, status, err := s.next()
		if err != nil {
			s.log.Error("choosing the agent to run", "err", err)
			return 1
		}
		code, again := s.runOnce(bin, status, sigs)
		if !again {
			return code
		}
	}
}

// next settles a trial that has had its starts, then returns the binary
// to run and the status it runs under, after writing that status for the
// agent.
func (s *supervisor) next() (string, slot.Status, error) {
	// apt may have installed a newer agent than the updates: it wins.
	packagedVersion, perr := agentVersion(context.Background(), s.packaged)
	s.packagedVersion = packagedVersion
	st, err := s.dir.update(func(st *binState) error {
		if perr == nil {
			if t := st.Trial; t != nil && ota.CompareVersions(packagedVersion, t.Version) >= 0 {
				s.log.Info("the packaged agent is as new as the update on trial: dropping the update", "packaged", packagedVersion, "trial", t.Version)
				os.Remove(s.dir.bin(t.File))
				st.Trial = nil
			}
			if c := st.Current; c != nil && ota.CompareVersions(packagedVersion, c.Version) > 0 {
				s.log.Info("the packaged agent is newer than the updates: running it", "packaged", packagedVersion, "update", c.Version)
				for _, r := range []*binRelease{st.Current, st.Previous} {
					if r != nil {
						os.Remove(s.dir.bin(r.File))
					}
				}
				st.Current, st.Previous = nil, nil
			}
		}
		if t := st.Trial; t != nil {
			if t.Starts >= maxTrialStarts {
				reason := fmt.Sprintf("the agent exited %d times: %s", t.Starts, t.Exit)
				if t.Exit == "" {
					reason = fmt.Sprintf("did not commit in %d starts (the supervisor or the machine stopped during them)", t.Starts)
				}
				s.rollback(st, reason)
			} else if _, err := os.Stat(s.dir.bin(t.File)); err != nil {
				s.rollback(st, "its binary is missing: "+err.Error())
			} else {
				t.Starts++
			}
		}
		return nil
	})
	if err != nil {
		return "", slot.Status{}, err
	}
	status := slot.Status{Board: platform(), Trial: st.Trial != nil, LastRollback: st.LastRollback}
	bin := s.packaged
	switch {
	case st.Trial != nil:
		bin, status.Version = s.dir.bin(st.Trial.File), st.Trial.Version
	case st.Current != nil:
		bin, status.Version = s.dir.bin(st.Current.File), st.Current.Version
		if _, err := os.Stat(bin); err != nil {
			s.log.Warn("the committed agent is missing: running the packaged one", "file", bin, "err", err)
			bin, status.Version = s.packaged, ""
		}
	}
	if status.Version == "" {
		if perr != nil {
			return "", status, perr
		}
		status.Version = packagedVersion
	}
	if err := slot.WriteStatus(s.dir.path("status.json"), status); err != nil {
		return "", status, err
	}
	if err := os.Remove(s.dir.path("ready")); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return "", status, err
	}
	return bin, status, nil
}

// rollback gives up st's trial for reason.
func (s *supervisor) rollback(st *binState, reason string) {
	from := cmp.Or(s.packagedVersion, "the packaged agent")
	if st.Current != nil {
		from = st.Current.Version
	}
	st.LastRollback = &slot.Rollback{From: from, To: st.Trial.Version, Reason: reason, At: time.Now().UTC()}
	os.Remove(s.dir.bin(st.Trial.File))
	s.log.Warn(fmt.Sprintf("rolled back from %s (%s)", st.Trial.Version, reason), "running", from)
	st.Trial = nil
}

// runOnce runs bin until it exits or is stopped. It returns the exit status
// and whether to go on with the next agent.
func (s *supervisor) runOnce(bin string, status slot.Status, sigs <-chan os.Signal) (code int, again bool) {
	args := append(append([]string{}, s.args...), "--firmware-status", s.dir.path("status.json"),
		"--ready-file", s.dir.path("ready"), "--updater", s.self)
	cmd := exec.Command(bin, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.Env = append(os.Environ(), binDirEnv+"="+string(s.dir), rootEnv+"="+s.root)
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
	s.log.Info("starting the agent", "version", status.Version, "trial", status.Trial, "bin", bin)
	if err := cmd.Start(); err != nil {
		if status.Trial {
			s.noteExit(err)
			return 0, true
		}
		s.log.Error("starting the agent", "err", err)
		return 1, false
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	var trialEnd, pollC <-chan time.Time // nil, never ready, unless on trial
	if status.Trial {
		trialEnd = time.After(s.window)
		poll := time.NewTicker(250 * time.Millisecond)
		defer poll.Stop()
		pollC = poll.C
	}
	for {
		select {
		case err := <-exited:
			if status.Trial {
				s.log.Warn("the agent on trial exited", "version", status.Version, "err", err)
				s.noteExit(err)
				time.Sleep(time.Second)
				return 0, true
			}
			s.log.Info("the agent exited", "err", err)
			return exitCode(err), false
		case sig := <-sigs:
			if sig == syscall.SIGHUP {
				st, err := s.dir.read()
				if err != nil || st.Trial == nil || status.Trial {
					continue // nothing new to try
				}
				s.log.Info("an update is installed: stopping the agent to try it", "version", st.Trial.Version)
				// The updater that signalled ends a moment later: let
				// the agent see it finish before it is stopped.
				time.Sleep(time.Second)
				stop(cmd, exited)
				return 0, true
			}
			s.log.Info("stopping the agent", "signal", sig)
			return exitCode(stop(cmd, exited)), false
		case <-pollC:
			if _, err := os.Stat(s.dir.path("ready")); err != nil {
				continue
			}
			if err := s.commit(status.Version); err != nil {
				s.log.Error("committing the trial", "err", err)
				continue
			}
			status.Trial = false
			if err := slot.WriteStatus(s.dir.path("status.json"), status); err != nil {
				s.log.Error("writing the status", "err", err)
			}
			pollC, trialEnd = nil, nil
		case <-trialEnd:
			s.log.Warn("the agent on trial is not ready in time: stopping it", "version", status.Version, "window", s.window)
			stop(cmd, exited)
			if _, err := s.dir.update(func(st *binState) error {
				if st.Trial != nil {
					s.rollback(st, fmt.Sprintf("not paired again within %s", s.window))
				}
				return nil
			}); err != nil {
				s.log.Error("recording the rollback", "err", err)
			}
			return 0, true
		}
	}
}

// commit makes the trial the current release and keeps the one before.
func (s *supervisor) commit(version string) error {
	_, err := s.dir.update(func(st *binState) error {
		if st.Trial == nil || st.Trial.Version != version {
			return fmt.Errorf("no trial of %s to commit", version)
		}
		if st.Previous != nil {
			os.Remove(s.dir.bin(st.Previous.File))
		}
		st.Previous, st.Current, st.Trial = st.Current, &st.Trial.binRelease, nil
		return nil
	})
	if err == nil {
		s.log.Info("committed the agent " + version)
	}
	return err
}

// noteExit records how the trial's agent ended, for the rollback's reason.
func (s *supervisor) noteExit(exit error) {
	if _, err := s.dir.update(func(st *binState) error {
		if st.Trial != nil {
			st.Trial.Exit = fmt.Sprint(exit)
		}
		return nil
	}); err != nil {
		s.log.Error("recording the trial's exit", "err", err)
	}
}

// stop asks the agent to stop (SIGTERM), kills it after 30 s, and returns
// how it ended.
func stop(cmd *exec.Cmd, exited <-chan error) error {
	cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-exited:
		return err
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		return <-exited
	}
}

// exitCode is the exit status to pass on for an agent that ended with err.
func exitCode(err error) int {
	var ee *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee) && ee.ExitCode() > 0:
		return ee.ExitCode()
	case errors.As(err, &ee) && ee.Sys().(syscall.WaitStatus).Signal() == syscall.SIGTERM:
		return 0 // stopped by the SIGTERM it was passed
	default:
		return 1
	}
}
