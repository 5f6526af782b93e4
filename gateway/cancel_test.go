package gateway

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/internal/identity"
)

// Canceling a job stops it for good: its queued tasks are never leased,
// its leased ones are revoked at their agent's next heartbeat and their
// late results are stale, its finished tasks keep their results, and all
// of it holds across a restart of the gateway.
func TestCancelJob(t *testing.T) {
	dir := t.TempDir()
	tg := startGateway(t, dir, Config{})
	ctx := context.Background()
	n := newNode(t, tg.Gateway)
	n.hello(t, tg.JoinToken().String())
	j := submit(t, tg, 4, 3)
	ls := n.lease(t, 3) // tasks 0-2 leased, 3 queued
	if len(ls) != 3 {
		t.Fatalf("leased %d tasks, want 3", len(ls))
	}
	if got := n.report(t, n.result(t, ls[0], "done before", "")); got[0] != api.AckAccepted {
		t.Fatalf("result of task 0: %v", got)
	}
	// A result task 1's agent has finished, but not yet delivered, when
	// the job is canceled.
	finished := n.result(t, ls[1], "finished too late", "")

	c, err := tg.admin.CancelJob(ctx, j.ID)
	if err != nil {
		t.Fatal(err)
	}
	if c.State != api.JobCanceled || c.Finished == nil || c.Counts != (api.TaskCounts{Done: 1, Canceled: 3}) {
		t.Fatalf("cancel answered %s %+v", c.State, c.Counts)
	}

	// The agent's next heartbeat names the canceled leases, and nothing
	// of the job is leased again, to it or to another node.
	hb, err := n.c.Heartbeat(ctx, api.Heartbeat{Running: []string{ls[1].ID, ls[2].ID}})
	if err != nil {
		t.Fatal(err)
	}
	if slices.Sort(hb.Revoked); !slices.Equal(hb.Revoked, []string{ls[1].ID, ls[2].ID}) {
		t.Fatalf("heartbeat revoked %v, want %s and %s", hb.Revoked, ls[1].ID, ls[2].ID)
	}
	other := newNode(t, tg.Gateway)
	other.hello(t, tg.JoinToken().String())
	if got := append(n.lease(t, 4), other.lease(t, 4)...); len(got) != 0 {
		t.Fatalf("leases after the cancel: %+v", got)
	}
	// Results that come in anyway are stale, as for any revoked lease:
	// a finished one, and a failure that would otherwise be retried.
	if got := n.report(t, finished, n.result(t, ls[2], "", "killed")); !slices.Equal(got, []api.AckStatus{api.AckStale, api.AckStale}) {
		t.Fatalf("results after the cancel: %v, want stale", got)
	}
	check := func(when string, g *testGateway) {
		t.Helper()
		d, err := g.admin.Job(ctx, j.ID)
		if err != nil {
			t.Fatal(err)
		}
		if d.State != api.JobCanceled || d.Counts != (api.TaskCounts{Done: 1, Canceled: 3}) {
			t.Fatalf("%s: job %s %+v, want canceled", when, d.State, d.Counts)
		}
		if r := d.Tasks[0].Result; d.Tasks[0].State != api.TaskDone || r == nil || string(r.Stdout) != "done before" {
			t.Errorf("%s: task 0 %+v, want done with its result", when, d.Tasks[0])
		}
		for _, task := range d.Tasks[1:] {
			if task.State != api.TaskCanceled || task.Result != nil {
				t.Errorf("%s: task %d %s (result %v), want canceled without a result", when, task.Index, task.State, task.Result != nil)
			}
		}
		if st, _ := g.admin.Status(ctx); st.Queued != 0 {
			t.Errorf("%s: %d tasks queued, want none", when, st.Queued)
		}
	}
	check("after the cancel", tg)

	// Canceling again, or a job that is done, is refused and says why; an
	// unknown job is not found.
	_, err = tg.admin.CancelJob(ctx, j.ID)
	if !errors.Is(err, api.ErrConflict) || !strings.Contains(err.Error(), "already finished") || !strings.Contains(err.Error(), "canceled") {
		t.Errorf("second cancel: %v, want conflict saying the job is canceled", err)
	}
	if err := tg.CancelJob(j.ID); !errors.Is(err, ErrJobFinished) {
		t.Errorf("second cancel in the process: %v, want ErrJobFinished", err)
	}
	if _, err := tg.admin.CancelJob(ctx, "nope-9"); !errors.Is(err, api.ErrNotFound) {
		t.Errorf("cancel of an unknown job: %v, want not found", err)
	}
	if err := tg.CancelJob("nope-9"); !errors.Is(err, ErrUnknownJob) {
		t.Errorf("cancel of an unknown job in the process: %v, want ErrUnknownJob", err)
	}

	// A restarted gateway has the job canceled, leases none of it, and
	// still revokes the old leases.
	tg.stop()
	tg2 := startGateway(t, dir, Config{})
	check("after a restart", tg2)
	n2 := &testNode{id: n.id}
	n2.c, _ = api.NewAgentClient(tg2.Addr().String(), n.id, identity.Pin(tg2.ID()))
	n2.hello(t, "")
	if got := n2.lease(t, 4); len(got) != 0 {
		t.Fatalf("leases after the restart: %+v", got)
	}
	hb, err = n2.c.Heartbeat(ctx, api.Heartbeat{Running: []string{ls[2].ID}})
	if err != nil || !slices.Equal(hb.Revoked, []string{ls[2].ID}) {
		t.Fatalf("heartbeat after the restart: %+v, %v; want %s revoked", hb, err, ls[2].ID)
	}
	if got := n2.report(t, finished); got[0] != api.AckStale {
		t.Fatalf("late result after the restart: %v, want stale", got)
	}
	if _, err := tg2.admin.CancelJob(ctx, j.ID); !errors.Is(err, api.ErrConflict) {
		t.Errorf("cancel after the restart: %v, want conflict", err)
	}
}

