package sandboxtest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/hearth-home/hearth/internal/ociimage"
	"github.com/hearth-home/hearth/sandbox"
)

// ContainerConfig is what the confinement tests ask of a container
// runtime's factory beside its defaults.
type ContainerConfig struct {
	// PidsLimit, when not 0, caps a task's processes.
	PidsLimit int64
	// Platforms, when set, are the platforms the runtime runs, best first.
	Platforms []string
}

// RunContainers checks that a container runtime confines its tasks as
// docs/security.md says, whatever runs them (containerd or runc alone):
// they run as nobody with no capabilities and no way to gain any, cannot
// write their root, mount, unshare, chroot or open raw sockets, reach no
// network, stop at the pids and memory limits, and an image for another
// platform fails at once. errPlatform is the error the runtime's Prepare
// wraps for that.
func RunContainers(t *testing.T, factory func(t *testing.T, cfg ContainerConfig) sandbox.Runtime, errPlatform error) {
	for _, c := range []struct {
		name string
		run  func(t *testing.T, rt func(ContainerConfig) sandbox.Runtime)
	}{
		{"Unprivileged", testUnprivileged},
		{"SetuidGainsNothing", testSetuidGainsNothing},
		{"RootOnRequest", testRootOnRequest},
		{"PrivateInputsReadable", testPrivateInputsReadable},
		{"Confinement", testConfinement},
		{"NoNetwork", testNoNetwork},
		{"ForkBomb", testForkBomb},
		{"OOMKill", testOOMKill},
		{"WrongPlatform", func(t *testing.T, rt func(ContainerConfig) sandbox.Runtime) { testWrongPlatform(t, rt, errPlatform) }},
		{"PlatformChoice", testPlatformChoice},
	} {
		t.Run(c.name, func(t *testing.T) {
			c.run(t, func(cfg ContainerConfig) sandbox.Runtime { return factory(t, cfg) })
		})
	}
}

// RunTask starts a task of app and waits for its result, then deletes it.
func RunTask(t *testing.T, rt sandbox.Runtime, app sandbox.App, lim sandbox.Limits, args ...string) sandbox.Result {
	t.Helper()
	return RunSpec(t, rt, sandbox.Spec{ID: fmt.Sprintf("%s-%d", strings.ReplaceAll(t.Name(), "/", "-"), taskSeq.Add(1)), App: app, Args: args, Limits: lim})
}

// RunSpec starts a task and waits for its result, then deletes it.
func RunSpec(t *testing.T, rt sandbox.Runtime, spec sandbox.Spec) sandbox.Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
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

// PackTestApp packs the test app for the host with opts (an entry point,
// a file mode) as an image archive.
func PackTestApp(t *testing.T, opts ociimage.Options) sandbox.App {
	t.Helper()
	bin := BuildTestApp(t, "linux", runtime.GOARCH)
	host, err := ociimage.ParsePlatform(HostPlatform())
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), strings.Trim(opts.Entrypoint, "/")+".tar")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := opts.Pack(f, map[ociimage.Platform]string{host: bin}); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return FileApp(t, p)
}

func hostApp(t *testing.T) sandbox.App { return OCITestApp(t, HostPlatform()) }

const nobody = "uid=65534 euid=65534 gid=65534 capeff=0000000000000000 capbnd=0000000000000000 nnp=1\n"

// The task runs as nobody, with no capabilities and no way to gain any.
func testUnprivileged(t *testing.T, rt func(ContainerConfig) sandbox.Runtime) {
	res := RunTask(t, rt(ContainerConfig{}), hostApp(t), sandbox.Limits{}, "whoami")
	if res.Failure != "" || string(res.Stdout) != nobody {
		t.Fatalf("whoami: %q (%s %s), want %q", res.Stdout, res.Failure, res.Reason, nobody)
	}
}

// A setuid-root program gains nothing: no-new-privileges keeps the
// caller's ids, and there are no capabilities to gain.
func testSetuidGainsNothing(t *testing.T, rt func(ContainerConfig) sandbox.Runtime) {
	app := PackTestApp(t, ociimage.Options{Entrypoint: "/setuid", Mode: 0o4755})
	res := RunTask(t, rt(ContainerConfig{}), app, sandbox.Limits{}, "whoami")
	if res.Failure != "" || string(res.Stdout) != nobody {
		t.Fatalf("whoami of a setuid-root binary: %q (%s %s), want %q", res.Stdout, res.Failure, res.Reason, nobody)
	}
}

// A job may ask for root: uid 0, still without capabilities.
func testRootOnRequest(t *testing.T, mk func(ContainerConfig) sandbox.Runtime) {
	rt := mk(ContainerConfig{})
	ctx := context.Background()
	id := fmt.Sprintf("root-%d", taskSeq.Add(1))
	task, err := rt.Start(ctx, sandbox.Spec{ID: id, App: hostApp(t), Args: []string{"whoami"}, User: "root"})
	if err != nil {
		t.Fatal(err)
	}
	defer task.Delete(ctx)
	res, err := task.Wait(ctx)
	want := "uid=0 euid=0 gid=0 capeff=0000000000000000 capbnd=0000000000000000 nnp=1\n"
	if err != nil || string(res.Stdout) != want {
		t.Fatalf("whoami as root: %q %v, want %q", res.Stdout, err, want)
	}
	if _, err := rt.Start(ctx, sandbox.Spec{ID: id + "-named", App: hostApp(t), User: "alice"}); err == nil {
		t.Error("a user name was accepted")
	}
}

