package ocitask

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	"github.com/hearth-home/hearth/sandbox"
)

// ErrPlatform is returned by Prepare when an image archive holds no image
// for any of the device's platforms. It wraps sandbox.ErrBadApp.
var ErrPlatform = fmt.Errorf("%w: no image for this device's platform", sandbox.ErrBadApp)

// Classify sets res's failure from how a task ended: code is its exit
// status (128+N when the init reports signal N), stop why the runtime
// stopped it ("" when it did not), ooms how many of its processes the
// kernel killed for memory.
//
// An exit status is all a container runtime tells: a program that exits on
// its own with 128+N for a crash signal N (SIGSEGV, SIGABRT, ...) is
// reported as a trap, like one killed by that signal.
func Classify(res *sandbox.Result, code int, stop sandbox.Failure, ooms int64, lim sandbox.Limits) {
	res.ExitCode = code
	sig := syscall.Signal(0)
	if code > 128 && code < 128+65 {
		sig = syscall.Signal(code - 128)
	}
	switch {
	case stop == sandbox.FailKilled:
		res.ExitCode, res.Failure, res.Reason = -1, sandbox.FailKilled, "killed"
	case stop == sandbox.FailTimeout:
		res.ExitCode, res.Failure = -1, sandbox.FailTimeout
		res.Reason = fmt.Sprintf("ran past its %v timeout and was killed", lim.Timeout)
	case ooms > 0:
		if sig == syscall.SIGKILL {
			res.ExitCode = -1
		}
		res.Failure = sandbox.FailMemory
		res.Reason = fmt.Sprintf("out of memory: the limit is %d MiB and the kernel killed the task", lim.MemoryBytes>>20)
	case crashSignal(sig):
		res.ExitCode, res.Failure = -1, sandbox.FailTrap
		res.Reason = fmt.Sprintf("killed by signal %d (%v)", int(sig), sig)
	}
}

// crashSignal reports whether a process ended by sig crashed (or was
// killed by the kernel) rather than exited.
func crashSignal(sig syscall.Signal) bool {
	switch sig {
	case syscall.SIGSEGV, syscall.SIGABRT, syscall.SIGBUS, syscall.SIGILL, syscall.SIGFPE,
		syscall.SIGTRAP, syscall.SIGSYS, syscall.SIGKILL, syscall.SIGXCPU:
		return true
	}
	return false
}

// ShareDirs lets the task's user read /in and write /out: the directories
// are the caller's, made by root, often 0700, and the agent's inputs are
// links to its 0600 blob cache (inside a 0700 data dir, so opening them to
// all still keeps them from the device's other users).
func ShareDirs(spec sandbox.Spec, uid, gid uint32) error {
	if spec.InDir != "" {
		err := filepath.WalkDir(spec.InDir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.Type()&fs.ModeSymlink != 0 {
				return err
			}
			info, err := d.Info()
			if err != nil {
				return err
			}
			add := fs.FileMode(0o044)
			if d.IsDir() {
				add = 0o055
			}
			if info.Mode().Perm()&add == add {
				return nil
			}
			return os.Chmod(p, info.Mode().Perm()|add)
		})
		if err != nil {
			return fmt.Errorf("in dir: %w", err)
		}
	}
	if spec.OutDir != "" {
		if err := os.Chown(spec.OutDir, int(uid), int(gid)); err != nil {
			return fmt.Errorf("out dir: %w", err)
		}
	}
	return nil
}

// CheckDigest makes sure the archive is the app its digest names.
func CheckDigest(app sandbox.App) error {
	got, err := FileDigest(app.Path)
	if err != nil {
		return fmt.Errorf("%w: %w", sandbox.ErrBadApp, err)
	}
	if got != app.Digest {
		return fmt.Errorf("%w: %s has digest %s, want %s", sandbox.ErrBadApp, app.Path, got, app.Digest)
	}
	return nil
}

// FileDigest is the sha256 digest of the file at path, as "sha256:<hex>".
func FileDigest(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil)), nil
}

// WithDigest fills in an archive app's digest when it has none, from the
// file; a file that cannot be read is sandbox.ErrBadApp.
func WithDigest(app sandbox.App) (sandbox.App, error) {
	if app.Digest != "" {
		return app, nil
	}
	d, err := FileDigest(app.Path)
	if err != nil {
		return app, fmt.Errorf("%w: %w", sandbox.ErrBadApp, err)
	}
	app.Digest = d
	return app, nil
}

// Setup is what every container task starts with: its limits with the
// defaults filled, its user's ids, and /in and /out opened to that user
// (ShareDirs). A Spec with Stdin or Stdout fails with an error wrapping
// sandbox.ErrUnsupported: a container's streams go through files that
// outlive the agent (KeepStreams), not through the agent's process.
func Setup(spec sandbox.Spec) (lim sandbox.Limits, uid, gid uint32, err error) {
	lim = spec.Limits.WithDefaults()
	if spec.Stdin != nil || spec.Stdout != nil {
		return lim, 0, 0, fmt.Errorf("%w: a container task's stdin and stdout cannot be streamed", sandbox.ErrUnsupported)
	}
	if uid, gid, err = sandbox.ParseUser(spec.User); err != nil {
		return lim, 0, 0, fmt.Errorf("user: %w", err)
	}
	return lim, uid, gid, ShareDirs(spec, uid, gid)
}
