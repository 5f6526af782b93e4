package gateway

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/store"
)

// TestPowerMinuteTier: a device's samples of three whole minutes (each
// minute at its own wattage) come back from GET /v1/pool/power?since=2h as
// one sample a minute, the minute's mean, for the device and the pool; a
// gateway restarted serves them from disk.
func TestPowerMinuteTier(t *testing.T) {
	dir := t.TempDir()
	tg := startGateway(t, dir, Config{})
	n := newNode(t, tg.Gateway)
	n.hello(t, tg.JoinToken().String())
	// Four minutes of samples ending now, sent now in heartbeats of a
	// minute each (an agent that was cut off sends its backlog so).
	start := time.Now().Truncate(time.Minute).Add(-4 * time.Minute)
	temp := 51.5
	for m := range 4 {
		var ss []api.PowerSample
		for s := range 60 {
			ss = append(ss, api.PowerSample{T: start.Add(time.Duration(m)*time.Minute + time.Duration(s)*time.Second),
				Watts: float64(3 + m), BudgetW: 8, Work: 0.5, TempC: &temp})
		}
		if _, err := n.c.Heartbeat(context.Background(), api.Heartbeat{Samples: ss, SentAt: time.Now()}); err != nil {
			t.Fatal(err)
		}
	}
	check := func(what string) {
		t.Helper()
		code, body := rawAdmin(t, tg, "GET", "/v1/pool/power?since=2h", nil)
		if code != 200 {
			t.Fatalf("%s: GET /v1/pool/power?since=2h: %d %s", what, code, body)
		}
		var pp api.PoolPower
		if err := json.Unmarshal([]byte(body), &pp); err != nil {
			t.Fatal(err)
		}
		if len(pp.Devices) != 1 || pp.StepS != 60 {
			t.Fatalf("%s: %d devices, step %d s, want 1 and 60", what, len(pp.Devices), pp.StepS)
		}
		// Three minutes ended (the fourth runs on); the gateway's clock
		// may put the first sample of a minute into the one before.
		ss := pp.Devices[0].Samples
		if len(ss) < 3 || len(pp.Pool) != len(ss) {
			t.Fatalf("%s: %d minute samples, %d pool samples: %+v", what, len(ss), len(pp.Pool), ss)
		}
		for i, s := range ss[len(ss)-3:] {
			want := float64(3 + i)
			if s.T.Second() != 0 || s.Watts < want-0.1 || s.Watts > want+0.1 || s.BudgetW != 8 || s.Work != 0.5 ||
				s.TempC == nil || *s.TempC != temp {
				t.Errorf("%s: minute %d: %+v, want about %v W", what, i, s, want)
			}
		}
	}
	check("running")
	tg.stop()
	tg = startGateway(t, dir, Config{})
	check("after a restart")
}

// TestPowerMinutesPruned: a device's hours older than seven days leave
// the store when its next minute is stored.
func TestPowerMinutesPruned(t *testing.T) {
	db, err := store.Open(t.TempDir() + "/db")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	node := newNode(t, startGateway(t, t.TempDir(), Config{}).Gateway).id.ID
	now := time.Now()
	old := api.PowerSample{T: now.Add(-8 * 24 * time.Hour).Truncate(time.Minute), Watts: 2}
	fresh := api.PowerSample{T: now.Add(-time.Hour).Truncate(time.Minute), Watts: 4}
	for _, s := range []api.PowerSample{old, fresh} {
		if err := db.Update(func(tx *store.Tx) error { return putMinutes(tx, node, []api.PowerSample{s}, now) }); err != nil {
			t.Fatal(err)
		}
	}
	var keys []string
	db.View(func(tx *store.Tx) error {
		return tx.Scan(bucketPowerMinutes, "", func(k string, v []byte) error {
			if len(v) != hourRecord {
				t.Errorf("record %s: %d bytes, want %d", k, len(v), hourRecord)
			}
			keys = append(keys, k)
			return nil
		})
	})
	if len(keys) != 1 || keys[0] != tierKey(node, fresh.T.Truncate(time.Hour)) {
		t.Fatalf("stored hours %v, want only the fresh one", keys)
	}
}
