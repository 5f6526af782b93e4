package runc

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/hearth-home/hearth/sandbox"
	"github.com/hearth-home/hearth/sandbox/ocitask"
	"github.com/hearth-home/hearth/sandbox/sandboxtest"
)

// need skips a test that cannot run here: it needs root, runc, and a
// static test binary (each task's init). In CI it must run.
func need(t testing.TB) {
	t.Helper()
	skip := func(format string, a ...any) {
		t.Helper()
		if os.Getenv("CI") != "" {
			t.Fatalf(format, a...)
		}
		t.Skipf(format, a...)
	}
	if os.Getuid() != 0 {
		skip("runc tasks need root")
	}
	if _, err := exec.LookPath("runc"); err != nil {
		skip("runc is not installed (apt install runc)")
	}
	if err := ocitask.CheckStatic(os.Args[0]); err != nil {
		skip("%v (make test does)", err)
	}
}

var nsSeq atomic.Int64

// testConfig is a Config of its own: namespace and state dir.
func testConfig(t testing.TB) Config {
	return Config{
		Namespace: "hearth-test-" + strconv.Itoa(os.Getpid()) + "-" + strconv.FormatInt(nsSeq.Add(1), 10),
		StateDir:  t.TempDir(),
	}
}

// open makes a runtime on cfg, closed when the test ends.
func open(t testing.TB, cfg Config) *Runtime {
	t.Helper()
	rt, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rt.Close() })
	return rt
}

// newRuntime makes a runtime of its own; what it leaves is swept when the
// test ends.
func newRuntime(t testing.TB, cfg Config) *Runtime {
	t.Helper()
	need(t)
	base := testConfig(t)
	if cfg.Namespace == "" {
		cfg.Namespace = base.Namespace
	}
	if cfg.StateDir == "" {
		cfg.StateDir = base.StateDir
	}
	rt := open(t, cfg)
	t.Cleanup(func() { rt.Sweep(context.Background(), func(string) bool { return false }) })
	return rt
}

func hostApp(t *testing.T) sandbox.App {
	return sandboxtest.OCITestApp(t, sandboxtest.HostPlatform())
}

func TestSuite(t *testing.T) {
	rt := newRuntime(t, Config{})
	sandboxtest.Run(t, func(t *testing.T) sandbox.Runtime { return rt }, sandboxtest.Apps{
		TestApp: hostApp(t),
		Bad:     sandboxtest.GarbageApp(t),
	})
}

// The hostile-container tests, the same as the containerd runtime's.
func TestContainers(t *testing.T) {
	sandboxtest.RunContainers(t, func(t *testing.T, c sandboxtest.ContainerConfig) sandbox.Runtime {
		return newRuntime(t, Config{PidsLimit: c.PidsLimit, Platforms: c.Platforms})
	}, ErrPlatform)
}

// The same hostile-container tests with containers entered as on Hearth
// OS, whose root is the initramfs: runc --no-pivot moves the image's root
// over / and chroots, and what the container may reach must not change.
func TestContainersNoPivot(t *testing.T) {
	sandboxtest.RunContainers(t, func(t *testing.T, c sandboxtest.ContainerConfig) sandbox.Runtime {
		rt := newRuntime(t, Config{PidsLimit: c.PidsLimit, Platforms: c.Platforms, NoPivot: true})
		if !rt.cfg.NoPivot {
			t.Fatal("Config.NoPivot did not reach the runtime")
		}
		return rt
	}, ErrPlatform)
}

// Restarts, pause, throttling and sweeping, the same as the containerd
// runtime's.
func TestControl(t *testing.T) {
	need(t)
	sandboxtest.RunControl(t, sandboxtest.Reopenable{
		Config: func(t *testing.T) string {
			raw, _ := json.Marshal(testConfig(t))
			return string(raw)
		},
		Open: func(t *testing.T, raw string) sandbox.Runtime {
			var cfg Config
			if err := json.Unmarshal([]byte(raw), &cfg); err != nil {
				t.Fatal(err)
			}
			rt := open(t, cfg)
			t.Cleanup(func() { rt.Sweep(context.Background(), func(string) bool { return false }) })
			return rt
		},
	})
}

// Unpacked images are kept across restarts, and a new runtime finds them
// without unpacking again.
func TestImagesKept(t *testing.T) {
	need(t)
	cfg := testConfig(t)
	app := hostApp(t)
	first := open(t, cfg)
	if err := first.Prepare(context.Background(), app); err != nil {
		t.Fatal(err)
	}
	first.Close()
	second := open(t, cfg)
	second.mu.Lock()
	im := second.images[app.Digest]
	second.mu.Unlock()
	if im == nil || im.bytes == 0 || len(im.config.Entrypoint) == 0 {
		t.Fatalf("the unpacked image was not found again: %+v", im)
	}
}

// The cgroup that runc makes above the tasks' goes when the last task is
// deleted: a device does not collect empty cgroups, one per agent data dir.
func TestParentCgroupRemoved(t *testing.T) {
	rt := newRuntime(t, Config{})
	res := sandboxtest.RunTask(t, rt, hostApp(t), sandbox.Limits{}, "exit", "0")
	if res.ExitCode != 0 {
		t.Fatalf("result %+v", res)
	}
	parent := filepath.Dir(rt.cgroupPath("x"))
	matches, _ := filepath.Glob(filepath.Join("/sys/fs/cgroup", "*", parent))
	if direct, err := os.Stat(filepath.Join("/sys/fs/cgroup", parent)); err == nil && direct.IsDir() {
		matches = append(matches, filepath.Join("/sys/fs/cgroup", parent))
	}
	for _, m := range matches {
		t.Errorf("%s is left", m)
	}
}
