package agent

import (
	"testing"
	"time"

	"github.com/hearth-home/hearth/gateway"
	"github.com/hearth-home/hearth/gateway/api"
)

// An idle agent holds one connection to the gateway, not two: its request
// for work waits at the gateway only until just before the next heartbeat,
// which then goes on the connection the request has left. It still waits
// for work most of the time, and takes work as soon as it comes.
func TestIdleAgentHoldsOneConnection(t *testing.T) {
	const every = 300 * time.Millisecond
	gw := startGateway(t, t.TempDir(), gateway.Config{Heartbeat: every})
	ta := startAgent(t, Config{Gateway: gw.addr(), JoinToken: gw.JoinToken().String()})
	waitFor(t, 10*time.Second, "a request for work", func() bool { n, _ := gw.LeaseRequestsWaiting(); return n == 1 })
	c := ta.client.Load()
	if c == nil {
		t.Fatal("no session")
	}
	dialed := c.Dialed()
	waiting, samples := 0, 0
	for end := time.Now().Add(10 * every); time.Now().Before(end); time.Sleep(5 * time.Millisecond) {
		if n, _ := gw.LeaseRequestsWaiting(); n > 0 {
			waiting++
		}
		samples++
	}
	if n := c.Dialed() - dialed; n != 0 {
		t.Errorf("the idle agent opened %d more connections over 10 heartbeats, want none (it has %d in all)", n, c.Dialed())
	}
	if share := float64(waiting) / float64(samples); share < 0.7 {
		t.Errorf("a request for work was waiting at the gateway in %.0f%% of %d samples, want at least 70%%", 100*share, samples)
	}
	j := gw.submit(testApp(t), api.JobSpec{Name: "after-idle", Tasks: 1, Args: []string{"spin", "10ms"}})
	if d := gw.waitJob(j.ID, 10*time.Second); d.State != api.JobDone {
		t.Fatalf("job %s, want done: %+v", d.State, d.Tasks)
	}
}
