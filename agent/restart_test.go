package agent

import (
	"context"
	"io"
	"net"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hearth-home/hearth/gateway"
	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/internal/identity"
	"github.com/hearth-home/hearth/sandbox"
	"github.com/hearth-home/hearth/store"
)

// waitStarted waits until the agent runs n tasks in its sandbox.
func waitStarted(t *testing.T, a *Agent, n int) {
	t.Helper()
	waitFor(t, 30*time.Second, "tasks to start", func() bool { return startedTasks(a) == n })
}

// An agent whose gateway goes away keeps running its tasks and keeping
// their results, finds the gateway again (here at a new address) and
// delivers them.
func TestGatewayOutage(t *testing.T) {
	// A long TTL, so that the outage does not move the tasks elsewhere.
	gw := startGateway(t, t.TempDir(), gateway.Config{LeaseTTL: time.Minute})
	var mu sync.Mutex
	discover := func(ctx context.Context, want identity.NodeID) (string, error) {
		mu.Lock()
		defer mu.Unlock()
		return gw.addr(), nil
	}
	ag := startAgent(t, Config{Discover: discover, JoinToken: gw.JoinToken().String()})
	j := gw.submit(testApp(t), api.JobSpec{Name: "outage", Tasks: 2, Args: []string{"spin", "500ms"}})
	waitStarted(t, ag.Agent, 2)

	gw.stop()
	waitFor(t, 10*time.Second, "both results in the outbox", func() bool { return ag.journal.unsentCount() == 2 })
	ag.logs.waitLog(t, 5*time.Second, "gateway unreachable; results are kept")
	time.Sleep(300 * time.Millisecond) // a few failed tries
	if n := ag.journal.unsentCount(); n != 2 {
		t.Fatalf("%d results in the outbox while the gateway is down, want 2", n)
	}

	mu.Lock()
	gw.start() // same state, new port
	mu.Unlock()
	d := gw.waitJob(j.ID, 30*time.Second)
	if d.State != api.JobDone {
		t.Fatalf("job %s: %+v", d.State, d.Tasks)
	}
	for _, task := range d.Tasks {
		if task.Attempt != 1 || task.Result.Node != ag.ID().String() {
			t.Errorf("task %d: attempt %d on %s, want the first attempt's result from the agent", task.Index, task.Attempt, task.Result.Node)
		}
	}
}

// An agent stopped with results in its outbox (its gateway was down) has
// them on disk, and its next process delivers them.
func TestOutboxSurvivesRestart(t *testing.T) {
	gw := startGateway(t, t.TempDir(), gateway.Config{LeaseTTL: time.Minute})
	dir := t.TempDir()
	ag := startAgent(t, Config{DataDir: dir, Gateway: gw.addr(), JoinToken: gw.JoinToken().String()})
	j := gw.submit(testApp(t), api.JobSpec{Name: "outbox", Tasks: 2, Args: []string{"spin", "300ms"}})
	waitStarted(t, ag.Agent, 2)
	gw.stop()
	waitFor(t, 10*time.Second, "both results in the outbox", func() bool { return ag.journal.unsentCount() == 2 })
	ag.stop()

	db, err := store.Open(filepath.Join(dir, "agent.db"))
	if err != nil {
		t.Fatal(err)
	}
	var unsent []string
	db.View(func(tx *store.Tx) error {
		return tx.Scan(bucketOutbox, "", func(k string, _ []byte) error {
			unsent = append(unsent, k)
			return nil
		})
	})
	db.Close()
	if len(unsent) != 2 {
		t.Fatalf("outbox on disk after the agent stopped: %v", unsent)
	}

	gw.start()
	again := startAgent(t, Config{DataDir: dir, Gateway: gw.addr(), JoinToken: gw.JoinToken().String()})
	d := gw.waitJob(j.ID, 30*time.Second)
	if d.State != api.JobDone {
		t.Fatalf("job %s: %+v", d.State, d.Tasks)
	}
	for _, task := range d.Tasks {
		if task.Attempt != 1 || task.Result.Node != again.ID().String() {
			t.Errorf("task %d: attempt %d on %s", task.Index, task.Attempt, task.Result.Node)
		}
	}
	waitFor(t, 2*time.Second, "the outbox to empty", func() bool { return again.journal.unsentCount() == 0 })
}

