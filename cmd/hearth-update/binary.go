package main

// Binary updates, for the installations that keep their OS (the .deb): the
// agent is one static binary that the same TUF client replaces, with the
// previous copy kept and the same commit rule as a slot (docs/install-deb.md,
// "Updates"). Everything lives in one directory that the agent's service
// may write (/var/lib/hearth-agent/update):
//
//	state.json     which binary runs: current, previous, trial, last rollback
//	state.lock     held while state.json is read and rewritten
//	status.json    the firmware status the agent reports (--firmware-status)
//	ready          written by the agent once it is paired and answered (--ready-file)
//	supervisor.pid the supervisor to tell that a trial is installed (SIGHUP)
//	bin/           the installed releases, hearth-agent-<version>
//	tuf/           the trusted update metadata

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/hearth-home/hearth/firmware/ota"
	"github.com/hearth-home/hearth/firmware/ota/otahttp"
	"github.com/hearth-home/hearth/firmware/slot"
	"github.com/hearth-home/hearth/internal/atomicfile"
)

// binDirEnv names the update directory in the agent's environment: the
// supervisor sets it, and hearth-update, run by the agent, finds it there.
const binDirEnv = "HEARTH_UPDATE_DIR"

// binState is state.json.
type binState struct {
	// Current is the committed release; nil: the packaged agent.
	Current *binRelease `json:"current,omitempty"`
	// Previous is the release before Current, kept until the next commit.
	Previous *binRelease `json:"previous,omitempty"`
	// Trial is a release installed and not yet committed.
	Trial *binTrial `json:"trial,omitempty"`
	// LastRollback is the last trial that failed.
	LastRollback *slot.Rollback `json:"last_rollback,omitempty"`
}

type binRelease struct {
	Version string `json:"version"`
	File    string `json:"file"` // in bin/
}

type binTrial struct {
	binRelease
	// Starts counts the trial's starts, kept across restarts of the
	// supervisor (a crash, a power cut): a trial that never commits is
	// given up after maxTrialStarts.
	Starts int `json:"starts"`
	// Exits is the last exit's error, for the rollback's reason.
	Exit string `json:"exit,omitempty"`
}

// maxTrialStarts is how many times a trial is started before it is given
// up; hearth-init gives a slot's agent as many.
const maxTrialStarts = 3

// binDir is the update directory, its files named.
type binDir string

func (d binDir) path(name string) string { return filepath.Join(string(d), name) }

// bin is an installed release's file in bin/.
func (d binDir) bin(file string) string { return filepath.Join(string(d), "bin", file) }

// update runs fn on the state under the lock and writes what fn leaves,
// atomically. A missing state.json is an empty state; one that does not
// parse is an error (it is never overwritten blindly).
func (d binDir) update(fn func(*binState) error) (binState, error) {
	if err := os.MkdirAll(d.path("bin"), 0o700); err != nil {
		return binState{}, err
	}
	lock, err := os.OpenFile(d.path("state.lock"), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return binState{}, err
	}
	defer lock.Close()
	if err := unix.Flock(int(lock.Fd()), unix.LOCK_EX); err != nil {
		return binState{}, err
	}
	st, err := d.read()
	if err != nil {
		return st, err
	}
	before, _ := json.Marshal(st)
	if err := fn(&st); err != nil {
		return st, err
	}
	after, err := json.MarshalIndent(st, "", "  ")
	if err != nil || string(before) == string(after) {
		return st, err
	}
	return st, atomicfile.WriteFile(d.path("state.json"), append(after, '\n'), 0o600)
}

// read reads state.json without the lock.
func (d binDir) read() (binState, error) {
	var st binState
	raw, err := os.ReadFile(d.path("state.json"))
	if errors.Is(err, fs.ErrNotExist) {
		return st, nil
	}
	if err != nil {
		return st, err
	}
	if err := json.Unmarshal(raw, &st); err != nil {
		return st, fmt.Errorf("%s: %w (move it away to start over from the packaged agent)", d.path("state.json"), err)
	}
	return st, nil
}

// platform is this machine's binary platform as release targets name it:
// linux-amd64, linux-arm64, linux-armv6 (GOARM of this build, the .deb's).
func platform() string {
	if runtime.GOARCH != "arm" {
		return "linux-" + runtime.GOARCH
	}
	goarm := "6"
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "GOARM" && s.Value != "" {
				goarm, _, _ = strings.Cut(s.Value, ",") // "6,softfloat" -> "6"
			}
		}
	}
	return "linux-armv" + goarm
}

