package gateway

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/hearth-home/hearth/gateway/api"
)

// fleet is a board's devices as a rollout sees them, driven by a test.
type fleet struct {
	t    *testing.T
	r    *rollout
	now  time.Time
	devs map[string]*rolloutDevice
	p    rolloutPolicy
}

func newFleet(t *testing.T, n int, version string) *fleet {
	f := &fleet{t: t, r: &rollout{Board: "generic-arm64"}, now: time.Date(2026, 12, 5, 23, 0, 0, 0, time.UTC),
		devs: map[string]*rolloutDevice{}, p: rolloutPolicy{batch: 2, stall: 30 * time.Minute}}
	for i := range n {
		id := fmt.Sprintf("dev%d", i)
		f.devs[id] = &rolloutDevice{id: id, live: true, fw: &api.FirmwareStatus{Board: "generic-arm64", Version: version, Slot: "A"}}
	}
	return f
}

func (f *fleet) list() []rolloutDevice {
	var out []rolloutDevice
	for _, d := range f.devs {
		out = append(out, *d)
	}
	return out
}

func (f *fleet) live(id string) bool { return f.devs[id] != nil && f.devs[id].live }

// beat is one heartbeat of a device: its status taken in, then the offer.
func (f *fleet) beat(id string) *api.FirmwareUpdate {
	d := f.devs[id]
	if f.r.observe(*d, f.now) {
		f.r.settle(f.list())
	}
	up, _ := f.r.offer(*d, f.now, f.live, f.p)
	return up
}

// offered runs a heartbeat of every device, in name order, and returns
// those offered the target.
func (f *fleet) offered() []string {
	var out []string
	for i := range len(f.devs) {
		id := fmt.Sprintf("dev%d", i)
		if up := f.beat(id); up != nil {
			if up.Version != f.r.Target || up.Board != f.r.Board {
				f.t.Fatalf("%s offered %+v, target %s", id, up, f.r.Target)
			}
			out = append(out, id)
		}
	}
	return out
}

// install moves a device to version as a trial, then commits it.
func (f *fleet) install(id, version string) {
	fw := f.devs[id].fw
	f.devs[id].fw = &api.FirmwareStatus{Board: fw.Board, Version: version, Slot: "B", LastRollback: fw.LastRollback}
}

func (f *fleet) rollback(id, to, reason string) {
	fw := f.devs[id].fw
	f.devs[id].fw = &api.FirmwareStatus{Board: fw.Board, Version: fw.Version, Slot: fw.Slot,
		LastRollback: &api.FirmwareRollback{From: fw.Version, To: to, Reason: reason, At: f.now}}
}

func (f *fleet) wantState(s api.RolloutState) {
	f.t.Helper()
	if f.r.State != s {
		f.t.Fatalf("rollout %s, want %s: %+v", f.r.State, s, f.r.view())
	}
}

func TestRolloutCanaryThenBatchesThenDone(t *testing.T) {
	f := newFleet(t, 5, "0.4.0")
	f.r.retarget("0.5.0", "", f.now)
	// Imported before any device said anything: it waits for a canary.
	f.r.settle(nil)
	f.wantState(api.RolloutCanary)
	f.r.settle(f.list())
	f.wantState(api.RolloutCanary)
	// One device only, however often they all ask.
	for range 3 {
		if got := f.offered(); len(got) != 1 || got[0] != "dev0" {
			t.Fatalf("canary phase offered %v", got)
		}
	}
	// A trial is not a commit.
	f.devs["dev0"].fw = &api.FirmwareStatus{Board: "generic-arm64", Version: "0.5.0", Slot: "B", Trial: true}
	if got := f.offered(); len(got) != 0 {
		t.Fatalf("offered %v while the canary is on trial", got)
	}
	f.wantState(api.RolloutCanary)
	f.install("dev0", "0.5.0")
	got := f.offered()
	f.wantState(api.RolloutRolling)
	if len(got) != 2 || got[0] != "dev1" || got[1] != "dev2" {
		t.Fatalf("first batch %v, want dev1 dev2", got)
	}
	f.install("dev1", "0.5.0")
	if got := f.offered(); len(got) != 2 || got[0] != "dev2" || got[1] != "dev3" {
		t.Fatalf("after dev1 committed: %v, want dev2 dev3", got)
	}
	for _, id := range []string{"dev2", "dev3", "dev4"} {
		f.offered()
		f.install(id, "0.5.0")
	}
	if got := f.offered(); len(got) != 0 {
		t.Fatalf("offered %v with every device updated", got)
	}
	f.wantState(api.RolloutDone)
	if v := f.r.view(); v.Canary != "dev0" || len(v.Updated) != 5 || len(v.Offered) != 0 {
		t.Errorf("view %+v", v)
	}
	// A device added later on the old release rolls it on again.
	f.devs["dev5"] = &rolloutDevice{id: "dev5", live: true, fw: &api.FirmwareStatus{Board: "generic-arm64", Version: "0.4.0"}}
	if got := f.offered(); len(got) != 1 || got[0] != "dev5" {
		t.Fatalf("late device: %v", got)
	}
	f.install("dev5", "0.5.0")
	f.offered()
	f.wantState(api.RolloutDone)
}

