package agent

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hearth-home/hearth/gateway"
	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/sandbox"
	"github.com/hearth-home/hearth/store"
)

// A token pairs the agent by itself; each task gets its input, runs, and its
// result (stdout, /out archive, digest) reaches the gateway.
func TestJoinTokenPairsAndRuns(t *testing.T) {
	gw := startGateway(t, t.TempDir(), gateway.Config{})
	ag := startAgent(t, Config{Gateway: gw.addr(), JoinToken: gw.JoinToken().String(), Name: "kitchen-pi"})

	input := []byte("hello from the gateway\n")
	in := gw.upload(input)
	j := gw.submit(testApp(t), api.JobSpec{
		Name: "copy", Tasks: 3, Args: []string{"copy"},
		Inputs: []api.Input{{Name: "greeting.txt", Digest: in, Size: int64(len(input))}},
	})
	d := gw.waitJob(j.ID, 60*time.Second)
	if d.State != api.JobDone {
		t.Fatalf("job %s: %+v", d.State, d.Tasks)
	}
	for _, task := range d.Tasks {
		r := task.Result
		if r == nil || r.ExitCode != 0 || r.Failure != "" {
			t.Fatalf("task %d: %+v", task.Index, r)
		}
		if string(r.Stdout) != "copied greeting.txt\n" {
			t.Errorf("task %d stdout %q", task.Index, r.Stdout)
		}
		if want := api.ResultDigest(r); r.Digest != want {
			t.Errorf("task %d digest %s, want %s", task.Index, r.Digest, want)
		}
		if r.Node != ag.ID().String() {
			t.Errorf("task %d ran on %s", task.Index, r.Node)
		}
		files := unpack(t, gw.blob(r.Output.Digest))
		if len(files) != 1 || files["greeting.txt"] != string(input) {
			t.Errorf("task %d /out = %q", task.Index, files)
		}
	}
	// The app and the input were fetched once for three tasks.
	if n := ag.cache.fetched.Load(); n != 2 {
		t.Errorf("%d blob fetches for 3 tasks sharing an app and an input, want 2", n)
	}
	members, err := gw.admin.Members(context.Background())
	if err != nil || len(members) != 1 || members[0].ID != ag.ID().String() || members[0].Node.Name != "kitchen-pi" {
		t.Fatalf("members %+v, %v", members, err)
	}
	if !ag.pin.pairedBefore() {
		t.Error("the token's gateway is not remembered as paired")
	}
	// Nothing is left behind on the agent: no handles, no results, no
	// working directories, no output archives.
	waitFor(t, 2*time.Second, "the outbox to empty", func() bool { return ag.journal.unsentCount() == 0 })
	if hs, _ := ag.journal.handles(); len(hs) != 0 {
		t.Errorf("handles left: %+v", hs)
	}
	if left, _ := filepath.Glob(filepath.Join(ag.workRoot, "*")); len(left) != 0 {
		t.Errorf("work dirs left: %v", left)
	}
	// An archive goes after its result left the outbox (acked drops the
	// result first, so that a failed drop keeps the archive to send again).
	outputsLeft := func() []int {
		var left []int
		for _, task := range d.Tasks {
			if ag.blobs.Has(store.Digest(task.Result.Output.Digest)) {
				left = append(left, task.Index)
			}
		}
		return left
	}
	deadline := time.Now().Add(2 * time.Second)
	for len(outputsLeft()) > 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	for _, i := range outputsLeft() {
		t.Errorf("output archive of task %d still on the agent", i)
	}
}

// A task's own failure is a result like any other, with its output.
func TestFailingTaskReported(t *testing.T) {
	gw := startGateway(t, t.TempDir(), gateway.Config{})
	startAgent(t, Config{Gateway: gw.addr(), JoinToken: gw.JoinToken().String()})
	j := gw.submit(testApp(t), api.JobSpec{Name: "exit7", Args: []string{"exit", "7"}})
	d := gw.waitJob(j.ID, 30*time.Second)
	r := d.Tasks[0].Result
	if d.State != api.JobFailed || r == nil || r.ExitCode != 7 || string(r.Stdout) != "out\n" || string(r.Stderr) != "err\n" {
		t.Fatalf("job %s, result %+v", d.State, r)
	}
}

// A lease naming a runtime the agent lacks fails to start, with a reason.
func TestUnknownRuntimeFailsToStart(t *testing.T) {
	a, err := New(Config{DataDir: t.TempDir(), Runtimes: []sandbox.Runtime{newRuntime(t)}})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	w := &work{lease: api.Lease{ID: "job-1/0/1", JobID: "job-1", Attempt: 1, Runtime: "oci"}}
	w.ctx, w.cancel = context.WithCancel(context.Background())
	defer w.cancel()
	res, ok := a.execute(context.Background(), w, nil, filepath.Join(a.workRoot, "x"))
	if !ok || res.Failure != "start" || !strings.Contains(res.Reason, `"oci"`) || !strings.Contains(res.Reason, "wasm") {
		t.Fatalf("result %+v, %v", res, ok)
	}
	if res.Output != a.outputs.empty || res.Digest != api.ResultDigest(&res) {
		t.Fatalf("output %+v digest %s", res.Output, res.Digest)
	}
}

func waitFor(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", within, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