// agentVersion asks an agent binary for its version (hearth-agent --version
// prints "hearth-agent V").
func agentVersion(ctx context.Context, bin string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, bin, "--version").Output()
	if err != nil {
		return "", fmt.Errorf("%s --version: %w", bin, err)
	}
	f := strings.Fields(string(out))
	if len(f) != 2 || f[0] != "hearth-agent" {
		return "", fmt.Errorf("%s --version says %q: is it hearth-agent?", bin, strings.TrimSpace(string(out)))
	}
	return f[1], nil
}

// installBinary is hearth-update --version V for a binary installation:
// the release's agent is fetched from the gateway's mirror, checked with
// TUF against the pinned root, written to bin/ and made the trial; the
// supervisor is then told to start it. Anything refused leaves the state
// as it was.
func installBinary(ctx context.Context, cfg config, dir binDir, s session, log *slog.Logger) error {
	st, err := dir.read()
	if err != nil {
		return err
	}
	if st.Trial != nil {
		return fmt.Errorf("release %s is being tried: wait for it to commit or roll back", st.Trial.Version)
	}
	current := cfg.Current
	if current == "" {
		var stat slot.Status
		raw, err := os.ReadFile(dir.path("status.json"))
		if err == nil {
			err = json.Unmarshal(raw, &stat)
		}
		if err != nil || stat.Version == "" {
			return fmt.Errorf("the running release is unknown (%s: %v): is the agent run by hearth-update supervise?", dir.path("status.json"), err)
		}
		current = stat.Version
	}
	if cfg.Board == "" {
		cfg.Board = platform()
	}
	root, err := os.ReadFile(cfg.Root)
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("no update keys are pinned (%s is missing): this installation takes no updates", cfg.Root)
	}
	if err != nil {
		return err
	}
	hc, err := gatewayClient(s)
	if err != nil {
		return err
	}
	tufDir := dir.path("tuf")
	if err := os.MkdirAll(tufDir, 0o700); err != nil {
		return err
	}
	c, err := ota.NewClient(ota.Config{
		Root: root, Dir: tufDir, BaseURL: "https://" + s.Gateway + mirrorPath,
		Fetcher: otahttp.Fetcher{Client: hc}, Board: cfg.Board, Product: ota.ProductAgent, Logger: log,
	})
	if err != nil {
		return err
	}
	u, err := c.Check(ctx, current)
	if err != nil {
		return fmt.Errorf("checking the gateway's mirror: %w", err)
	}
	switch {
	case u == nil:
		return fmt.Errorf("the gateway offered %s, but its mirror signs no agent newer than %s for %s", cfg.Version, current, cfg.Board)
	case ota.CompareVersions(u.Version, cfg.Version) != 0:
		return fmt.Errorf("the gateway offered %s, but the newest agent its mirror signs for %s is %s", cfg.Version, cfg.Board, u.Version)
	}
	log.Info("installing", "version", u.Version, "target", u.Target, "bytes", u.Length, "from", current)
	name := "hearth-agent-" + u.Version
	final := dir.bin(name)
	// DownloadFile checks the signed length and hash as the last bytes
	// arrive, and renames only a verified file to its name.
	tmp := dir.bin("." + name + ".verified")
	defer os.Remove(tmp)
	if _, err := c.DownloadFile(ctx, u, tmp); err != nil {
		return fmt.Errorf("downloading %s: %w", u.Target, err)
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	// A binary this machine cannot run (another architecture) is refused
	// here, not at the trial.
	if v, err := agentVersion(ctx, tmp); err != nil || v != u.Version {
		return fmt.Errorf("the downloaded agent does not run here or is not %s (%q, %v)", u.Version, v, err)
	}
	if err := os.Rename(tmp, final); err != nil {
		return err
	}
	if err := atomicfile.SyncDir(dir.path("bin")); err != nil {
		return err
	}
	if _, err := dir.update(func(st *binState) error {
		if st.Trial != nil {
			return fmt.Errorf("release %s is being tried", st.Trial.Version)
		}
		st.Trial = &binTrial{binRelease: binRelease{Version: u.Version, File: name}}
		return nil
	}); err != nil {
		return err
	}
	log.Info("installed; the supervisor tries it now", "version", u.Version)
	return signalSupervisor(dir)
}

// signalSupervisor tells the supervisor that a trial is installed.
func signalSupervisor(dir binDir) error {
	raw, err := os.ReadFile(dir.path("supervisor.pid"))
	pid, perr := strconv.Atoi(strings.TrimSpace(string(raw)))
	if err != nil || perr != nil || pid <= 1 {
		return fmt.Errorf("installed, but no supervisor to try it (%s: %v): restart hearth-agent", dir.path("supervisor.pid"), errors.Join(err, perr))
	}
	if err := syscall.Kill(pid, syscall.SIGHUP); err != nil {
		return fmt.Errorf("installed, but the supervisor (pid %d) cannot be told: %w; restart hearth-agent", pid, err)
	}
	return nil
}
