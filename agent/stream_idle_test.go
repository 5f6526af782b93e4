package agent

import (
	"context"
	"testing"
	"time"
)

// An agent in a pool that runs no stream holds no request for partitions
// open (each costs the gateway a connection): it asks for none before its
// first heartbeat's answer says whether a stream runs, none after the answer
// says none does, and takes one when a stream is deployed later.
func TestStreamDeployedAfterAgentsIdle(t *testing.T) {
	_, tg := streamPool(t, 0)
	ta := startAgent(t, Config{Gateway: tg.addr(), JoinToken: tg.JoinToken().String()})
	told := time.Time{}
	for deadline := time.Now().Add(10 * time.Second); told.IsZero() || time.Since(told) < testTiming.leaseWait; time.Sleep(5 * time.Millisecond) {
		if _, n := tg.LeaseRequestsWaiting(); n != 0 {
			t.Fatalf("%d requests for partitions open in a pool that runs no stream, want 0", n)
		}
		if told.IsZero() && ta.noStreams.Load() {
			told = time.Now()
		}
		if told.IsZero() && time.Now().After(deadline) {
			t.Fatal("the agent was never told that the pool runs no stream")
		}
	}
	ctx := context.Background()
	if _, err := tg.admin.DeployStream(ctx, alertSpec(t, tg, buildExample(t, "streams/alert"))); err != nil {
		t.Fatal(err)
	}
	waitRunning(t, tg.admin, "alert", 4)
}
