package netnstest

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// RoleEnv is the environment variable that tells a re-executed test binary
// it is a child and which role it plays.
const RoleEnv = "HEARTH_NETNSTEST_ROLE"

// InChild reports whether this process is a child started by
// StartInNamespace or RunInNamespace, and its role. A test that uses them
// begins with:
//
//	if role, ok := netnstest.InChild(); ok {
//		runChild(t, role) // the part that must run inside the namespace
//		return
//	}
func InChild() (role string, ok bool) {
	role = os.Getenv(RoleEnv)
	return role, role != ""
}

// Child is a test binary re-executed inside a namespace.
type Child struct {
	Namespace, Role string

	testName string
	cmd      *exec.Cmd
	out      lockedBuffer
	done     chan struct{}
	err      error
}

// StartInNamespace starts this test binary again inside ns, running only the
// top-level test testName (normally t.Name()) with RoleEnv set to role and
// env ("KEY=value") added to the environment. The child is killed when t
// ends, and its output is logged then. Use Wait to learn how it went.
func StartInNamespace(t testing.TB, ns, testName, role string, env ...string) *Child {
	t.Helper()
	if role == "" {
		t.Fatal("netnstest: StartInNamespace needs a non-empty role")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatalf("netnstest: finding the test binary: %v", err)
	}
	args := []string{"-test.run=" + runPattern(testName), "-test.v=true", "-test.count=1"}
	if d, ok := t.(interface{ Deadline() (time.Time, bool) }); ok {
		if dl, ok := d.Deadline(); ok {
			args = append(args, fmt.Sprintf("-test.timeout=%s", time.Until(dl).Round(time.Second)))
		}
	}
	if f := flag.Lookup("test.gocoverdir"); f != nil && f.Value.String() != "" {
		args = append(args, "-test.gocoverdir="+f.Value.String())
	}
	c := &Child{Namespace: ns, Role: role, testName: testName, done: make(chan struct{})}
	c.cmd = CommandContext(t.Context(), ns, exe, args...)
	c.cmd.Env = append(append(os.Environ(), RoleEnv+"="+role, childGORACE()), env...)
	c.cmd.Stdout, c.cmd.Stderr = &c.out, &c.out
	c.cmd.WaitDelay = 5 * time.Second
	if err := c.cmd.Start(); err != nil {
		t.Fatalf("netnstest: starting %s in %s: %v", role, ns, err)
	}
	go func() {
		c.err = c.check(c.cmd.Wait())
		close(c.done)
	}()
	t.Cleanup(func() {
		if c.Wait() == nil { // else the error, reported or not, holds the output
			t.Logf("child %s in %s:\n%s", role, ns, c.Output())
		}
	})
	return c
}

// RunInNamespace runs the child like StartInNamespace, waits for it and
// fails t if the child's test did not pass.
func RunInNamespace(t testing.TB, ns, testName, role string, env ...string) {
	t.Helper()
	if err := StartInNamespace(t, ns, testName, role, env...).Wait(); err != nil {
		t.Error(err)
	}
}

// Wait waits for the child to exit and returns an error unless its test
// ran and passed. It may be called more than once.
func (c *Child) Wait() error {
	<-c.done
	return c.err
}

// Output returns what the child has printed so far.
func (c *Child) Output() string { return c.out.String() }

// ErrChildFailed is returned (wrapped) by Child.Wait when the child's test
// failed, was skipped or did not run.
var ErrChildFailed = errors.New("netnstest: child test did not pass")

func (c *Child) check(err error) error {
	out := c.out.String()
	passed := strings.Contains(out, "--- PASS: "+c.testName+" ")
	if err == nil && passed {
		return nil
	}
	if err == nil {
		err = errors.New("no PASS line")
	}
	return fmt.Errorf("%w: %s in %s: %v; output:\n%s", ErrChildFailed, c.Role, c.Namespace, err, out)
}

// childGORACE keeps a race-enabled child from sleeping the race detector's
// default second at exit, unless the user set that option.
func childGORACE() string {
	g := os.Getenv("GORACE")
	if strings.Contains(g, "atexit_sleep_ms") {
		return "GORACE=" + g
	}
	return "GORACE=" + strings.TrimSpace(g+" atexit_sleep_ms=0")
}

// runPattern turns a test name into a -test.run pattern matching only it.
func runPattern(name string) string {
	parts := strings.Split(name, "/")
	for i, p := range parts {
		parts[i] = "^" + regexp.QuoteMeta(p) + "$"
	}
	return strings.Join(parts, "/")
}

// lockedBuffer is a bytes.Buffer written by exec's copying goroutines and
// read by the test.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
