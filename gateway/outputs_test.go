package gateway

import (
	"context"
	"testing"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/internal/identity"
)

// A stored result's outputs leave memory, are read back for the job's
// detail, survive the record being written again (a duplicate report
// stores the task once more) and a restart.
func TestOutputsLiveOnDisk(t *testing.T) {
	dir := t.TempDir()
	tg := startGateway(t, dir, Config{})
	n := newNode(t, tg.Gateway)
	n.hello(t, tg.JoinToken().String())
	j := submit(t, tg, 2, 3)
	ls := n.lease(t, 2)
	r0 := n.result(t, ls[0], "first output", "")
	if got := n.report(t, r0); got[0] != api.AckAccepted {
		t.Fatalf("report: %v", got)
	}
	inMemory := func() *api.TaskResult {
		tg.mu.Lock()
		defer tg.mu.Unlock()
		return tg.jobs[j.ID].tasks[0].Result
	}
	if r := inMemory(); r == nil || len(r.Stdout) != 0 || r.Digest != r0.Digest {
		t.Fatalf("in memory after the write: %+v, want the result without its stdout", r)
	}
	if got := n.report(t, r0); got[0] != api.AckDuplicate {
		t.Fatalf("second report: %v, want duplicate", got)
	}
	d, err := tg.admin.Job(context.Background(), j.ID)
	if err != nil {
		t.Fatal(err)
	}
	if r := d.Tasks[0].Result; r == nil || string(r.Stdout) != "first output" || api.ResultDigest(r) != r0.Digest {
		t.Fatalf("job detail after a duplicate write: %+v", r)
	}
	if d.Tasks[1].Result != nil {
		t.Fatalf("a task with no result has one: %+v", d.Tasks[1].Result)
	}
	tg.stop()

	tg2 := startGateway(t, dir, Config{})
	d, err = tg2.admin.Job(context.Background(), j.ID)
	if err != nil {
		t.Fatal(err)
	}
	if r := d.Tasks[0].Result; r == nil || string(r.Stdout) != "first output" {
		t.Fatalf("after a restart: %+v", r)
	}
	tg2.mu.Lock()
	r := tg2.jobs[j.ID].tasks[0].Result
	tg2.mu.Unlock()
	if len(r.Stdout) != 0 {
		t.Fatalf("a restarted gateway holds the stored stdout in memory: %q", r.Stdout)
	}
	// The lease from before the restart still reports.
	n2 := &testNode{id: n.id}
	n2.c, _ = api.NewAgentClient(tg2.Addr().String(), n.id, identity.Pin(tg2.ID()))
	n2.hello(t, "")
	if got := n2.report(t, n2.result(t, ls[1], "second", "")); got[0] != api.AckAccepted {
		t.Fatalf("report after restart: %v", got)
	}
	d, _ = tg2.admin.Job(context.Background(), j.ID)
	if string(d.Tasks[1].Result.Stdout) != "second" || string(d.Tasks[0].Result.Stdout) != "first output" {
		t.Fatalf("outputs: %q %q", d.Tasks[0].Result.Stdout, d.Tasks[1].Result.Stdout)
	}
}