func TestRolloutStopsAtRollback(t *testing.T) {
	f := newFleet(t, 4, "0.4.0")
	f.r.retarget("0.5.0", "", f.now)
	f.offered()
	f.install("dev0", "0.5.0")
	f.offered() // dev1, dev2
	f.rollback("dev1", "0.5.0", "the agent exited 3 times")
	if got := f.offered(); len(got) != 0 {
		t.Fatalf("offered %v after a rollback", got)
	}
	f.wantState(api.RolloutStopped)
	if s := f.r.Stopped; s == nil || s.Device != "dev1" || s.Reason != "the agent exited 3 times" {
		t.Fatalf("stopped %+v", s)
	}
	// The same release imported again stays stopped.
	if f.r.retarget("0.5.0", "", f.now) {
		t.Error("re-import of the same release changed a stopped rollout")
	}
	f.wantState(api.RolloutStopped)
	// A newer release starts again; the device is never offered 0.5.0
	// again, but 0.5.1 it may take.
	f.r.retarget("0.5.1", "", f.now)
	f.wantState(api.RolloutCanary)
	if got := f.offered(); len(got) != 1 || got[0] != "dev0" {
		t.Fatalf("new canary: %v", got)
	}
	f.r.Target = "0.5.0" // as if the release were pulled back to 0.5.0
	if f.r.needs(*f.devs["dev1"]) {
		t.Error("dev1 would be offered the release it rolled back from")
	}
}

func TestRolloutCanaryRules(t *testing.T) {
	f := newFleet(t, 3, "0.4.0")
	f.r.retarget("0.5.0", "0.4.0", f.now)
	// Devices not ready, on trial, newer, of another board or below
	// min_from are not canaries.
	f.devs["dev0"].live = false
	f.devs["dev1"].fw = &api.FirmwareStatus{Board: "rpi-arm64", Version: "0.4.0"}
	f.devs["dev2"].fw = &api.FirmwareStatus{Board: "generic-arm64", Version: "0.3.0"}
	if got := f.offered(); len(got) != 0 {
		t.Fatalf("offered %v", got)
	}
	f.devs["dev2"].fw = &api.FirmwareStatus{Board: "generic-arm64", Version: "0.4.2"}
	if got := f.offered(); len(got) != 1 || got[0] != "dev2" {
		t.Fatalf("offered %v, want dev2", got)
	}
	// The canary goes silent: after the stall another device takes its place.
	f.devs["dev2"].live = false
	f.devs["dev0"].live = true
	if got := f.offered(); len(got) != 0 {
		t.Fatalf("offered %v before the stall", got)
	}
	f.now = f.now.Add(31 * time.Minute)
	if got := f.offered(); len(got) != 1 || got[0] != "dev0" || f.r.Canary != "dev0" {
		t.Fatalf("offered %v, canary %s, want dev0", got, f.r.Canary)
	}
}

// The rollout survives as its stored JSON.
func TestRolloutRoundTrip(t *testing.T) {
	f := newFleet(t, 3, "0.4.0")
	f.r.retarget("0.5.0", "", f.now)
	f.offered()
	f.install("dev0", "0.5.0")
	f.offered()
	raw, err := json.Marshal(f.r)
	if err != nil {
		t.Fatal(err)
	}
	var back rollout
	if err := json.Unmarshal(raw, &back); err != nil {
		t.Fatal(err)
	}
	f.r = &back
	f.wantState(api.RolloutRolling)
	if got := f.offered(); len(got) != 2 {
		t.Fatalf("after a round trip offered %v, want the same batch of 2", got)
	}
}
