package slot

import (
	"github.com/hearth-home/hearth/internal/atomicfile"

	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// StateName is the update state's file in the data partition's hearth
// directory (/data/hearth/firmware-state.json).
const StateName = "firmware-state.json"

// State is what the device keeps about its slots on the data partition,
// so that a boot learns what the boots before it did. It is written whole
// and atomically.
type State struct {
	// Slots has what was written into each slot by Install. A slot
	// missing here holds what the card was flashed with (slot A) or
	// nothing (slot B); one with an empty Version is being written, or
	// its write failed.
	Slots map[Name]SlotState `json:"slots,omitempty"`
	// Pending is the trial armed by Install, until it commits or its
	// failure is reported by the next boot.
	Pending *Trial `json:"pending,omitempty"`
	// LastRollback is the last trial that failed.
	LastRollback *Rollback `json:"last_rollback,omitempty"`
}

// SlotState is one slot's contents.
type SlotState struct {
	// Version is the release written there ("" while it is written).
	Version string `json:"version,omitempty"`
	// SHA256 is the hex sha256 of the image as read back, and Size its
	// length in bytes.
	SHA256 string `json:"sha256,omitempty"`
	Size   int64  `json:"size,omitempty"`
	// Written is when the write ended.
	Written time.Time `json:"written,omitzero"`
}

// Trial is a new slot's trial.
type Trial struct {
	// Slot and Version are what is on trial.
	Slot    Name   `json:"slot"`
	Version string `json:"version"`
	// Armed is when Install armed it, Started when its trial boot began.
	Armed   time.Time `json:"armed,omitzero"`
	Started time.Time `json:"started,omitzero"`
	// Reason is why the trial failed, recorded by Fail before the trial
	// boot rebooted; FailedAt is when.
	Reason   string    `json:"reason,omitempty"`
	FailedAt time.Time `json:"failed_at,omitzero"`
}

// Rollback is a trial that failed, as docs/firmware.md reports it: From is
// the version running again, To the version that failed.
type Rollback struct {
	From   string    `json:"from"`
	To     string    `json:"to"`
	Reason string    `json:"reason"`
	At     time.Time `json:"at"`
}

// NoReason is a failed trial's reason when its boot recorded none.
const NoReason = "did not commit: no reason recorded (a kernel panic, a hang or a power cut)"

// ReadState reads the state file at path; a missing file is an empty
// State. One that does not parse (which the atomic writes should make
// impossible) is an empty State with ErrState.
func ReadState(path string) (State, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return State{}, nil
	}
	if err != nil {
		return State{}, fmt.Errorf("%w: %w", ErrState, err)
	}
	var s State
	if err := json.Unmarshal(b, &s); err != nil {
		return State{}, fmt.Errorf("%w: %s: %w", ErrState, path, err)
	}
	return s, nil
}

// WriteState replaces the state file at path atomically, making its
// directory if need be.
func WriteState(path string, s State) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.WriteFile(path, append(b, '\n'), 0o600)
}
