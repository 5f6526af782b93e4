package containerd

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hearth-home/hearth/internal/ociimage"
	"github.com/hearth-home/hearth/sandbox"
	"github.com/hearth-home/hearth/sandbox/sandboxtest"
)

var taskSeq atomic.Int64

// run starts a task of the test app and waits for its result.
func run(t *testing.T, rt *Runtime, app sandbox.App, lim sandbox.Limits, args ...string) sandbox.Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	spec := sandbox.Spec{ID: fmt.Sprintf("%s-%d", strings.ReplaceAll(t.Name(), "/", "-"), taskSeq.Add(1)), App: app, Args: args, Limits: lim}
	task, err := rt.Start(ctx, spec)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	res, err := task.Wait(ctx)
	if err != nil {
		t.Fatalf("Wait: %v", err)
	}
	if err := task.Delete(ctx); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	return res
}

func hostApp(t *testing.T) sandbox.App {
	return sandboxtest.OCITestApp(t, sandboxtest.HostPlatform())
}

// The task runs as nobody, with no capabilities and no way to gain any.
func TestUnprivileged(t *testing.T) {
	rt := newRuntime(t, Config{})
	res := run(t, rt, hostApp(t), sandbox.Limits{}, "whoami")
	want := "uid=65534 euid=65534 gid=65534 capeff=0000000000000000 capbnd=0000000000000000 nnp=1\n"
	if res.Failure != "" || string(res.Stdout) != want {
		t.Fatalf("whoami: %q (%s %s), want %q", res.Stdout, res.Failure, res.Reason, want)
	}
}

// A setuid-root program gains nothing: no-new-privileges keeps the
// caller's ids, and there are no capabilities to gain.
func TestSetuidGainsNothing(t *testing.T) {
	rt := newRuntime(t, Config{})
	app := pack(t, ociimage.Options{Entrypoint: "/setuid", Mode: 0o4755})
	res := run(t, rt, app, sandbox.Limits{}, "whoami")
	want := "uid=65534 euid=65534 gid=65534 capeff=0000000000000000 capbnd=0000000000000000 nnp=1\n"
	if res.Failure != "" || string(res.Stdout) != want {
		t.Fatalf("whoami of a setuid-root binary: %q (%s %s), want %q", res.Stdout, res.Failure, res.Reason, want)
	}
}

// A job may ask for root: uid 0, still without capabilities.
func TestRootOnRequest(t *testing.T) {
	rt := newRuntime(t, Config{})
	ctx := context.Background()
	task, err := rt.Start(ctx, sandbox.Spec{ID: "root", App: hostApp(t), Args: []string{"whoami"}, User: "root"})
	if err != nil {
		t.Fatal(err)
	}
	defer task.Delete(ctx)
	res, err := task.Wait(ctx)
	want := "uid=0 euid=0 gid=0 capeff=0000000000000000 capbnd=0000000000000000 nnp=1\n"
	if err != nil || string(res.Stdout) != want {
		t.Fatalf("whoami as root: %q %v, want %q", res.Stdout, err, want)
	}
	if _, err := rt.Start(ctx, sandbox.Spec{ID: "named", App: hostApp(t), User: "alice"}); err == nil {
		t.Error("a user name was accepted")
	}
}

// Inputs the agent links from its 0600 blob cache are readable by the
// task's user, and /in stays read-only.
func TestPrivateInputsReadable(t *testing.T) {
	rt := newRuntime(t, Config{})
	in := t.TempDir() // 0700
	if err := os.WriteFile(filepath.Join(in, "words.txt"), []byte("secret words\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	ctx := context.Background()
	task, err := rt.Start(ctx, sandbox.Spec{ID: "inputs", App: hostApp(t), Args: []string{"copy"}, InDir: in, OutDir: out})
	if err != nil {
		t.Fatal(err)
	}
	defer task.Delete(ctx)
	res, err := task.Wait(ctx)
	if err != nil || res.ExitCode != 0 || res.Failure != "" {
		t.Fatalf("copy: %+v %v", res, err)
	}
	if b, err := os.ReadFile(filepath.Join(out, "words.txt")); err != nil || string(b) != "secret words\n" {
		t.Errorf("out holds %q, %v", b, err)
	}
}

// What a contained process must not do, it cannot.
func TestConfinement(t *testing.T) {
	rt := newRuntime(t, Config{})
	res := run(t, rt, hostApp(t), sandbox.Limits{}, "escape")
	if res.Failure != "" || res.ExitCode != 0 {
		t.Fatalf("escape: %+v", res)
	}
	out := string(res.Stdout)
	t.Logf("escape:\n%s", out)
	for _, want := range []string{
		"write-root refused: open /hearth-escape: read-only file system",
		"mount refused: operation not permitted",
		"unshare-user refused: operation not permitted",
		"unshare-mount refused: operation not permitted",
		"setuid-0 refused: operation not permitted",
		"chroot refused: operation not permitted",
		"raw-socket refused: operation not permitted",
		"interfaces lo:up\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q", want)
		}
	}
	if strings.Contains(out, " ok\n") {
		t.Errorf("something worked that must not")
	}
}

