package gateway

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/internal/identity"
	"github.com/hearth-home/hearth/store"
)

// holdStore keeps the database's single write transaction open until the
// returned function is called: every write of the gateway waits meanwhile,
// as it would behind a slow fsync, while reads still see what is committed.
func holdStore(t *testing.T, g *Gateway) (release func()) {
	t.Helper()
	inside, free, done := make(chan struct{}), make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		g.db.Update(func(*store.Tx) error {
			close(inside)
			<-free
			return nil
		})
	}()
	<-inside
	var once bool
	release = func() {
		if !once {
			once = true
			close(free)
			<-done
		}
	}
	t.Cleanup(release)
	return release
}

// storedTask reads a task as committed to the store.
func storedTask(t *testing.T, g *Gateway, jobID string, index int) taskRecord {
	t.Helper()
	var r taskRecord
	err := g.db.View(func(tx *store.Tx) error {
		_, err := tx.GetJSON(bucketTasks, taskKey(jobID, index), &r)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// memTask reads a task as the scheduler holds it in memory.
func memTask(g *Gateway, jobID string, index int) api.Task {
	d, _ := g.jobView(jobID)
	return d.Tasks[index]
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

type reportAnswer struct {
	acks []api.Ack
	err  error
}

func reportAsync(n *testNode, rs ...api.TaskResult) chan reportAnswer {
	c := make(chan reportAnswer, 1)
	go func() {
		acks, err := n.c.Report(context.Background(), rs)
		c <- reportAnswer{acks, err}
	}()
	return c
}

func receive[T any](t *testing.T, c chan T) T {
	t.Helper()
	select {
	case v := <-c:
		return v
	case <-time.After(5 * time.Second):
		t.Fatal("no answer")
		panic("unreachable")
	}
}

// A result whose first store failed is stored when the agent sends it again:
// the agent drops it from its outbox on "duplicate", so that answer must
// mean the result is in the store, not just in the gateway's memory.
func TestDuplicateAckMeansStored(t *testing.T) {
	tg := startGateway(t, t.TempDir(), Config{})
	n := newNode(t, tg.Gateway)
	n.hello(t, tg.JoinToken().String())
	j := submit(t, tg, 1, 3)
	ls := n.lease(t, 1)
	r := n.result(t, ls[0], "out", "")

	// The store fails for a while (a full disk, say), then recovers.
	recover := failStore(t, tg)
	if _, err := n.c.Report(context.Background(), []api.TaskResult{r}); err == nil {
		t.Fatal("result acked although it could not be stored")
	}
	recover()

	if got := n.report(t, r); got[0] != api.AckDuplicate && got[0] != api.AckAccepted {
		t.Fatalf("re-sent result: %v", got)
	}
	if rec := storedTask(t, tg.Gateway, j.ID, 0); rec.State != api.TaskDone || rec.Result == nil {
		t.Fatalf("the agent may drop its result, but the store holds the task as %s", rec.State)
	}
	var jr jobRecord
	tg.db.View(func(tx *store.Tx) error { _, err := tx.GetJSON(bucketJobs, j.ID, &jr); return err })
	if jr.Finished == nil {
		t.Fatal("the job's end is not stored")
	}
}

// The lease an agent receives names the attempt it was granted, even when
// the task changes (here: a late result of the previous attempt finishes
// it) while the grant is being stored.
func TestLeaseCarriesTheGrantedAttempt(t *testing.T) {
	tg := startGateway(t, t.TempDir(), Config{Heartbeat: time.Hour, LeaseTTL: 300 * time.Millisecond})
	a, b := newNode(t, tg.Gateway), newNode(t, tg.Gateway)
	a.hello(t, tg.JoinToken().String())
	b.hello(t, tg.JoinToken().String())
	j := submit(t, tg, 1, 3)
	la := a.lease(t, 1)
	late := a.result(t, la[0], "late", "")
	waitFor(t, "a's lease to expire", func() bool { return storedTask(t, tg.Gateway, j.ID, 0).State == api.TaskQueued })

	release := holdStore(t, tg.Gateway)
	granted := make(chan []api.Lease, 1)
	go func() {
		ls, _ := b.c.Lease(context.Background(), api.LeaseRequest{Runtimes: []string{"wasm"}, Max: 1, Wait: api.Duration(2 * time.Second)})
		granted <- ls
	}()
	waitFor(t, "b's pick", func() bool { return memTask(tg.Gateway, j.ID, 0).Attempt == 2 })
	acked := reportAsync(a, late)
	waitFor(t, "the late result", func() bool { return memTask(tg.Gateway, j.ID, 0).State == api.TaskDone })
	release()
	if r := receive(t, acked); r.err != nil || r.acks[0].Status != api.AckAccepted {
		t.Fatalf("late result: %+v", r)
	}
	ls := receive(t, granted)
	if len(ls) != 1 || ls[0].Attempt != 2 || ls[0].ID != leaseID(j.ID, 0, 0, 2) {
		t.Fatalf("b was granted %+v, want attempt 2", ls)
	}
}

// A gateway killed after storing the result that finished a job, but
// before storing an earlier result of the same job (the two commits raced),
// restarts with a job that still has a task out: it must not say finished.
func TestRestartWithJobFinishedBeforeItsTasks(t *testing.T) {
	dir := t.TempDir()
	tg := startGateway(t, dir, Config{})
	n := newNode(t, tg.Gateway)
	n.hello(t, tg.JoinToken().String())
	j := submit(t, tg, 2, 3)
	ls := n.lease(t, 2)
	n.report(t, n.result(t, ls[1], "one", ""))
	tg.stop()

	// The state such a kill leaves: the job record says finished, task 0
	// is still leased.
	db, err := store.Open(filepath.Join(dir, "gateway.db"))
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *store.Tx) error {
		var jr jobRecord
		if _, err := tx.GetJSON(bucketJobs, j.ID, &jr); err != nil {
			return err
		}
		now := time.Now().UTC()
		jr.Finished = &now
		return tx.PutJSON(bucketJobs, j.ID, jr)
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}

	tg2 := startGateway(t, dir, Config{})
	d, err := tg2.admin.Job(context.Background(), j.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d.State != api.JobRunning || d.Finished != nil || d.Counts != (api.TaskCounts{Leased: 1, Done: 1}) {
		t.Fatalf("after restart: state %s finished %v counts %+v", d.State, d.Finished, d.Counts)
	}
	n2 := &testNode{id: n.id}
	n2.c, _ = api.NewAgentClient(tg2.Addr().String(), n.id, identity.Pin(tg2.ID()))
	if got := n2.report(t, n2.result(t, ls[0], "zero", "")); got[0] != api.AckAccepted {
		t.Fatalf("result of task 0: %v", got)
	}
	tg2.stop()
	tg3 := startGateway(t, dir, Config{})
	d, _ = tg3.admin.Job(context.Background(), j.ID)
	if d.State != api.JobDone || d.Finished == nil || d.Counts.Done != 2 {
		t.Fatalf("after the last result and a restart: state %s finished %v counts %+v", d.State, d.Finished, d.Counts)
	}
}

// A member's count of completed tasks is stored with the results.
func TestCompletedSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	tg := startGateway(t, dir, Config{})
	n := newNode(t, tg.Gateway)
	n.hello(t, tg.JoinToken().String())
	submit(t, tg, 2, 3)
	ls := n.lease(t, 2)
	n.report(t, n.result(t, ls[0], "", ""), n.result(t, ls[1], "", ""))
	tg.stop()
	tg2 := startGateway(t, dir, Config{})
	ms, err := tg2.admin.Members(context.Background())
	if err != nil || len(ms) != 1 || ms[0].Completed != 2 {
		t.Fatalf("members after restart: %+v, %v; want 2 completed", ms, err)
	}
}

// A lease the gateway could not store was never granted: it must not use
// up one of the task's attempts.
func TestUnstoredLeaseCostsNoAttempt(t *testing.T) {
	tg := startGateway(t, t.TempDir(), Config{})
	n := newNode(t, tg.Gateway)
	n.hello(t, tg.JoinToken().String())
	j := submit(t, tg, 1, 0)
	failStore(t, tg) // every write fails from now on
	if _, err := n.c.Lease(context.Background(), api.LeaseRequest{Runtimes: []string{"wasm"}, Max: 1}); err == nil {
		t.Fatal("lease granted without being stored")
	}
	d, err := tg.admin.Job(context.Background(), j.ID)
	if err != nil {
		t.Fatal(err)
	}
	if task := d.Tasks[0]; d.State != api.JobRunning || task.State != api.TaskQueued || task.Attempt != 0 || d.Counts != (api.TaskCounts{Queued: 1}) {
		t.Fatalf("after a failed store: job %s counts %+v task %+v", d.State, d.Counts, task)
	}
}

// Approval must stick even when the pending node says hello at the same
// moment: an older copy of the member must never overwrite a newer one.
func TestApprovalRacingHelloIsStored(t *testing.T) {
	tg := startGateway(t, t.TempDir(), Config{})
	for i := 0; i < 30; i++ {
		n := newNode(t, tg.Gateway)
		n.hello(t, "")
		stop, stopped := make(chan struct{}), make(chan struct{})
		for range 4 {
			go func() {
				defer func() { stopped <- struct{}{} }()
				for {
					select {
					case <-stop:
						return
					default:
						tg.hello(n.id.ID, "test", api.HelloRequest{Node: api.NodeInfo{Name: "racer"}})
					}
				}
			}()
		}
		time.Sleep(time.Millisecond)
		if _, err := tg.approve(n.id.ID.String()); err != nil {
			t.Fatal(err)
		}
		close(stop)
		for range 4 {
			<-stopped
		}
		var rec memberRecord
		tg.db.View(func(tx *store.Tx) error {
			_, err := tx.GetJSON(bucketMembers, n.id.ID.String(), &rec)
			return err
		})
		if rec.State != api.MemberReady {
			t.Fatalf("round %d: approved node stored as %s", i, rec.State)
		}
	}
}

// failStore makes every write of the gateway fail, as on a full disk,
// and returns a function that makes the store work again.
func failStore(t *testing.T, tg *testGateway) (recover func()) {
	t.Helper()
	tg.db.SetFault(errors.New("no space left on device (injected)"))
	t.Cleanup(func() { tg.db.SetFault(nil) })
	return func() { tg.db.SetFault(nil) }
}

// TestStoreFailureIsStoredLater: a cancel, and a requeue after an expired
// lease, that the store could not write are written as soon as it works
// again (by the sweeper), so that memory and disk agree and a restart
// neither runs a canceled job again nor forgets a failed attempt.
func TestStoreFailureIsStoredLater(t *testing.T) {
	tg := startGateway(t, t.TempDir(), Config{Heartbeat: 100 * time.Millisecond})
	n := newNode(t, tg.Gateway)
	n.hello(t, tg.JoinToken().String())
	canceled := submit(t, tg, 2, 0)
	ls := n.lease(t, 1) // one task leased, one queued

	recover := failStore(t, tg)
	if _, err := tg.cancelJob(canceled.ID); err == nil || !strings.Contains(err.Error(), "stored again") {
		t.Fatalf("cancel with a failing store: %v, want an error saying it is stored again", err)
	}
	if d, _ := tg.jobView(canceled.ID); d.Job.State != api.JobCanceled {
		t.Fatalf("in memory the job is %s, want canceled", d.Job.State)
	}
	recover()
	waitFor(t, "the cancel to be stored", func() bool {
		var jr jobRecord
		tg.db.View(func(tx *store.Tx) error { _, err := tx.GetJSON(bucketJobs, canceled.ID, &jr); return err })
		return jr.Canceled != nil && storedTask(t, tg.Gateway, canceled.ID, 0).State == api.TaskCanceled &&
			storedTask(t, tg.Gateway, canceled.ID, 1).State == api.TaskCanceled
	})
	_ = ls

	// A lease that expires while the store fails: the task goes back to
	// the queue in memory, and to disk once the store works.
	requeued := submit(t, tg, 1, 3)
	ls = n.lease(t, 1)
	if len(ls) != 1 {
		t.Fatalf("leases %+v", ls)
	}
	recover = failStore(t, tg)
	waitFor(t, "the lease to expire in memory", func() bool { return memTask(tg.Gateway, requeued.ID, 0).State == api.TaskQueued })
	recover()
	waitFor(t, "the requeue to be stored", func() bool {
		r := storedTask(t, tg.Gateway, requeued.ID, 0)
		return r.State == api.TaskQueued && len(r.History) == 1 && strings.Contains(r.History[0], "lease expired")
	})

	tg.stop()
	tg2 := startGateway(t, tg.dir, Config{})
	d, err := tg2.admin.Job(context.Background(), canceled.ID)
	if err != nil || d.State != api.JobCanceled {
		t.Fatalf("after a restart the canceled job is %s, %v", d.State, err)
	}
}
