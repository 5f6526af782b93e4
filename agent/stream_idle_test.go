package agent

import (
	"context"
	"testing"
	"time"
)

// An agent in a pool that runs no stream holds no request for partitions
// open once its heartbeat's answer says so (each costs the gateway a
// connection), and takes one when a stream is deployed later.
func TestStreamDeployedAfterAgentsIdle(t *testing.T) {
	_, tg := streamPool(t, 0)
	ta := startAgent(t, Config{Gateway: tg.addr(), JoinToken: tg.JoinToken().String()})
	for deadline := time.Now().Add(10 * time.Second); !ta.noStreams.Load(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the agent was never told that the pool runs no stream")
		}
	}
	// The request for partitions made before that answer ends within its
	// wait, and no other follows.
	time.Sleep(testTiming.leaseWait + time.Second)
	if _, n := tg.LeaseRequestsWaiting(); n != 0 {
		t.Fatalf("%d requests for partitions open in a pool that runs no stream, want 0", n)
	}
	ctx := context.Background()
	if _, err := tg.admin.DeployStream(ctx, alertSpec(t, tg, buildExample(t, "streams/alert"))); err != nil {
		t.Fatal(err)
	}
	waitRunning(t, tg.admin, "alert", 4)
}
