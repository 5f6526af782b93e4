package hearthinit

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

func TestTrials(t *testing.T) {
	tr := Trials{Dir: filepath.Join(t.TempDir(), "hearth")}
	t0 := time.Date(2026, 12, 5, 23, 0, 0, 0, time.UTC)
	v1 := Status{Board: "generic-arm64", Version: "1.0", Slot: "A"}

	// A normal first boot: nothing to report.
	st, err := tr.Boot(v1, t0)
	if err != nil || !reflect.DeepEqual(st, v1) {
		t.Fatalf("first boot: %+v, %v", st, err)
	}
	// The trial of 2.0 in B exits three times and says so.
	v2 := Status{Board: "generic-arm64", Version: "2.0", Slot: "B", Trial: true}
	if st, err = tr.Boot(v2, t0.Add(time.Minute)); err != nil || st.LastRollback != nil {
		t.Fatalf("trial boot: %+v, %v", st, err)
	}
	must(t, tr.Fail("the agent exited 3 times", t0.Add(2*time.Minute)))
	// Back on A: the rollback is reported, and stays reported.
	for i := range 2 {
		st, err = tr.Boot(v1, t0.Add(time.Duration(3+i)*time.Minute))
		want := &Rollback{From: "1.0", To: "2.0", Reason: "the agent exited 3 times", At: t0.Add(2 * time.Minute)}
		if err != nil || !reflect.DeepEqual(st.LastRollback, want) {
			t.Fatalf("boot %d after the rollback: %+v, %v", i, st.LastRollback, err)
		}
	}
	// A trial that dies without a word (panic, hang, power cut).
	v3 := Status{Board: "generic-arm64", Version: "3.0", Slot: "B", Trial: true}
	if _, err = tr.Boot(v3, t0.Add(10*time.Minute)); err != nil {
		t.Fatal(err)
	}
	st, _ = tr.Boot(v1, t0.Add(11*time.Minute))
	if st.LastRollback == nil || st.LastRollback.To != "3.0" || st.LastRollback.Reason != NoReason || !st.LastRollback.At.Equal(t0.Add(11*time.Minute)) {
		t.Errorf("silent failure: %+v", st.LastRollback)
	}
	// A trial that commits, and its next boots.
	v4 := Status{Board: "generic-arm64", Version: "4.0", Slot: "B", Trial: true}
	tr.Boot(v4, t0.Add(20*time.Minute))
	must(t, tr.Committed())
	v4.Trial = false
	st, _ = tr.Boot(v4, t0.Add(30*time.Minute))
	if st.LastRollback == nil || st.LastRollback.To != "3.0" {
		t.Errorf("after a commit the last rollback is still 3.0's: %+v", st.LastRollback)
	}
	// A commit whose record removal a power cut prevented: the next
	// normal boot of the same slot is no rollback.
	tr.Boot(Status{Version: "5.0", Slot: "A", Trial: true}, t0.Add(40*time.Minute))
	st, _ = tr.Boot(Status{Version: "5.0", Slot: "A"}, t0.Add(41*time.Minute))
	if st.LastRollback.To != "3.0" {
		t.Errorf("a committed trial counted as a rollback: %+v", st.LastRollback)
	}

	path := filepath.Join(t.TempDir(), "run", "firmware.json")
	must(t, WriteStatus(path, st))
	b, _ := os.ReadFile(path)
	var m map[string]any
	if json.Unmarshal(b, &m) != nil || m["slot"] != "A" || m["trial"] != false || m["last_rollback"].(map[string]any)["reason"] != NoReason {
		t.Errorf("firmware.json: %s", b)
	}
}
