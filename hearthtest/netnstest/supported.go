package netnstest

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"sync"
	"testing"
)

// ErrUnsupported is returned (wrapped, with the reason) by Supported, Build
// and BuildLoopback when this process cannot create network namespaces: it is
// not root, `ip` is missing, or the kernel or a sandbox refuses.
var ErrUnsupported = errors.New("netnstest: network namespaces unavailable")

var probe struct {
	once sync.Once
	err  error
}

// Supported reports whether namespaces can be built here, by checking for
// root and `ip` and by creating and deleting one throw-away namespace. The
// answer is computed once per process.
func Supported() error {
	probe.once.Do(func() { probe.err = checkSupported() })
	return probe.err
}

func checkSupported() error {
	if os.Geteuid() != 0 {
		return fmt.Errorf("%w: needs root (euid is %d)", ErrUnsupported, os.Geteuid())
	}
	if _, err := exec.LookPath("ip"); err != nil {
		return fmt.Errorf("%w: the ip tool (iproute2) is not installed: %v", ErrUnsupported, err)
	}
	name := newNames("probe", 0).hub
	if err := ip("", "netns add "+name); err != nil {
		return fmt.Errorf("%w: %w", ErrUnsupported, err)
	}
	if err := deleteNamespace(name); err != nil {
		return fmt.Errorf("%w: %w", ErrUnsupported, err)
	}
	return nil
}

// Require skips the test, with the reason, when namespaces cannot be built.
func Require(t testing.TB) {
	t.Helper()
	if err := Supported(); err != nil {
		t.Skipf("skipping: %v", err)
	}
}