// The container has no route to the host's own addresses.
func TestNoNetwork(t *testing.T) {
	rt := newRuntime(t, Config{})
	var addr string
	ifaces, _ := net.InterfaceAddrs()
	for _, a := range ifaces {
		if ip, ok := a.(*net.IPNet); ok && ip.IP.To4() != nil && !ip.IP.IsLoopback() {
			addr = ip.IP.String()
			break
		}
	}
	if addr == "" {
		addr = "127.0.0.1" // the host's loopback is another namespace's
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(addr, "0"))
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan struct{}, 1)
	go func() {
		if c, err := ln.Accept(); err == nil {
			c.Close()
			accepted <- struct{}{}
		}
	}()
	res := run(t, rt, hostApp(t), sandbox.Limits{}, "probe", "/etc/hostname", ln.Addr().String())
	if string(res.Stdout) != "sealed\n" {
		t.Errorf("probe of %s: %q", ln.Addr(), res.Stdout)
	}
	select {
	case <-accepted:
		t.Errorf("the task reached %s", ln.Addr())
	default:
	}
}

// A fork bomb stops at the pids limit, and the runtime goes on.
func TestForkBomb(t *testing.T) {
	rt := newRuntime(t, Config{PidsLimit: 24})
	app := hostApp(t)
	res := run(t, rt, app, sandbox.Limits{Timeout: time.Minute}, "forkbomb", "500")
	m := regexp.MustCompile(`started (\d+)\nerror (.*)\n`).FindStringSubmatch(string(res.Stdout))
	if m == nil {
		t.Fatalf("forkbomb: %q %q %s", res.Stdout, res.Stderr, res.Reason)
	}
	var n int
	fmt.Sscan(m[1], &n)
	if n >= 24 || !strings.Contains(m[2], "resource temporarily unavailable") {
		t.Errorf("started %d children (limit 24), stopped by %q", n, m[2])
	}
	t.Logf("fork bomb: %s children, then %s", m[1], m[2])
	if res := run(t, rt, app, sandbox.Limits{}, "exit", "0"); res.Failure != "" {
		t.Errorf("after the fork bomb: %+v", res)
	}
}

// A memory hog is killed by the kernel, reported as such, and the runtime
// runs the next task.
func TestOOMKill(t *testing.T) {
	rt := newRuntime(t, Config{})
	app := hostApp(t)
	res := run(t, rt, app, sandbox.Limits{MemoryBytes: 32 << 20}, "hog")
	if res.Failure != sandbox.FailMemory || !strings.Contains(res.Reason, "out of memory: the limit is 32 MiB") {
		t.Fatalf("hog: %+v", res)
	}
	if res := run(t, rt, app, sandbox.Limits{}, "exit", "0"); res.Failure != "" {
		t.Errorf("after the OOM kill: %+v", res)
	}
}

// An image without this device's platform fails at once, naming what it
// has.
func TestWrongPlatform(t *testing.T) {
	rt := newRuntime(t, Config{})
	other := "linux/s390x"
	app := sandboxtest.OCITestApp(t, other)
	begin := time.Now()
	err := rt.Prepare(context.Background(), app)
	if !errors.Is(err, ErrPlatform) || !errors.Is(err, sandbox.ErrBadApp) || !strings.Contains(err.Error(), "it has "+other) {
		t.Fatalf("Prepare = %v, want ErrPlatform naming %s", err, other)
	}
	if took := time.Since(begin); took > 5*time.Second {
		t.Errorf("failing took %v", took)
	}
	_, err = rt.Start(context.Background(), sandbox.Spec{ID: "wrong-platform", App: app})
	if !errors.Is(err, ErrPlatform) {
		t.Errorf("Start = %v, want ErrPlatform", err)
	}
	t.Log(err)
}

// A device may list several platforms; the first the image has wins.
func TestPlatformChoice(t *testing.T) {
	host := sandboxtest.HostPlatform()
	rt := newRuntime(t, Config{Platforms: []string{"linux/s390x", host}})
	res := run(t, rt, hostApp(t), sandbox.Limits{}, "exit", "3")
	if res.ExitCode != 3 {
		t.Fatalf("result %+v", res)
	}
	rt.mu.Lock()
	defer rt.mu.Unlock()
	for _, im := range rt.images {
		if im.platform != host {
			t.Errorf("image platform %s, want %s", im.platform, host)
		}
	}
}
