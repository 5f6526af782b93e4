package market_test

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/gateway/contracts"
	"github.com/hearth-home/hearth/gateway/market"
	"github.com/hearth-home/hearth/internal/ociimage"
	"github.com/hearth-home/hearth/sandbox/containerd"
	"github.com/hearth-home/hearth/sandbox/sandboxtest"
	"github.com/hearth-home/hearth/store"
)

// An order whose app cannot run in the pool is refused before it is
// accepted, saying why, and stays open on chain for its requester to
// reclaim; an app is checked once, however many orders name it.
func TestAppChecked(t *testing.T) {
	var logs syncBuffer
	r := newRig(t, market.Config{Logger: slog.New(slog.NewTextHandler(&logs, nil))}, nil)
	garbage := []byte("this is not a program\n")
	cases := []refusal{
		{"wasm garbage", order{price: 10, tasks: 1, app: garbage}, "not a WebAssembly module that compiles"},
		{"wasm garbage again", order{price: 10, tasks: 2, app: garbage}, "not a WebAssembly module that compiles"},
		{"no WASI command", order{price: 10, tasks: 1, app: sandboxtest.TinyModule(1, false)}, "not a WASI command"},
		{"more memory than a task has", order{price: 10, tasks: 1, app: sandboxtest.TinyModule(2048, true)}, "starts with 128 MiB of memory"},
		{"oci garbage", order{price: 10, tasks: 1, runtime: contracts.RuntimeOCI, app: garbage}, "not an OCI image archive"},
	}
	r.expectRefused(t, cases)
	r.t = t
	d := string(store.DigestOf(garbage))
	if n := strings.Count(logs.String(), `msg="app checked" app=`+d+" runtime=wasm"); n != 1 {
		t.Errorf("app %s checked %d times for two orders, want once:\n%s", d, n, logs.String())
	}
	// A valid app still passes: TestOrderRunsAndSettles.
}

// An oci order whose image has no platform that a ready device runs is
// refused; one with an image for the device's platform runs. It needs a
// real containerd (scripts/containerd.sh start).
func TestOCIPlatforms(t *testing.T) {
	sock := containerdSocket(t)
	r := newRig(t, market.Config{}, nil)
	ns := "hearth-market-test-" + strconv.Itoa(os.Getpid())
	rt, err := containerd.New(context.Background(), containerd.Config{Socket: sock, Namespace: ns, StateDir: t.TempDir()})
	if err != nil && strings.Contains(err.Error(), "dynamically linked") && os.Getenv("CI") == "" {
		t.Skipf("%v (make test does)", err) // the test binary is the containers' init
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		rt.Close()
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if _, _, err := containerd.RemoveNamespace(ctx, sock, ns); err != nil {
			t.Logf("remove namespace %s: %v", ns, err)
		}
	})
	r.startAgent("oci-agent", rt)
	for start := time.Now(); !r.g.Capacity().Runs("oci", nil); time.Sleep(50 * time.Millisecond) {
		if time.Since(start) > 30*time.Second {
			t.Fatalf("no ready device runs oci: %+v", r.g.Capacity())
		}
	}

	foreign := "linux/s390x"
	if strings.HasPrefix(sandboxtest.HostPlatform(), foreign) {
		foreign = "linux/ppc64le"
	}
	id := r.post(order{price: 10, tasks: 1, runtime: contracts.RuntimeOCI, app: packImage(t, foreign)})
	o := r.wait(id, 30*time.Second)
	if o.State != api.OrderRefused || !strings.Contains(o.Reason, "has images for "+foreign+"; no ready device of the pool runs one") {
		t.Fatalf("order %d for %s: %s (%s); want refused for its platform", id, foreign, o.State, o.Reason)
	}
	if s := r.onChain(id).Status; s != contracts.StatusOpen {
		t.Errorf("on chain: status %d, want still open", s)
	}

	app, err := os.ReadFile(sandboxtest.OCITestApp(t, sandboxtest.HostPlatform()).Path)
	if err != nil {
		t.Fatal(err)
	}
	id = r.post(order{price: 10, tasks: 1, runtime: contracts.RuntimeOCI, app: app, args: []string{"echo", "hi"}})
	o = r.wait(id, 2*time.Minute)
	if o.State != api.OrderSettled || o.TasksDone != 1 {
		t.Fatalf("order %d for the host's platform: %s (%s), %d tasks done; want settled, 1", id, o.State, o.Reason, o.TasksDone)
	}
}

// containerdSocket is the private containerd the tests may use, as the
// sandbox/containerd tests find it; without one the test skips, except in
// CI.
func containerdSocket(t *testing.T) string {
	t.Helper()
	s := os.Getenv(containerd.SocketEnv)
	switch {
	case s == "" && os.Getenv("CI") != "":
		t.Fatalf("%s is not set: CI must run the containerd tests (scripts/containerd.sh start)", containerd.SocketEnv)
	case s == "":
		t.Skipf("%s is not set: start a private containerd with scripts/containerd.sh start", containerd.SocketEnv)
	case os.Getuid() != 0:
		t.Skip("containerd tasks need root")
	}
	return s
}

// packImage is an OCI image archive for platform whose binary never runs.
func packImage(t *testing.T, platform string) []byte {
	t.Helper()
	p, err := ociimage.ParsePlatform(platform)
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "app")
	if err := os.WriteFile(bin, []byte("binary for "+platform), 0o755); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := ociimage.Pack(&buf, "/app", map[ociimage.Platform]string{p: bin}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// syncBuffer collects a logger's output for a test to read.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
