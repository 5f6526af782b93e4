package main

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hearth-home/hearth/agent"
	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/sandbox/sandboxtest"
)

// hearth job cancel stops a job that waits, says so, and refuses clearly
// to cancel it again or to cancel a job that does not exist.
func TestEndToEndCancel(t *testing.T) {
	_, env := startGateway(t)
	path := writeJob(t, "name: shards\nruntime: wasm\napp: app.wasm\ntasks: 3\n", map[string]string{"app.wasm": "module"})
	id := strings.TrimSpace(mustRun(t, env, 0, "job", "submit", path))

	out := mustRun(t, env, 0, "job", "cancel", id)
	if want := "job " + id + " canceled: 3 of 3 tasks will not run (0 done, 0 failed before)\n"; out != want {
		t.Errorf("cancel printed %q, want %q", out, want)
	}
	d := decodeJSON[api.JobDetail](t, mustRun(t, env, 0, "job", "get", id, "-o", "json"))
	if d.State != api.JobCanceled || d.Counts != (api.TaskCounts{Canceled: 3}) || d.Tasks[0].State != api.TaskCanceled {
		t.Errorf("job after cancel: %s %+v", d.State, d.Counts)
	}
	if out := mustRun(t, env, 0, "job", "get", id); !strings.Contains(lineWith(out, "State:"), "canceled") ||
		!strings.Contains(out, "3: 0 done, 0 leased, 0 queued, 0 failed, 3 canceled") {
		t.Errorf("job get:\n%s", out)
	}
	if row := strings.Fields(lineWith(mustRun(t, env, 0, "job", "ls"), id)); len(row) < 5 || row[2] != "canceled" || row[4] != "0/3" {
		t.Errorf("job ls row %q", row)
	}
	out = mustRun(t, env, 0, "job", "results", id, "--out", filepath.Join(t.TempDir(), "r"))
	if !strings.Contains(out, "no results: it was canceled before any task finished (3 tasks canceled)") {
		t.Errorf("results of the canceled job:\n%s", out)
	}

	_, errOut, code := runCLI(t, env, "job", "cancel", id)
	if code != exitFail || errOut != "hearth: job "+id+" has already finished (canceled): there is nothing left to cancel\n" {
		t.Errorf("second cancel: exit %d\n%s", code, errOut)
	}
	_, errOut, code = runCLI(t, env, "job", "cancel", "nope-9")
	if code != exitFail || !strings.Contains(errOut, `no job "nope-9" to cancel (`+"`hearth job ls`"+` lists the jobs)`) ||
		!strings.Contains(errOut, "not_found") {
		t.Errorf("cancel of an unknown job: exit %d\n%s", code, errOut)
	}

	// -o json prints the job as canceled.
	id = strings.TrimSpace(mustRun(t, env, 0, "job", "submit", path))
	j := decodeJSON[api.Job](t, mustRun(t, env, 0, "job", "cancel", id, "-o", "json"))
	if j.ID != id || j.State != api.JobCanceled || j.Counts.Canceled != 3 {
		t.Errorf("cancel -o json: %+v", j)
	}
}

// A job that is done cannot be canceled; its results stay.
func TestEndToEndCancelDoneJob(t *testing.T) {
	g, env := startGateway(t)
	node, _ := newScriptedNode(t, g, "plug", g.JoinToken().String())
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); node.work(ctx, t) }()
	t.Cleanup(func() { cancel(); wg.Wait() })

	path := writeJob(t, "name: shards\nruntime: wasm\napp: app.wasm\ntasks: 2\n", map[string]string{"app.wasm": "module"})
	id := strings.SplitN(mustRun(t, env, 0, "job", "submit", path, "--wait"), "\n", 2)[0]
	_, errOut, code := runCLI(t, env, "job", "cancel", id)
	if code != exitFail || errOut != "hearth: job "+id+" has already finished (done): there is nothing left to cancel\n" {
		t.Errorf("cancel of a done job: exit %d\n%s", code, errOut)
	}
	if d := decodeJSON[api.JobDetail](t, mustRun(t, env, 0, "job", "get", id, "-o", "json")); d.State != api.JobDone || d.Counts.Done != 2 {
		t.Errorf("done job after a refused cancel: %s %+v", d.State, d.Counts)
	}
}

