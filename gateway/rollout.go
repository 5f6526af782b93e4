package gateway

import (
	"slices"
	"time"

	"github.com/hearth-home/hearth/firmware/ota"
	"github.com/hearth-home/hearth/gateway/api"
)

// rollout is one board's rollout of its newest imported release
// (docs/firmware.md, "Rollout"): offered to one device first (the canary);
// once the canary has committed it, to the others, batch at a time; stopped
// for good when any device rolls back from it. The gateway keeps one per
// board under its lock and stores it (bucketFirmware) at every change, so
// that a restart goes on where the rollout was.
type rollout struct {
	Board   string           `json:"board"`
	Target  string           `json:"target,omitempty"`
	MinFrom string           `json:"min_from,omitempty"`
	State   api.RolloutState `json:"state"`
	Started time.Time        `json:"started,omitzero"`
	// Canary is the device offered Target first; CanaryAt when.
	Canary   string    `json:"canary,omitempty"`
	CanaryAt time.Time `json:"canary_at,omitzero"`
	// Offered are the devices offered Target that have not committed it
	// yet, with when they were first offered it.
	Offered map[string]time.Time `json:"offered,omitempty"`
	// Updated are the devices that committed Target after its offer.
	Updated []string         `json:"updated,omitempty"`
	Stopped *api.RolloutStop `json:"stopped,omitempty"`
	// RolledBack holds, by device, the versions it rolled back from: it is
	// never offered them again, whatever rollout comes.
	RolledBack map[string][]string `json:"rolled_back,omitempty"`
	// Version orders the writes of the record (as memberRecord's).
	Version uint64 `json:"version"`
}

// rolloutDevice is what a rollout knows of a device.
type rolloutDevice struct {
	id string
	// live: the member is ready (heard from lately).
	live bool
	fw   *api.FirmwareStatus
}

// rolloutPolicy is the gateway's configuration of rollouts.
type rolloutPolicy struct {
	// batch is how many devices may have an offer outstanding at once
	// once the canary has committed.
	batch int
	// stall is how long an outstanding offer counts against the batch,
	// and how long a canary that went silent keeps its place.
	stall time.Duration
}

// retarget makes version (the board's newest image, "" when none) the
// rollout's target. A new target starts a new rollout; the same one keeps
// the rollout as it is (a re-imported bundle, a restart). It reports whether
// the rollout changed.
func (r *rollout) retarget(version, minFrom string, now time.Time) bool {
	switch {
	case version == r.Target && r.State != "":
		changed := r.MinFrom != minFrom
		r.MinFrom = minFrom
		return changed
	case version == "":
		*r = rollout{Board: r.Board, State: api.RolloutNone, RolledBack: r.RolledBack, Version: r.Version}
		return true
	}
	*r = rollout{Board: r.Board, Target: version, MinFrom: minFrom, State: api.RolloutCanary, Started: now,
		RolledBack: r.RolledBack, Version: r.Version}
	return true
}

// active reports whether the rollout may still offer its target.
func (r *rollout) active() bool {
	return r.State == api.RolloutCanary || r.State == api.RolloutRolling || r.State == api.RolloutDone
}

// observe takes in a device's firmware status: a rollback from the target
// stops the rollout; the target committed by the canary lets it roll on.
// It reports whether the rollout changed.
func (r *rollout) observe(d rolloutDevice, now time.Time) bool {
	fw := d.fw
	if fw == nil || fw.Board != r.Board {
		return false
	}
	changed := false
	if lr := fw.LastRollback; lr != nil && lr.To != "" && !slices.Contains(r.RolledBack[d.id], lr.To) {
		if r.RolledBack == nil {
			r.RolledBack = map[string][]string{}
		}
		r.RolledBack[d.id] = append(r.RolledBack[d.id], lr.To)
		changed = true
	}
	if lr := fw.LastRollback; lr != nil && lr.To == r.Target && r.active() {
		at := lr.At
		if at.IsZero() {
			at = now.UTC()
		}
		r.State, r.Offered = api.RolloutStopped, nil
		r.Stopped = &api.RolloutStop{Device: d.id, Reason: lr.Reason, At: at}
		return true
	}
	if fw.Version != r.Target || fw.Trial || !r.active() {
		return changed
	}
	_, offered := r.Offered[d.id]
	if !offered && d.id != r.Canary || slices.Contains(r.Updated, d.id) {
		return changed
	}
	delete(r.Offered, d.id)
	r.Updated = append(r.Updated, d.id)
	if r.State == api.RolloutCanary && d.id == r.Canary {
		r.State = api.RolloutRolling
	}
	return true
}

