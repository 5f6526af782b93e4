package hearthinit

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// Status is the device's firmware status, which hearth-init writes to
// /run/hearth/firmware.json at every boot and when it commits, and the
// agent reports to the gateway (docs/firmware.md).
type Status struct {
	Board        string    `json:"board"`
	Version      string    `json:"version"`
	Slot         string    `json:"slot"`
	Trial        bool      `json:"trial"`
	LastRollback *Rollback `json:"last_rollback,omitempty"`
}

// Rollback is a trial that failed: From is the version running again, To
// the one that failed.
type Rollback struct {
	From   string    `json:"from"`
	To     string    `json:"to"`
	Reason string    `json:"reason"`
	At     time.Time `json:"at"`
}

// NoReason is a failed trial's reason when its hearth-init could record
// none.
const NoReason = "did not commit: no reason recorded (a kernel panic, a hang or a power cut)"

// trialRecord is what a trial boot keeps on the data partition while it
// runs: the next boot, on the other slot, learns from it that the trial
// failed and why.
type trialRecord struct {
	Slot    string    `json:"slot"`
	Version string    `json:"version"`
	Started time.Time `json:"started"`
	Reason  string    `json:"reason,omitempty"`
	At      time.Time `json:"at,omitzero"`
}

// Trials keeps the trial record and the last rollback in Dir
// (/data/hearth).
type Trials struct {
	Dir string
}

func (t Trials) recordPath() string   { return filepath.Join(t.Dir, "trial.json") }
func (t Trials) rollbackPath() string { return filepath.Join(t.Dir, "last_rollback.json") }

// Boot settles what the last boot left and starts this one: a trial record
// of the other slot means that trial failed (it becomes the last rollback);
// one of this slot, on a normal boot, was committed. On a trial boot a new
// record is written. It returns the status to publish.
func (t Trials) Boot(st Status, now time.Time) (Status, error) {
	if err := os.MkdirAll(t.Dir, 0o700); err != nil {
		return st, err
	}
	var rec trialRecord
	err := readJSON(t.recordPath(), &rec)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		os.Remove(t.recordPath()) // unreadable: a power cut while it was written
	case rec.Slot != st.Slot:
		rb := Rollback{From: st.Version, To: rec.Version, Reason: rec.Reason, At: rec.At}
		if rb.Reason == "" {
			rb.Reason = NoReason
		}
		if rb.At.IsZero() {
			rb.At = now
		}
		if err := writeJSON(t.rollbackPath(), rb); err != nil {
			return st, err
		}
		os.Remove(t.recordPath())
	default:
		os.Remove(t.recordPath()) // this slot's trial committed
	}
	var rb Rollback
	if readJSON(t.rollbackPath(), &rb) == nil {
		st.LastRollback = &rb
	}
	if st.Trial {
		if err := writeJSON(t.recordPath(), trialRecord{Slot: st.Slot, Version: st.Version, Started: now}); err != nil {
			return st, err
		}
	}
	return st, syncDir(t.Dir)
}

// Fail records why this trial failed, for the next boot to report.
func (t Trials) Fail(reason string, now time.Time) error {
	var rec trialRecord
	if err := readJSON(t.recordPath(), &rec); err != nil {
		return err
	}
	rec.Reason, rec.At = reason, now
	return writeJSON(t.recordPath(), rec)
}

// Committed removes the trial record.
func (t Trials) Committed() error {
	if err := os.Remove(t.recordPath()); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return syncDir(t.Dir)
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

func writeJSON(path string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return writeFileSync(path, append(b, '\n'), 0o644)
}

// WriteStatus publishes st at path (/run/hearth/firmware.json).
func WriteStatus(path string, st Status) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return writeJSON(path, st)
}
