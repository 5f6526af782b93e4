package main

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/hearth-home/hearth/gateway"
	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/sandbox/containerd"
	"github.com/hearth-home/hearth/sandbox/sandboxtest"
	"github.com/hearth-home/hearth/store"
)

// TestSIGKILL kills the agent binary with SIGKILL while it holds a result
// its gateway (down at that moment) has not acknowledged and runs a task,
// and starts it again: no result is lost, the unsent one is delivered, and
// the task that died with the process is reported lost and run again.
func TestSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the agent binary")
	}
	bin := filepath.Join(t.TempDir(), "hearth-agent")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	gwDir, agentDir := t.TempDir(), t.TempDir()
	gw := runGateway(t, gwDir)
	tokenFile := filepath.Join(t.TempDir(), "token")
	os.WriteFile(tokenFile, []byte(gw.JoinToken().String()+"\n"), 0o600)

	a := startBinary(t, bin, "--data-dir", agentDir, "--join", gw.Addr().String(), "--token-file", tokenFile, "--slots", "2")
	app, err := os.ReadFile(sandboxtest.WasmTestApp(t).Path)
	if err != nil {
		t.Fatal(err)
	}
	admin := gw.admin
	d := store.DigestOf(app)
	if err := admin.PutBlob(context.Background(), string(d), bytes.NewReader(app), int64(len(app))); err != nil {
		t.Fatal(err)
	}
	job, err := admin.SubmitJob(context.Background(), api.JobSpec{Name: "kill", Runtime: "wasm", AppDigest: string(d), Tasks: 3, Args: []string{"spin", "{{index}}s"}})
	if err != nil {
		t.Fatal(err)
	}
	// Two slots: task 0 (0s) is done and acknowledged at once, task 2 (2s)
	// takes its slot; then the gateway goes away, task 1 (1s) finishes into
	// the outbox, and the agent is killed while task 2 runs.
	waitUntil(t, "the third task to start", func() bool { return a.count("task started") == 3 })
	waitUntil(t, "the first result to be acknowledged", func() bool { return jobOf(t, admin, job.ID).Counts.Done == 1 })
	gw.stop()
	waitUntil(t, "the second task to finish", func() bool { return a.count("task finished") == 2 })
	a.kill()

	db, err := store.Open(filepath.Join(agentDir, "agent.db"))
	if err != nil {
		t.Fatal(err)
	}
	var outbox, handles int
	db.View(func(tx *store.Tx) error {
		outbox, handles = tx.Count("outbox"), tx.Count("handles")
		return nil
	})
	db.Close()
	// The first result may still be there too: the gateway took it, but
	// went down before the agent had its ack. It goes again, and the
	// gateway acks it as a duplicate.
	if outbox < 1 || outbox > 2 || handles != 1 {
		t.Fatalf("after SIGKILL the store holds %d unsent results and %d task handles, want 1 (or 2) and 1", outbox, handles)
	}

	gw = runGatewayAgain(t, gw)
	startBinary(t, bin, "--data-dir", agentDir, "--join", gw.Addr().String(), "--token-file", tokenFile, "--slots", "1")
	waitUntil(t, "the job to finish", func() bool { return jobOf(t, gw.admin, job.ID).State != api.JobRunning })
	detail := jobOf(t, gw.admin, job.ID)
	if detail.State != api.JobDone {
		t.Fatalf("job %s: %+v", detail.State, detail.Tasks)
	}
	attempts := []int{}
	for _, task := range detail.Tasks {
		attempts = append(attempts, task.Attempt)
	}
	if want := []int{1, 1, 2}; !slices.Equal(attempts, want) {
		t.Fatalf("attempts %v, want %v (the killed task lost and run again): %+v", attempts, want, detail.Tasks)
	}
	if !strings.Contains(strings.Join(detail.Tasks[2].History, " "), "lost") {
		t.Errorf("the killed task's history does not say lost: %q", detail.Tasks[2].History)
	}
}