// Canceling a job with a real agent: the tasks it runs are revoked at its
// next heartbeat and killed, their results dropped, and the queued ones
// are never handed out.
func TestEndToEndCancelWithAgent(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the sandbox test app for wasip1")
	}
	app, err := os.ReadFile(sandboxtest.WasmTestApp(t).Path)
	if err != nil {
		t.Fatal(err)
	}
	g, env := startGateway(t)
	var logs logBuffer
	startAgent(t, g, func(c *agent.Config) {
		c.Slots = 2
		c.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	})

	// Two tasks run (sleeping until their timeout), two wait.
	path := writeJob(t, "name: sleepers\nruntime: wasm\napp: app.wasm\ntasks: 4\nargs: [sleep]\nresources:\n  timeout: 5m\nretries: 0\n",
		map[string]string{"app.wasm": string(app)})
	id := strings.TrimSpace(mustRun(t, env, 0, "job", "submit", path))
	running := func() int {
		ms := decodeJSON[[]api.Member](t, mustRun(t, env, 0, "pool", "ls", "-o", "json"))
		if len(ms) != 1 {
			t.Fatalf("pool: %+v", ms)
		}
		return ms[0].Running
	}
	until(t, "two tasks running on the agent", 30*time.Second, func() bool {
		return running() == 2 && strings.Count(logs.String(), "task started") == 2
	})
	before := decodeJSON[api.JobDetail](t, mustRun(t, env, 0, "job", "get", id, "-o", "json"))
	var leases []string
	for _, task := range before.Tasks {
		if task.State == api.TaskLeased {
			leases = append(leases, fmt.Sprintf("%s/%d/%d", task.JobID, task.Index, task.Attempt))
		}
	}
	if len(leases) != 2 || before.Counts.Queued != 2 {
		t.Fatalf("before the cancel: %+v, leases %v", before.Counts, leases)
	}

	out := mustRun(t, env, 0, "job", "cancel", id)
	if !strings.Contains(out, "job "+id+" canceled: 4 of 4 tasks will not run") {
		t.Errorf("cancel: %s", out)
	}
	// The agent learns it at its next heartbeat, kills both tasks and
	// drops their results; it then reports nothing running.
	until(t, "the agent to stop the canceled tasks", 15*time.Second, func() bool {
		l := logs.String()
		for _, lease := range leases {
			if !hasLog(l, "gateway revoked a running lease; killing its task", lease) ||
				!hasLog(l, "task revoked by the gateway; result dropped", lease) {
				return false
			}
		}
		return running() == 0
	})
	// A few more heartbeats: nothing of the job starts again.
	time.Sleep(5 * time.Second)
	if n := strings.Count(logs.String(), "task started"); n != 2 {
		t.Errorf("%d tasks started in all, want the 2 that ran before the cancel:\n%s", n, logs.String())
	}
	d := decodeJSON[api.JobDetail](t, mustRun(t, env, 0, "job", "get", id, "-o", "json"))
	if d.State != api.JobCanceled || d.Counts != (api.TaskCounts{Canceled: 4}) {
		t.Errorf("job after the cancel: %s %+v", d.State, d.Counts)
	}
	for _, task := range d.Tasks {
		if task.State != api.TaskCanceled || task.Result != nil || task.Attempt != before.Tasks[task.Index].Attempt {
			t.Errorf("task %d after the cancel: %+v, before it %+v", task.Index, task, before.Tasks[task.Index])
		}
	}
	if ms := decodeJSON[[]api.Member](t, mustRun(t, env, 0, "pool", "ls", "-o", "json")); ms[0].Completed != 0 {
		t.Errorf("the agent completed %d tasks, want none", ms[0].Completed)
	}
}

func TestWriteCanceled(t *testing.T) {
	var b bytes.Buffer
	writeCanceled(&b, api.Job{ID: "vanity-7", State: api.JobCanceled, Spec: api.JobSpec{Tasks: 4},
		Counts: api.TaskCounts{Done: 1, Canceled: 3}})
	want := "job vanity-7 canceled: 3 of 4 tasks will not run (1 done, 0 failed before)\n" +
		"Results of the finished tasks: hearth job results vanity-7 --out DIR\n"
	if b.String() != want {
		t.Errorf("writeCanceled:\n%s\nwant:\n%s", b.String(), want)
	}
	d := sampleJob()
	d.State, d.Counts = api.JobCanceled, api.TaskCounts{Done: 1, Failed: 2, Canceled: 1}
	d.Tasks[3].State = api.TaskCanceled
	b.Reset()
	writeSummary(&b, d, testNow)
	if want := "job vanity-7 canceled: 1 of 4 tasks succeeded, 2 failed, 1 canceled, in 12.3s"; !strings.Contains(b.String(), want) {
		t.Errorf("summary lacks %q:\n%s", want, b.String())
	}
	if got, want := progressLine(d.Job, time.Second), "job vanity-7 canceled: 1/4 done, 0 leased, 0 queued, 2 failed, 1 canceled (1.0s)"; got != want {
		t.Errorf("progressLine = %q, want %q", got, want)
	}
}

// logBuffer collects what goroutines write (an agent's logs, a command's output).
type logBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// hasLog reports whether a log line holds msg and names lease.
func hasLog(logs, msg, lease string) bool {
	for _, line := range strings.Split(logs, "\n") {
		if strings.Contains(line, msg) && strings.Contains(line, "lease="+lease) {
			return true
		}
	}
	return false
}

// until polls cond until it holds, failing the test after within.
func until(t *testing.T, what string, within time.Duration, cond func() bool) {
	t.Helper()
	for start := time.Now(); !cond(); time.Sleep(100 * time.Millisecond) {
		if time.Since(start) > within {
			t.Fatalf("timed out after %s waiting for %s", within, what)
		}
	}
}
