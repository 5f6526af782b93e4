package agent

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hearth-home/hearth/gateway"
	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/internal/tarball"
	"github.com/hearth-home/hearth/sandbox"
	"github.com/hearth-home/hearth/sandbox/sandboxtest"
	"github.com/hearth-home/hearth/sandbox/wasm"
	"github.com/hearth-home/hearth/store"
)

// The tests run the real gateway in-process, real agents with bbolt in
// t.TempDir() and the real wasm runtime, talking TLS over loopback.

// testTiming shortens the agent's intervals so that the tests are quick.
var testTiming = timing{
	pendingRetry:     50 * time.Millisecond,
	refusedRetry:     100 * time.Millisecond,
	maxBackoff:       200 * time.Millisecond,
	leaseWait:        2 * time.Second,
	heartbeatFloor:   10 * time.Millisecond,
	discoverPatience: time.Second,
	speedBudget:      30 * time.Millisecond,
}

// wasmCache is shared by every runtime of the tests, so the test app is
// compiled once (wazero keys its cache by module and version).
var wasmCache = func() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		dir = os.TempDir()
	}
	return filepath.Join(dir, "hearth-agent-test-wasm")
}()

// logs collects a component's log lines, and shows them when a test fails.
type logs struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func newLogs(t *testing.T, name string) (*logs, *slog.Logger) {
	l := &logs{}
	t.Cleanup(func() {
		if t.Failed() || os.Getenv("HEARTH_TEST_LOGS") != "" {
			t.Logf("%s log:\n%s", name, l.String())
		}
	})
	return l, slog.New(slog.NewTextHandler(l, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

func (l *logs) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logs) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// waitLog waits until a line containing every part has been logged.
func (l *logs) waitLog(t *testing.T, within time.Duration, parts ...string) string {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		for _, line := range strings.Split(l.String(), "\n") {
			ok := true
			for _, p := range parts {
				ok = ok && strings.Contains(line, p)
			}
			if ok {
				return line
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no log line with %q within %v", parts, within)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

type testGateway struct {
	*gateway.Gateway
	t      *testing.T
	dir    string
	cfg    gateway.Config
	admin  *api.Admin
	logs   *logs
	cancel context.CancelFunc
	done   chan error
}

// startGateway runs a gateway on a loopback port with its state in dir.
func startGateway(t *testing.T, dir string, cfg gateway.Config) *testGateway {
	t.Helper()
	if cfg.Heartbeat == 0 {
		cfg.Heartbeat = 200 * time.Millisecond
	}
	tg := &testGateway{t: t, dir: dir, cfg: cfg}
	tg.logs, cfg.Logger = newLogs(t, "gateway")
	tg.start()
	t.Cleanup(tg.stop)
	return tg
}

func (tg *testGateway) start() {
	tg.t.Helper()
	cfg := tg.cfg
	cfg.DataDir, cfg.Logger = tg.dir, slog.New(slog.NewTextHandler(tg.logs, nil))
	if cfg.Listen == "" {
		cfg.Listen = "127.0.0.1:0"
	}
	g, err := gateway.New(cfg)
	if err != nil {
		tg.t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	tg.Gateway, tg.cancel, tg.done = g, cancel, make(chan error, 1)
	go func() { tg.done <- g.Run(ctx) }()
	if tg.admin, err = api.NewAdminClient(g.Credentials()); err != nil {
		tg.t.Fatal(err)
	}
}

func (tg *testGateway) stop() {
	if tg.cancel != nil {
		tg.cancel()
		if err := <-tg.done; err != nil {
			tg.t.Errorf("gateway Run: %v", err)
		}
		tg.cancel = nil
		tg.admin.Close()
	}
}

func (tg *testGateway) addr() string { return tg.Addr().String() }

// upload gives the gateway a blob and returns its digest.
func (tg *testGateway) upload(b []byte) string {
	tg.t.Helper()
	d := string(store.DigestOf(b))
	if err := tg.admin.PutBlob(context.Background(), d, bytes.NewReader(b), int64(len(b))); err != nil {
		tg.t.Fatal(err)
	}
	return d
}

// submit uploads app and submits spec running it.
func (tg *testGateway) submit(app []byte, spec api.JobSpec) api.Job {
	tg.t.Helper()
	spec.AppDigest = tg.upload(app)
	if spec.Runtime == "" {
		spec.Runtime = "wasm"
	}
	j, err := tg.admin.SubmitJob(context.Background(), spec)
	if err != nil {
		tg.t.Fatal(err)
	}
	return j
}

// waitJob waits until the job is finished.
func (tg *testGateway) waitJob(id string, within time.Duration) api.JobDetail {
	tg.t.Helper()
	deadline := time.Now().Add(within)
	for {
		// The job list carries counts only, so that polling it costs the
		// pool little even for a job of many tasks.
		jobs, err := tg.admin.Jobs(context.Background())
		if err != nil {
			tg.t.Fatal(err)
		}
		i := slices.IndexFunc(jobs, func(j api.Job) bool { return j.ID == id })
		if i < 0 {
			tg.t.Fatalf("no job %s", id)
		}
		if jobs[i].State != api.JobRunning {
			return tg.job(id)
		}
		if time.Now().After(deadline) {
			tg.t.Fatalf("job %s not finished within %v: %+v", id, within, jobs[i].Counts)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (tg *testGateway) job(id string) api.JobDetail {
	tg.t.Helper()
	d, err := tg.admin.Job(context.Background(), id)
	if err != nil {
		tg.t.Fatal(err)
	}
	return d
}

// blob downloads a blob from the gateway.
func (tg *testGateway) blob(digest string) []byte {
	tg.t.Helper()
	var b bytes.Buffer
	if _, err := tg.admin.GetBlob(context.Background(), digest, &b); err != nil {
		tg.t.Fatal(err)
	}
	return b.Bytes()
}

type testAgent struct {
	*Agent
	t      *testing.T
	logs   *logs
	cancel context.CancelFunc
	done   chan error
}

// testApp is the sandbox suite's program as a WASI module.
func testApp(t *testing.T) []byte {
	t.Helper()
	app := sandboxtest.WasmTestApp(t)
	b, err := os.ReadFile(app.Path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// newRuntime is a wasm runtime closed when the test ends.
func newRuntime(t *testing.T) *wasm.Runtime {
	t.Helper()
	rt, err := wasm.New(wasm.Config{CacheDir: wasmCache})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rt.Close() })
	return rt
}

// startAgent runs an agent; a nil Runtimes gets a fresh wasm runtime.
func startAgent(t *testing.T, cfg Config) *testAgent {
	t.Helper()
	if cfg.DataDir == "" {
		cfg.DataDir = t.TempDir()
	}
	if cfg.Runtimes == nil {
		cfg.Runtimes = []sandbox.Runtime{newRuntime(t)}
	}
	if cfg.Slots == 0 {
		cfg.Slots = 2
	}
	ta := &testAgent{t: t}
	ta.logs, cfg.Logger = newLogs(t, "agent "+filepath.Base(cfg.DataDir))
	a, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	a.timing = testTiming
	ctx, cancel := context.WithCancel(context.Background())
	ta.Agent, ta.cancel, ta.done = a, cancel, make(chan error, 1)
	go func() { ta.done <- a.Run(ctx) }()
	t.Cleanup(ta.stop)
	return ta
}

// stop ends Run and closes the store, as a process exit would.
func (ta *testAgent) stop() {
	if ta.cancel == nil {
		return
	}
	ta.cancel()
	select {
	case err := <-ta.done:
		if err != nil {
			ta.t.Errorf("agent Run: %v", err)
		}
	case <-time.After(10 * time.Second):
		ta.t.Fatal("agent Run did not return within 10s of its context ending")
	}
	ta.cancel = nil
	if err := ta.Close(); err != nil {
		ta.t.Errorf("agent Close: %v", err)
	}
}

// unpack lists an output archive's files and contents.
func unpack(t *testing.T, archive []byte) map[string]string {
	t.Helper()
	dir := t.TempDir()
	names, err := tarball.Unpack(bytes.NewReader(archive), dir, 0)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil {
			t.Fatal(err)
		}
		out[n] = string(b)
	}
	return out
}

// startedTasks counts the agent's leases whose task is running in the
// sandbox (past fetching and starting).
func startedTasks(a *Agent) int {
	a.work.mu.Lock()
	defer a.work.mu.Unlock()
	n := 0
	for _, w := range a.work.m {
		w.mu.Lock()
		if w.task != nil {
			n++
		}
		w.mu.Unlock()
	}
	return n
}