// A task that an earlier process of the agent started and that the sandbox
// lost with it is reported lost, and the gateway runs it again.
func TestLostAfterRestart(t *testing.T) {
	gw := startGateway(t, t.TempDir(), gateway.Config{LeaseTTL: time.Minute})
	dir := t.TempDir()
	rt := newRuntime(t)
	ag := startAgent(t, Config{DataDir: dir, Gateway: gw.addr(), JoinToken: gw.JoinToken().String(), Runtimes: []sandbox.Runtime{rt}})
	j := gw.submit(testApp(t), api.JobSpec{Name: "lost", Args: []string{"spin", "1s"}})
	waitStarted(t, ag.Agent, 1)
	ag.stop()
	rt.Close() // the process ends, and its wasm tasks with it

	again := startAgent(t, Config{DataDir: dir, Gateway: gw.addr()})
	again.logs.waitLog(t, 5*time.Second, "task lost across the restart", j.ID+"/0/1")
	d := gw.waitJob(j.ID, 30*time.Second)
	task := d.Tasks[0]
	if d.State != api.JobDone || task.Attempt != 2 || len(task.History) == 0 || !strings.Contains(task.History[0], "lost") {
		t.Fatalf("job %s, task %+v", d.State, task)
	}
}

// A lease the gateway revokes is killed and its result dropped.
func TestRevokedLeaseIsKilled(t *testing.T) {
	// Leases expire between heartbeats, so the gateway revokes each one at
	// the next heartbeat.
	gw := startGateway(t, t.TempDir(), gateway.Config{Heartbeat: time.Second, LeaseTTL: 300 * time.Millisecond, LostAfter: time.Minute})
	ag := startAgent(t, Config{Gateway: gw.addr(), JoinToken: gw.JoinToken().String(), Slots: 1})
	j := gw.submit(testApp(t), api.JobSpec{Name: "revoked", Args: []string{"sleep"}, Resources: api.Resources{Timeout: api.Duration(time.Minute)}})
	first := j.ID + "/0/1"
	ag.logs.waitLog(t, 10*time.Second, "gateway revoked a running lease; killing its task", first)
	ag.logs.waitLog(t, 5*time.Second, "task revoked by the gateway; result dropped", first)
	d := gw.job(j.ID)
	if task := d.Tasks[0]; task.Result != nil || len(task.History) == 0 || !strings.Contains(task.History[0], "attempt 1") {
		t.Fatalf("task after revocation: %+v", task)
	}
	hs, _ := ag.journal.handles()
	for _, h := range hs {
		if h.ID == first {
			t.Fatalf("the revoked lease's handle is still there")
		}
	}
	if ag.journal.unsentCount() != 0 {
		t.Fatal("the revoked task's result is in the outbox")
	}
}

// A gateway whose connections are all cut at once, as a crash and a quick
// restart would, keeps the agent's session: a heartbeat that finds it gone
// is sent again before the session ends, and the calls for work and results
// that failed are made again rather than ending it. After a restart,
// thousands of devices would otherwise all start over, each with a hello
// and new TLS handshakes, in one crowd (docs/scale.md, fix 18).
func TestSessionOutlivesCutConnections(t *testing.T) {
	gw := startGateway(t, t.TempDir(), gateway.Config{Heartbeat: 300 * time.Millisecond})
	p := newCutProxy(t, gw.addr())
	ag := startAgent(t, Config{Gateway: p.addr(), JoinToken: gw.JoinToken().String()})
	ag.logs.waitLog(t, 5*time.Second, "paired with gateway")
	waitFor(t, 5*time.Second, "a request for work", func() bool { n, _ := gw.LeaseRequestsWaiting(); return n == 1 })

	if n := p.cut(); n == 0 {
		t.Fatal("no connection to cut")
	}
	j := gw.submit(testApp(t), api.JobSpec{Name: "after-cut", Tasks: 2, Args: []string{"spin", "10ms"}})
	if d := gw.waitJob(j.ID, 10*time.Second); d.State != api.JobDone {
		t.Fatalf("job %s after the cut: %+v", d.State, d.Tasks)
	}
	time.Sleep(time.Second) // three heartbeats more
	if strings.Contains(ag.logs.String(), "gateway session ended") {
		t.Fatalf("the session ended when its connections were cut:\n%s", ag.logs)
	}
}

// cutProxy forwards TCP connections to a gateway and can cut them all.
type cutProxy struct {
	ln    net.Listener
	mu    sync.Mutex
	conns []net.Conn
}

func newCutProxy(t *testing.T, to string) *cutProxy {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &cutProxy{ln: ln}
	t.Cleanup(func() { ln.Close(); p.cut() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			up, err := net.Dial("tcp", to)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, up)
			p.mu.Unlock()
			go func() { io.Copy(up, c); up.Close() }()
			go func() { io.Copy(c, up); c.Close() }()
		}
	}()
	return p
}

func (p *cutProxy) addr() string { return p.ln.Addr().String() }

// cut closes every connection made so far and returns how many pairs there were.
func (p *cutProxy) cut() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		c.Close()
	}
	n := len(p.conns) / 2
	p.conns = nil
	return n
}