// A job that has ended, done or failed, cannot be canceled, and stays as
// it ended.
func TestCancelFinishedJob(t *testing.T) {
	tg := startGateway(t, t.TempDir(), Config{})
	ctx := context.Background()
	n := newNode(t, tg.Gateway)
	n.hello(t, tg.JoinToken().String())
	done := submit(t, tg, 1, 0)
	ls := n.lease(t, 1)
	n.report(t, n.result(t, ls[0], "ok", ""))
	failed := submit(t, tg, 1, 0)
	ls = n.lease(t, 1)
	n.report(t, n.result(t, ls[0], "", "timeout"))

	for id, want := range map[string]api.JobState{done.ID: api.JobDone, failed.ID: api.JobFailed} {
		_, err := tg.admin.CancelJob(ctx, id)
		var e *api.Error
		if !errors.As(err, &e) || e.Status != 409 || e.Code != api.ErrConflict.Code || !strings.Contains(e.Message, "is "+string(want)) {
			t.Errorf("cancel of a %s job: %v, want 409 conflict naming its state", want, err)
		}
		if d, _ := tg.admin.Job(ctx, id); d.State != want || d.Counts.Canceled != 0 {
			t.Errorf("job after a refused cancel: %s %+v, want %s", d.State, d.Counts, want)
		}
	}
}

// Canceling a job leaves the other jobs' queued tasks in their order.
func TestCancelKeepsOtherJobs(t *testing.T) {
	tg := startGateway(t, t.TempDir(), Config{})
	n := newNode(t, tg.Gateway)
	n.hello(t, tg.JoinToken().String())
	first := submit(t, tg, 2, 0)
	canceled := submit(t, tg, 2, 0)
	last := submit(t, tg, 2, 0)
	if err := tg.CancelJob(canceled.ID); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range n.lease(t, 10) {
		got = append(got, l.ID)
	}
	want := []string{first.ID + "/0/1", first.ID + "/1/1", last.ID + "/0/1", last.ID + "/1/1"}
	if !slices.Equal(got, want) {
		t.Fatalf("leased %v, want %v", got, want)
	}
}
