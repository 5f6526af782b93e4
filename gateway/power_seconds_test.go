package gateway

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/internal/identity"
	"github.com/hearth-home/hearth/store"
)

// TestPowerSecondsTier: a device's samples of the last minutes come back
// one a second from GET /v1/pool/power?since=10m, with the minute that runs;
// memory holds only that minute; a restarted gateway serves the ended
// minutes from disk; samples sent again after the restart are not counted
// twice.
func TestPowerSecondsTier(t *testing.T) {
	dir := t.TempDir()
	tg := startGateway(t, dir, Config{})
	n := newNode(t, tg.Gateway)
	n.hello(t, tg.JoinToken().String())
	now := time.Now()
	start := now.Truncate(time.Minute).Add(-3 * time.Minute)
	temp := 48.0
	var all []api.PowerSample
	for s := start; s.Before(now); s = s.Add(time.Second) {
		all = append(all, api.PowerSample{T: s.UTC(), Watts: float64(s.Minute()%7) + 2, BudgetW: 9, Busy: 1.5, Work: 0.75, TempC: &temp})
	}
	beat := func(ss []api.PowerSample) {
		t.Helper()
		if _, err := n.c.Heartbeat(context.Background(), api.Heartbeat{Samples: ss, SentAt: time.Now()}); err != nil {
			t.Fatal(err)
		}
	}
	beat(all[:len(all)/2])
	beat(all[len(all)/2:])
	tg.mu.Lock()
	inMemory := len(tg.power.recent[n.id.ID].samples)
	tg.mu.Unlock()
	if inMemory == 0 || inMemory > 61 {
		t.Fatalf("%d samples in memory, want at most the minute that runs", inMemory)
	}
	check := func(what string, want int) {
		t.Helper()
		code, body := rawAdmin(t, tg, "GET", "/v1/pool/power?since=10m", nil)
		if code != 200 {
			t.Fatalf("%s: %d %s", what, code, body)
		}
		var pp api.PoolPower
		if err := json.Unmarshal([]byte(body), &pp); err != nil {
			t.Fatal(err)
		}
		if len(pp.Devices) != 1 || pp.StepS != 1 {
			t.Fatalf("%s: %d devices, step %d s", what, len(pp.Devices), pp.StepS)
		}
		ss := pp.Devices[0].Samples
		if len(ss) != want {
			t.Fatalf("%s: %d samples, want %d", what, len(ss), want)
		}
		for i, s := range ss {
			w := all[i]
			if d := s.T.Sub(w.T); d < -time.Second || d > time.Second || float32(s.Watts) != float32(w.Watts) ||
				s.BudgetW != 9 || s.Busy != 1.5 || s.Work != 0.75 || s.TempC == nil || *s.TempC != temp {
				t.Fatalf("%s: sample %d: %+v, want %+v", what, i, s, w)
			}
			if i > 0 && !s.T.After(ss[i-1].T) {
				t.Fatalf("%s: samples %d and %d out of order", what, i-1, i)
			}
		}
	}
	check("running", len(all))
	tg.stop()
	tg = startGateway(t, dir, Config{})
	// The minute that ran is lost with the gateway's memory; the ended
	// ones were stored.
	ended := 0
	for _, s := range all {
		if s.T.Before(now.Truncate(time.Minute)) {
			ended++
		}
	}
	n.c, _ = api.NewAgentClient(tg.Addr().String(), n.id, identity.Pin(tg.ID()))
	n.hello(t, "")
	check("after a restart", ended)
	// An agent whose answer was lost sends the last minutes again: the
	// stored minute takes them once.
	beat(all[ended-30:])
	beat([]api.PowerSample{{T: time.Now().Add(50 * time.Second).UTC(), Watts: 2, BudgetW: 9, Busy: 1.5, Work: 0.75, TempC: &temp}})
	code, body := rawAdmin(t, tg, "GET", "/v1/pool/power?since=10m", nil)
	var pp api.PoolPower
	if code != 200 || json.Unmarshal([]byte(body), &pp) != nil || len(pp.Devices) != 1 {
		t.Fatalf("after samples sent again: %d %s", code, body)
	}
	seen := map[int64]bool{}
	for _, s := range pp.Devices[0].Samples {
		if seen[s.T.UnixMilli()] {
			t.Fatalf("sample at %v counted twice", s.T)
		}
		seen[s.T.UnixMilli()] = true
	}
}

func TestSecondsRecordRoundTrip(t *testing.T) {
	minute := time.Date(2026, 12, 7, 13, 20, 0, 0, time.UTC)
	temp := 40.5
	ss := []api.PowerSample{
		{T: minute.Add(250 * time.Millisecond), Watts: 3.5, BudgetW: 6, Busy: 1, Work: 0.5, TempC: &temp},
		{T: minute.Add(59*time.Second + 999*time.Millisecond), Watts: 4, BudgetW: 6, Busy: 2, Work: 1},
		{T: minute.Add(61 * time.Second), Watts: 5}, // another minute: not stored here
	}
	got, ok := decodeSeconds(minute, encodeSeconds(minute, ss))
	if !ok || len(got) != 2 || !got[0].T.Equal(ss[0].T) || !got[1].T.Equal(ss[1].T) || got[0].TempC == nil || *got[0].TempC != temp ||
		got[1].TempC != nil || got[1].Busy != 2 || got[0].Watts != 3.5 {
		t.Fatalf("round trip: %+v (%v)", got, ok)
	}
	for _, bad := range [][]byte{nil, {2}, {1, 0, 0}} {
		if got, ok := decodeSeconds(minute, bad); ok || got != nil {
			t.Errorf("record %v read as %+v", bad, got)
		}
	}
}

// TestPowerSecondsPruned: a device's minutes older than the hour leave the
// store when its next minute is stored.
func TestPowerSecondsPruned(t *testing.T) {
	tg := startGateway(t, t.TempDir(), Config{})
	node := identity.NodeID{1}
	now := time.Now()
	old := now.Add(-2 * time.Hour).Truncate(time.Minute)
	put := func(at time.Time) {
		t.Helper()
		err := tg.db.Update(func(tx *store.Tx) error {
			return putSeconds(tx, node, [][]api.PowerSample{{{T: at, Watts: 3}}}, now)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	has := func(at time.Time) bool {
		var ok bool
		tg.db.View(func(tx *store.Tx) error {
			ok = tx.Get(bucketPowerSeconds, tierKey(node, at.Truncate(time.Minute))) != nil
			return nil
		})
		return ok
	}
	// A minute stored two hours ago, as it was then.
	tg.db.Update(func(tx *store.Tx) error {
		return tx.Put(bucketPowerSeconds, tierKey(node, old), encodeSeconds(old, []api.PowerSample{{T: old, Watts: 3}}))
	})
	if !has(old) {
		t.Fatal("the old minute was not stored")
	}
	recent := now.Add(-time.Minute)
	put(recent)
	if has(old) || !has(recent) {
		t.Fatalf("after a recent minute: old kept %v, recent kept %v", has(old), has(recent))
	}
}
