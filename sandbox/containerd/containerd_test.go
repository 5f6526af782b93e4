package containerd

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hearth-home/hearth/sandbox"
	"github.com/hearth-home/hearth/sandbox/ocitask"
	"github.com/hearth-home/hearth/sandbox/sandboxtest"
)

// socket is the containerd the tests use: scripts/containerd.sh starts a
// private one and .ci/run exports its socket. Without it the tests skip,
// except in CI, where they must run.
func socket(t testing.TB) string {
	t.Helper()
	s := os.Getenv(SocketEnv)
	if s == "" {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is not set: CI must run the containerd tests (scripts/containerd.sh start)", SocketEnv)
		}
		t.Skipf("%s is not set: start a private containerd with scripts/containerd.sh start", SocketEnv)
	}
	if os.Getuid() != 0 {
		t.Skip("containerd tasks need root")
	}
	// The test binary is each task's init: it must run in any image.
	if err := ocitask.CheckStatic(os.Args[0]); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal(err)
		}
		t.Skipf("%v (make test does)", err)
	}
	return s
}

var nsSeq atomic.Int64

// newRuntime makes a runtime on a namespace of its own, removed with
// everything in it when the test ends.
func newRuntime(t testing.TB, cfg Config) *Runtime {
	t.Helper()
	cfg.Socket = socket(t)
	if cfg.Namespace == "" {
		cfg.Namespace = namespaceFor(t)
	}
	if cfg.StateDir == "" {
		cfg.StateDir = t.TempDir()
	}
	rt, err := New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		rt.Close()
		wipe(t, cfg.Socket, cfg.Namespace)
	})
	return rt
}

func namespaceFor(t testing.TB) string {
	return "hearth-test-" + strconv.Itoa(os.Getpid()) + "-" + strconv.FormatInt(nsSeq.Add(1), 10)
}

// wipe removes a namespace and all it holds.
func wipe(t testing.TB, sock, ns string) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, _, err := RemoveNamespace(ctx, sock, ns); err != nil {
		t.Logf("wipe %s: %v", ns, err)
		return
	}
	// Nothing is left behind, the cgroup containerd made for the
	// namespace's containers included (cgroup v1: one per hierarchy).
	left, _ := filepath.Glob("/sys/fs/cgroup/*/" + ns)
	if _, err := os.Stat("/sys/fs/cgroup/" + ns); err == nil {
		left = append(left, "/sys/fs/cgroup/"+ns)
	}
	if len(left) > 0 {
		t.Errorf("namespace %s removed, but its cgroups are left: %v", ns, left)
	}
}

func TestSuite(t *testing.T) {
	rt := newRuntime(t, Config{})
	sandboxtest.Run(t, func(t *testing.T) sandbox.Runtime { return rt }, sandboxtest.Apps{
		TestApp: sandboxtest.OCITestApp(t, sandboxtest.HostPlatform()),
		Bad:     sandboxtest.GarbageApp(t),
	})
}
