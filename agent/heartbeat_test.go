package agent

import (
	"slices"
	"testing"
	"time"

	"github.com/hearth-home/hearth/gateway"
	"github.com/hearth-home/hearth/gateway/api"
)

// TestHeartbeatsSpreadOut checks that agents started together do not send
// their heartbeats together: the second heartbeat of a session goes after
// a random part of an interval. Ten agents start within a few
// milliseconds; after a few intervals the gateway's last-seen times of
// the ten must span at least a quarter of an interval. Without the random
// phase they stay within the agents' start times of each other; with it,
// ten phases drawn at random fall within a quarter of an interval of each
// other with a chance of 10 x 0.25^9, about 4 in 100,000.
func TestHeartbeatsSpreadOut(t *testing.T) {
	const every = 5 * time.Second
	gw := startGateway(t, t.TempDir(), gateway.Config{Heartbeat: every})
	const n = 10
	for range n {
		startAgent(t, Config{Gateway: gw.addr(), JoinToken: gw.JoinToken().String(), Runtimes: noRuntimes})
	}
	// lastSeen is the gateway's last-seen time of each ready agent.
	lastSeen := func() []time.Time {
		ms, err := gw.admin.Members(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		var seen []time.Time
		for _, m := range ms {
			if m.State == api.MemberReady {
				seen = append(seen, m.LastSeen)
			}
		}
		return seen
	}
	deadline := time.Now().Add(30 * time.Second)
	for len(lastSeen()) < n {
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d agents ready after 30 s", len(lastSeen()), n)
		}
		time.Sleep(20 * time.Millisecond)
	}
	// Past every session's second heartbeat, and between two beats of
	// each, so that each time is its device's phase.
	time.Sleep(3 * every)
	seen := lastSeen()
	if len(seen) < n {
		t.Fatalf("%d of %d agents ready", len(seen), n)
	}
	first, last := slices.MinFunc(seen, time.Time.Compare), slices.MaxFunc(seen, time.Time.Compare)
	if span := last.Sub(first); span < every/4 {
		t.Fatalf("the last heartbeats of %d agents started together span %v, less than a quarter of the %v interval: they beat together", n, span, every)
	}
	t.Logf("the last heartbeats of %d agents span %v", n, last.Sub(first))
}
