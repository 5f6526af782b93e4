package slot

import (
	"errors"
	"fmt"
)

// Boot settles, once per boot, what the boots before left in the state
// file, and returns the rollback it found (nil if none):
//
//   - a pending trial of the other slot, once its trial boot started or
//     the boot loader spent it (the slot is first in BOOT_ORDER with LEFT
//     0, or hearthboot.env cannot be read), failed: it becomes LastRollback, From the version
//     running now, To the one that failed, with the reason its boot
//     recorded (Fail) or NoReason, at now; and hearthboot.env puts the
//     running slot first again;
//   - a pending trial of the other slot not yet spent was never armed (a
//     power cut inside Install): it is dropped;
//   - a pending trial of this slot on a boot that is no trial committed;
//   - on a trial boot, the trial is pending with its start time (also
//     when no Install recorded it, e.g. a slot written by hand).
//
// An unreadable state file is started afresh (the error is returned with
// the result, for the log).
func (d *Device) Boot() (*Rollback, error) {
	st, serr := ReadState(d.StateFile)
	if serr != nil && !errors.Is(serr, ErrState) {
		return nil, serr
	}
	env, eerr := ReadBootEnv(d.BootEnvFile)
	var rb *Rollback
	if p := st.Pending; p != nil {
		// Its trial boot started (and recorded so), or the boot loader
		// spent it: armed, the slot is first, spent its LEFT is 0. An
		// unreadable hearthboot.env cannot say; a trial armed is then
		// the likelier story than a power cut inside Install.
		spent := !p.Started.IsZero() || eerr != nil || (env.Order[0] == p.Slot && env.Left(p.Slot) == LeftNever)
		switch {
		case p.Slot != d.Slot && spent:
			rb = &Rollback{From: d.Version, To: p.Version, Reason: p.Reason, At: d.now()}
			if rb.Reason == "" {
				rb.Reason = NoReason
			}
			st.LastRollback, st.Pending = rb, nil
			if !d.Trial {
				// The running slot first again: a later Install cut
				// short by a power cut is then not taken for a trial
				// spent.
				if eerr != nil {
					env = BootEnv{}
					env.SetLeft(d.Slot, LeftCommitted)
				}
				env.SetLeft(p.Slot, LeftNever)
				env.First(d.Slot)
				if err := WriteBootEnv(d.BootEnvFile, env); err != nil {
					return rb, err
				}
				eerr = nil
			}
		case p.Slot != d.Slot && env.Left(p.Slot) == LeftTrial && env.Order[0] == p.Slot:
			// Armed, and the boot loader booted this slot anyway: it
			// cannot have, unless the file changed under it. Keep it.
		case p.Slot != d.Slot, !d.Trial:
			st.Pending = nil
		}
	}
	if d.Trial && (st.Pending == nil || st.Pending.Slot != d.Slot) {
		st.Pending = &Trial{Slot: d.Slot, Version: d.Version}
	}
	if d.Trial && st.Pending.Started.IsZero() {
		st.Pending.Started = d.now()
	}
	if d.Trial {
		if st.Slots == nil {
			st.Slots = map[Name]SlotState{}
		}
		if s := st.Slots[d.Slot]; s.Version == "" {
			s.Version = d.Version
			st.Slots[d.Slot] = s
		}
	}
	if err := WriteState(d.StateFile, st); err != nil {
		return rb, errors.Join(err, serr, eerr)
	}
	return rb, errors.Join(serr, eerr)
}

// Commit commits the booted slot after a good trial: BOOT_ORDER puts it
// first and its LEFT becomes 3; the other slot keeps its state, so that
// the release before stays the way back. The pending trial is cleared.
// A hearthboot.env that cannot be read is replaced, with the other slot's
// LEFT 0. Committing a committed slot changes nothing.
func (d *Device) Commit() error {
	env, err := ReadBootEnv(d.BootEnvFile)
	if err != nil {
		env = BootEnv{}
		env.SetLeft(d.Slot.Other(), LeftNever)
	}
	if env.Left(d.Slot) != LeftCommitted || env.Order[0] != d.Slot || err != nil {
		env.SetLeft(d.Slot, LeftCommitted)
		env.First(d.Slot)
		if err := WriteBootEnv(d.BootEnvFile, env); err != nil {
			return fmt.Errorf("committing slot %s: %w", d.Slot, err)
		}
	}
	st, err := ReadState(d.StateFile)
	if err != nil && !errors.Is(err, ErrState) {
		return err
	}
	if st.Pending == nil {
		return nil
	}
	st.Pending = nil
	return WriteState(d.StateFile, st)
}

// Fail records why the booted slot's trial failed, for the next boot (on
// the other slot) to report as its LastRollback. It does not reboot: the
// caller does, and the boot loader, which set this slot's LEFT to 0 before
// it booted it, takes the other slot.
func (d *Device) Fail(reason string) error {
	st, err := ReadState(d.StateFile)
	if err != nil && !errors.Is(err, ErrState) {
		return err
	}
	if st.Pending == nil || st.Pending.Slot != d.Slot {
		st.Pending = &Trial{Slot: d.Slot, Version: d.Version}
	}
	st.Pending.Reason, st.Pending.FailedAt = reason, d.now()
	return WriteState(d.StateFile, st)
}
