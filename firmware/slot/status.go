package slot

import (
	"github.com/hearth-home/hearth/internal/atomicfile"

	"encoding/json"
	"errors"
	"os"
	"path/filepath"
)

// StatusFile is where hearth-init publishes the Status, for the agent.
const StatusFile = "/run/hearth/firmware.json"

// Status is the device's firmware status (docs/firmware.md), which
// hearth-init writes to StatusFile at every boot and when it commits, and
// the agent reports to its gateway.
type Status struct {
	Board   string `json:"board"`
	Version string `json:"version"`
	Slot    Name   `json:"slot"`
	// Trial is true from a trial boot until it commits.
	Trial bool `json:"trial"`
	// LastRollback is the last trial that failed, if any did.
	LastRollback *Rollback `json:"last_rollback,omitempty"`
}

// Status builds the status from the device, hearthboot.env and the state
// file. Call Boot first at a boot, so that a rollback is in the state. On
// an error it returns what it could read with the error.
func (d *Device) Status() (Status, error) {
	s := Status{Board: d.Board, Version: d.Version, Slot: d.Slot}
	trial, eerr := d.OnTrial()
	s.Trial = trial
	st, serr := ReadState(d.StateFile)
	s.LastRollback = st.LastRollback
	return s, errors.Join(eerr, serr)
}

// WriteStatus writes s to path atomically, making its directory.
func WriteStatus(path string, s Status) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	b, err := json.Marshal(s)
	if err != nil {
		return err
	}
	return atomicfile.WriteFile(path, append(b, '\n'), 0o644)
}
