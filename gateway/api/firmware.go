package api

import "time"

// FirmwareStatus is what an appliance device says of its firmware: the file
// that hearth-init writes (/run/hearth/firmware.json, docs/firmware.md),
// sent as it is in hello and in every heartbeat. Devices that are not
// appliances send none.
type FirmwareStatus struct {
	// Board is the image's board, e.g. "generic-arm64".
	Board string `json:"board"`
	// Version is the release running now.
	Version string `json:"version"`
	// Slot is the root slot booted, "A" or "B".
	Slot string `json:"slot,omitempty"`
	// Trial is true from a trial boot of a new release until it commits.
	Trial bool `json:"trial"`
	// LastRollback is the last trial that failed; nil when none did.
	LastRollback *FirmwareRollback `json:"last_rollback,omitempty"`
}

// FirmwareRollback is a trial boot that did not commit.
type FirmwareRollback struct {
	// From is the version running again; To the one that failed.
	From string `json:"from"`
	To   string `json:"to"`
	// Reason is what the failed slot's hearth-init recorded.
	Reason string    `json:"reason"`
	At     time.Time `json:"at,omitzero"`
}

// FirmwareUpdate is the gateway's offer, in a heartbeat answer, that the
// device update to Version: the device runs its updater once for it.
type FirmwareUpdate struct {
	Board   string `json:"board"`
	Version string `json:"version"`
}

// RolloutState is where a board's rollout stands.
type RolloutState string

const (
	// RolloutNone: no release imported for the board.
	RolloutNone RolloutState = "none"
	// RolloutCanary: the newest release is offered to one device first.
	RolloutCanary RolloutState = "canary"
	// RolloutRolling: the canary committed it; the others get it a few
	// at a time.
	RolloutRolling RolloutState = "rolling"
	// RolloutDone: every device of the board that can take it runs it.
	RolloutDone RolloutState = "done"
	// RolloutStopped: a device rolled back from it; no one more is offered
	// it. A newer release starts a new rollout.
	RolloutStopped RolloutState = "stopped"
)

// Rollout is the gateway's rollout of one board's newest release.
type Rollout struct {
	Board string       `json:"board"`
	State RolloutState `json:"state"`
	// Target is the version rolled out (the newest imported).
	Target  string    `json:"target,omitempty"`
	Started time.Time `json:"started,omitzero"`
	// Canary is the node ID of the device offered it first.
	Canary string `json:"canary,omitempty"`
	// Offered are the devices offered it that have not committed it yet.
	Offered []string `json:"offered,omitempty"`
	// Updated are the devices that committed it since the rollout began.
	Updated []string `json:"updated,omitempty"`
	// Stopped says which device rolled back from it and why.
	Stopped *RolloutStop `json:"stopped,omitempty"`
}

// RolloutStop is the rollback that stopped a rollout.
type RolloutStop struct {
	Device string    `json:"device"`
	Reason string    `json:"reason"`
	At     time.Time `json:"at"`
}

// FirmwareImage is one slot image the gateway's mirror serves.
type FirmwareImage struct {
	Board   string `json:"board"`
	Version string `json:"version"`
	// MinFrom, when set, is the oldest version that may update to it.
	MinFrom string `json:"min_from,omitempty"`
	Target  string `json:"target"`
	Length  int64  `json:"length"`
}

// FirmwareImport is the answer to an imported bundle.
type FirmwareImport struct {
	// Versions of the TUF metadata now served.
	Root      int64 `json:"root"`
	Timestamp int64 `json:"timestamp"`
	Snapshot  int64 `json:"snapshot"`
	Targets   int64 `json:"targets"`
	// Expires is when the bundle's timestamp expires: devices refuse the
	// mirror after it, until a newer bundle is imported.
	Expires time.Time `json:"expires"`
	// Files are the target files this bundle brought; Missing the targets
	// that its metadata lists but no bundle brought.
	Files   int `json:"files"`
	Missing int `json:"missing"`
	// Images are the slot images the mirror serves now.
	Images []FirmwareImage `json:"images"`
	// Rollouts are the boards' rollouts after the import.
	Rollouts []Rollout `json:"rollouts"`
}

// Firmware is the gateway's firmware mirror and rollouts (GET /v1/firmware).
type Firmware struct {
	// Enabled is false when the gateway runs without --firmware-root.
	Enabled bool `json:"enabled"`
	// Imported is when the last bundle was imported; Expires when its
	// timestamp expires.
	Imported *time.Time `json:"imported,omitempty"`
	Expires  *time.Time `json:"expires,omitempty"`
	// Boards are the boards that have images or devices, by name.
	Boards []FirmwareBoard `json:"boards"`
	// Gateway is the appliance the gateway runs on, when it runs on Hearth
	// OS with an updater.
	Gateway *FirmwareSelf `json:"gateway,omitempty"`
}

// FirmwareSelf is the firmware of the gateway's own appliance, which
// updates itself from the gateway's mirror once the devices of its board
// have the release.
type FirmwareSelf struct {
	// Firmware is its status; nil when hearth-init's file cannot be read.
	Firmware *FirmwareStatus `json:"firmware,omitempty"`
	// Installing is the release the updater is installing now.
	Installing string `json:"installing,omitempty"`
	// Next is the release it installs at its next look (every 30 s, and
	// at each import); Waiting says why none, when one is served.
	Next    string `json:"next,omitempty"`
	Waiting string `json:"waiting,omitempty"`
}

// FirmwareBoard is one board: its images, rollout and devices.
type FirmwareBoard struct {
	Board string `json:"board"`
	// Versions the mirror serves for the board, newest first.
	Versions []string         `json:"versions"`
	Rollout  Rollout          `json:"rollout"`
	Devices  []FirmwareDevice `json:"devices"`
}

// FirmwareDevice is one device of a board.
type FirmwareDevice struct {
	ID       string          `json:"id"`
	Name     string          `json:"name"`
	State    MemberState     `json:"state"`
	Firmware *FirmwareStatus `json:"firmware"`
}