// Inputs the agent links from its 0600 blob cache are readable by the
// task's user, and /in stays read-only.
func testPrivateInputsReadable(t *testing.T, mk func(ContainerConfig) sandbox.Runtime) {
	rt := mk(ContainerConfig{})
	in := t.TempDir() // 0700
	if err := os.WriteFile(filepath.Join(in, "words.txt"), []byte("secret words\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	ctx := context.Background()
	task, err := rt.Start(ctx, sandbox.Spec{ID: fmt.Sprintf("inputs-%d", taskSeq.Add(1)), App: hostApp(t), Args: []string{"copy"}, InDir: in, OutDir: out})
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
func testConfinement(t *testing.T, mk func(ContainerConfig) sandbox.Runtime) {
	res := RunTask(t, mk(ContainerConfig{}), hostApp(t), sandbox.Limits{}, "escape")
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
func testNoNetwork(t *testing.T, mk func(ContainerConfig) sandbox.Runtime) {
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
	res := RunTask(t, mk(ContainerConfig{}), hostApp(t), sandbox.Limits{}, "probe", "/etc/hostname", ln.Addr().String())
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
func testForkBomb(t *testing.T, mk func(ContainerConfig) sandbox.Runtime) {
	rt := mk(ContainerConfig{PidsLimit: 24})
	app := hostApp(t)
	res := RunTask(t, rt, app, sandbox.Limits{Timeout: time.Minute}, "forkbomb", "500")
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
	if res := RunTask(t, rt, app, sandbox.Limits{}, "exit", "0"); res.Failure != "" {
		t.Errorf("after the fork bomb: %+v", res)
	}
}

// A memory hog is killed by the kernel, reported as such, and the runtime
// runs the next task.
func testOOMKill(t *testing.T, mk func(ContainerConfig) sandbox.Runtime) {
	rt := mk(ContainerConfig{})
	app := hostApp(t)
	res := RunTask(t, rt, app, sandbox.Limits{MemoryBytes: 32 << 20}, "hog")
	if res.Failure != sandbox.FailMemory || !strings.Contains(res.Reason, "out of memory: the limit is 32 MiB") {
		t.Fatalf("hog: %+v", res)
	}
	if res := RunTask(t, rt, app, sandbox.Limits{}, "exit", "0"); res.Failure != "" {
		t.Errorf("after the OOM kill: %+v", res)
	}
}

// An image without this device's platform fails at once, naming what it
// has.
func testWrongPlatform(t *testing.T, mk func(ContainerConfig) sandbox.Runtime, errPlatform error) {
	rt := mk(ContainerConfig{})
	other := "linux/s390x"
	app := OCITestApp(t, other)
	begin := time.Now()
	err := rt.Prepare(context.Background(), app)
	if !errors.Is(err, errPlatform) || !errors.Is(err, sandbox.ErrBadApp) || !strings.Contains(err.Error(), "it has "+other) {
		t.Fatalf("Prepare = %v, want %v naming %s", err, errPlatform, other)
	}
	if took := time.Since(begin); took > 5*time.Second {
		t.Errorf("failing took %v", took)
	}
	_, err = rt.Start(context.Background(), sandbox.Spec{ID: fmt.Sprintf("wrong-platform-%d", taskSeq.Add(1)), App: app})
	if !errors.Is(err, errPlatform) {
		t.Errorf("Start = %v, want %v", err, errPlatform)
	}
	t.Log(err)
}

// A device may list several platforms; the first the image has wins.
func testPlatformChoice(t *testing.T, mk func(ContainerConfig) sandbox.Runtime) {
	rt := mk(ContainerConfig{Platforms: []string{"linux/s390x", HostPlatform()}})
	res := RunTask(t, rt, hostApp(t), sandbox.Limits{}, "exit", "3")
	if res.ExitCode != 3 {
		t.Fatalf("result %+v", res)
	}
}

// TimeTask runs one task that must exit 0 and returns how long Start,
// Wait and Delete took, for the runtimes' benchmarks.
func TimeTask(b *testing.B, rt sandbox.Runtime, spec sandbox.Spec) [3]time.Duration {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var took [3]time.Duration
	begin := time.Now()
	task, err := rt.Start(ctx, spec)
	if err != nil {
		b.Fatal(err)
	}
	took[0] = time.Since(begin)
	begin = time.Now()
	res, err := task.Wait(ctx)
	if err != nil || res.ExitCode != 0 || res.Failure != "" {
		b.Fatalf("result %+v, %v", res, err)
	}
	took[1] = time.Since(begin)
	begin = time.Now()
	if err := task.Delete(ctx); err != nil {
		b.Fatal(err)
	}
	took[2] = time.Since(begin)
	return took
}