// needs reports whether the device runs an older release than the target
// that it may update to directly and has not rolled back from.
func (r *rollout) needs(d rolloutDevice) bool {
	fw := d.fw
	return fw != nil && fw.Board == r.Board && r.Target != "" &&
		ota.CompareVersions(fw.Version, r.Target) < 0 &&
		(r.MinFrom == "" || ota.CompareVersions(fw.Version, r.MinFrom) >= 0) &&
		!slices.Contains(r.RolledBack[d.id], r.Target)
}

// offer decides whether the device is offered the target now; live tells
// whether another device is ready. It reports the offer (nil: none) and
// whether the rollout changed.
func (r *rollout) offer(d rolloutDevice, now time.Time, live func(id string) bool, p rolloutPolicy) (*api.FirmwareUpdate, bool) {
	if !r.active() || !d.live || d.fw.Trial || !r.needs(d) {
		return nil, false
	}
	up := &api.FirmwareUpdate{Board: r.Board, Version: r.Target}
	changed := false
	if r.State == api.RolloutDone {
		r.State, changed = api.RolloutRolling, true // a device came back, or was added, on an older release
	}
	if r.State == api.RolloutCanary {
		switch {
		case r.Canary == d.id:
			return up, changed
		case r.Canary != "" && (live(r.Canary) || now.Sub(r.CanaryAt) < p.stall):
			return nil, changed
		}
		// The first device that may take it is the canary; one that went
		// silent for long gives its place to another.
		delete(r.Offered, r.Canary)
		r.Canary, r.CanaryAt = d.id, now.UTC()
		r.offered(d.id, now)
		return up, true
	}
	if _, ok := r.Offered[d.id]; ok {
		return up, changed
	}
	pending := 0
	for _, at := range r.Offered {
		if now.Sub(at) < p.stall {
			pending++
		}
	}
	if pending >= max(p.batch, 1) {
		return nil, changed
	}
	r.offered(d.id, now)
	return up, true
}

func (r *rollout) offered(id string, now time.Time) {
	if r.Offered == nil {
		r.Offered = map[string]time.Time{}
	}
	r.Offered[id] = now.UTC()
}

// settle marks a rolling rollout done when none of the board's devices
// needs the target any more, and a done one rolling again when one does. A
// rollout is done only after its canary committed: one that no device has
// tried waits for its canary, even when no device needs it yet.
// It reports whether the rollout changed.
func (r *rollout) settle(devices []rolloutDevice) bool {
	need := slices.ContainsFunc(devices, r.needs)
	switch {
	case r.State == api.RolloutRolling && !need:
		r.State = api.RolloutDone
		return true
	case r.State == api.RolloutDone && need:
		r.State = api.RolloutRolling
		return true
	}
	return false
}

// view is the rollout as GET /v1/firmware shows it.
func (r *rollout) view() api.Rollout {
	v := api.Rollout{Board: r.Board, State: r.State, Target: r.Target, Started: r.Started, Canary: r.Canary,
		Updated: slices.Clone(r.Updated), Stopped: r.Stopped}
	if v.State == "" {
		v.State = api.RolloutNone
	}
	for id := range r.Offered {
		v.Offered = append(v.Offered, id)
	}
	slices.Sort(v.Offered)
	return v
}
