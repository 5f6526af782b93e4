package hearthinit

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/hearth-home/hearth/firmware/hearthtxt"
	"github.com/hearth-home/hearth/firmware/slot"
)

// firmwareStatus settles what the boots before left (a trial that failed
// is reported here, once), starts this boot's trial if it is one and
// publishes the status. It returns the device, nil if its partitions are
// not all there.
func (b *boot) firmwareStatus(cl slot.Cmdline, disk Disk) *slot.Device {
	dev, err := slot.NewDevice(cl, disk, slot.Paths{Boot: b.layout.Boot, Slot: b.layout.Slot, Data: b.layout.Data})
	if err != nil {
		b.log.Error("firmware status", "err", err)
		return nil
	}
	rb, err := dev.Boot()
	if err != nil {
		b.log.Error("the update state", "err", err)
	}
	if rb != nil {
		b.log.Info(fmt.Sprintf("rolled back from %s (%s)", rb.To, rb.Reason), "running", rb.From, "slot", dev.Slot)
	}
	b.dev = dev
	b.publish(dev)
	return dev
}

// publish writes the firmware status for the agent.
func (b *boot) publish(dev *slot.Device) {
	st, err := dev.Status()
	if err != nil {
		b.log.Warn("firmware status", "err", err)
	}
	if err := slot.WriteStatus(slot.StatusFile, st); err != nil {
		b.log.Error("writing "+slot.StatusFile, "err", err)
	}
}

// trial waits for the role to be ready and commits the slot. The error
// ends the boot: the trial failed.
func (b *boot) trial(ctx context.Context, cfg hearthtxt.Config, dev *slot.Device, sup *Supervisor) error {
	ready := FileExists(ReadyFile)
	if cfg.EffectiveRole() == hearthtxt.RoleGateway {
		ready = Listening(GatewayPort)
	}
	b.log.Info("trial boot: waiting for the "+cfg.EffectiveRole()+" to be ready", "window", orDefault(cfg.TrialTimeout, DefaultTrialWindow))
	if err := (TrialWatch{Window: cfg.TrialTimeout, Ready: ready}).Run(ctx); err != nil || ctx.Err() != nil {
		return err
	}
	if err := dev.Commit(); err != nil {
		return fmt.Errorf("%w: %w", ErrNotCommitted, err)
	}
	sup.EndTrial()
	b.publish(dev)
	b.log.Info(fmt.Sprintf("committed slot %s (version %s)", dev.Slot, dev.Version))
	return nil
}

// trialFailed records why the trial failed, for the next boot (on the
// other slot) to report.
func (b *boot) trialFailed(err error, cfg hearthtxt.Config) {
	reason := TrialReason(err, cfg.EffectiveRole(), orDefault(cfg.TrialTimeout, DefaultTrialWindow))
	b.log.Info("trial failed: " + reason + "; rebooting into the previous slot")
	if b.dev == nil {
		return
	}
	if err := b.dev.Fail(reason); err != nil {
		b.log.Warn("recording why the trial failed", "err", err)
	}
}

func orDefault(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}

// programFlags returns the flags the slot's agent or gateway knows, from
// its --help: a slot may carry a program older than the contract
// (docs/firmware.md), and an unknown flag would stop it at every start.
func (b *boot) programFlags(bin string) map[string]bool {
	var out bytes.Buffer
	p, err := b.reaper.Start(exec.Command(bin, "--help"), &out)
	if err != nil {
		return nil
	}
	done := make(chan error, 1)
	go func() { done <- p.Wait() }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		p.Signal(os.Kill)
		<-done
	}
	flags := map[string]bool{}
	for l := range strings.Lines(out.String()) {
		if f, ok := strings.CutPrefix(strings.TrimSpace(l), "-"); ok {
			name, _, _ := strings.Cut(strings.TrimPrefix(f, "-"), " ")
			flags[name] = true
		}
	}
	return flags
}

// agentExtras are the flags of the firmware contract this agent gets.
func (b *boot) agentExtras(trial bool) []string {
	flags := b.programFlags(filepath.Join(b.layout.Slot, "bin", "hearth-agent"))
	var extra []string
	if flags["firmware-status"] {
		extra = append(extra, "--firmware-status", slot.StatusFile)
	} else {
		b.log.Warn("this slot's agent has no --firmware-status: the gateway will not see its firmware")
	}
	// The updater, when this slot has one and pins the keys it checks
	// releases against.
	updater := filepath.Join(b.layout.Slot, "bin", "hearth-update")
	if _, err := os.Stat(updater); err == nil && flags["updater"] {
		if _, err := os.Stat(filepath.Join(b.layout.Slot, "etc/hearth/root.json")); err == nil {
			extra = append(extra, "--updater", updater)
		} else {
			b.log.Info("updates: off (this image pins no update keys: built without --tuf-root)")
		}
	}
	if trial {
		if flags["ready-file"] {
			extra = append(extra, "--ready-file", ReadyFile)
		} else {
			b.log.Warn("this slot's agent has no --ready-file: the trial cannot commit")
		}
	}
	return extra
}

// gatewayExtras are the flags of the firmware contract the gateway gets:
// the slot's pinned root, so that it mirrors releases to its devices, and
// the status and updater with which it updates this appliance itself.
func (b *boot) gatewayExtras() []string {
	root := filepath.Join(b.layout.Slot, "etc/hearth/root.json")
	if _, err := os.Stat(root); err != nil {
		b.log.Info("updates: off (this image pins no update keys: built without --tuf-root)")
		return nil
	}
	flags := b.programFlags(filepath.Join(b.layout.Slot, "bin", "hearth-gateway"))
	var extra []string
	if flags["firmware-root"] {
		extra = append(extra, "--firmware-root", root)
	}
	updater := filepath.Join(b.layout.Slot, "bin", "hearth-update")
	if _, err := os.Stat(updater); err == nil && flags["updater"] && flags["firmware-status"] {
		extra = append(extra, "--firmware-status", slot.StatusFile, "--updater", updater)
	} else {
		b.log.Warn("this slot's gateway cannot update this appliance (no --updater): it updates only its devices")
	}
	return extra
}