// TestSIGKILLContainer kills the agent with SIGKILL while a container task
// runs, and starts it again: the new process finds the container, collects
// its result, and the task finishes in its first attempt, not lost.
func TestSIGKILLContainer(t *testing.T) {
	sock := os.Getenv(containerd.SocketEnv)
	if sock == "" || os.Getuid() != 0 {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI runs this as root with %s set", containerd.SocketEnv)
		}
		t.Skipf("needs root and %s (scripts/containerd.sh)", containerd.SocketEnv)
	}
	bin := filepath.Join(t.TempDir(), "hearth-agent")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	gw := runGateway(t, t.TempDir())
	agentDir := t.TempDir()
	ns := "hearth-kill-test-" + strconv.Itoa(os.Getpid())
	args := []string{"--data-dir", agentDir, "--join", gw.Addr().String(), "--token", gw.JoinToken().String(),
		"--containerd", sock, "--containerd-namespace", ns}
	a := startBinary(t, bin, args...)
	t.Cleanup(func() { containerd.RemoveNamespace(context.Background(), sock, ns) })

	app, err := os.ReadFile(sandboxtest.OCITestApp(t, sandboxtest.HostPlatform()).Path)
	if err != nil {
		t.Fatal(err)
	}
	d := store.DigestOf(app)
	ctx := context.Background()
	if err := gw.admin.PutBlob(ctx, string(d), bytes.NewReader(app), int64(len(app))); err != nil {
		t.Fatal(err)
	}
	job, err := gw.admin.SubmitJob(ctx, api.JobSpec{Name: "kill-oci", Runtime: "oci", AppDigest: string(d),
		Args: []string{"exit", "5", "3s"}})
	if err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "the container to start", func() bool { return a.count("task started") == 1 })
	a.kill()
	startBinary(t, bin, args...)
	waitUntil(t, "the job to finish", func() bool { return jobOf(t, gw.admin, job.ID).State != api.JobRunning })
	task := jobOf(t, gw.admin, job.ID).Tasks[0]
	r := task.Result
	if task.Attempt != 1 || r == nil || r.ExitCode != 5 || string(r.Stdout) != "out\n" || string(r.Stderr) != "err\n" {
		t.Fatalf("task after the restart: attempt %d, result %+v, history %q", task.Attempt, r, task.History)
	}
	if r.WallMilli < 3000 {
		t.Errorf("wall %d ms for a task that sleeps 3 s", r.WallMilli)
	}
	// The container is gone once its result was delivered.
	waitUntil(t, "the container to be removed", func() bool {
		out, _ := exec.Command("ctr", "--address", sock, "-n", ns, "containers", "ls", "-q").Output()
		return strings.TrimSpace(string(out)) == ""
	})
}

type testGateway struct {
	*gateway.Gateway
	dir    string
	admin  *api.Admin
	cancel context.CancelFunc
	done   chan error
}

func runGateway(t *testing.T, dir string) *testGateway {
	t.Helper()
	g, err := gateway.New(gateway.Config{DataDir: dir, Listen: "127.0.0.1:0", Heartbeat: 200 * time.Millisecond,
		LeaseTTL: time.Minute, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	tg := &testGateway{Gateway: g, dir: dir, cancel: cancel, done: make(chan error, 1)}
	go func() { tg.done <- g.Run(ctx) }()
	if tg.admin, err = api.NewAdminClient(g.Credentials()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(tg.stop)
	return tg
}

func runGatewayAgain(t *testing.T, old *testGateway) *testGateway {
	old.stop()
	return runGateway(t, old.dir)
}

func (tg *testGateway) stop() {
	if tg.cancel != nil {
		tg.cancel()
		<-tg.done
		tg.cancel = nil
	}
}

// process is the agent binary running, its JSON log collected.
type process struct {
	cmd *exec.Cmd
	mu  sync.Mutex
	log bytes.Buffer
}

func startBinary(t *testing.T, bin string, args ...string) *process {
	t.Helper()
	p := &process{}
	p.cmd = exec.Command(bin, append(args, "--log-format", "json", "--log-level", "debug")...)
	p.cmd.Stderr = p
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		p.cmd.Process.Signal(syscall.SIGTERM)
		p.cmd.Wait()
		if t.Failed() {
			t.Logf("agent log:\n%s", p.String())
		}
	})
	return p
}

func (p *process) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.log.Write(b)
}

func (p *process) String() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.log.String()
}

// count is the number of log lines with message msg.
func (p *process) count(msg string) int {
	n := 0
	for _, line := range strings.Split(p.String(), "\n") {
		var rec struct{ Msg string }
		if json.Unmarshal([]byte(line), &rec) == nil && rec.Msg == msg {
			n++
		}
	}
	return n
}

func (p *process) kill() {
	p.cmd.Process.Signal(syscall.SIGKILL)
	p.cmd.Wait()
}

func jobOf(t *testing.T, c *api.Admin, id string) api.JobDetail {
	t.Helper()
	d, err := c.Job(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
