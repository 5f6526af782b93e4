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
)

// firmwareStatus settles the last boot's trial, starts this boot's and
// publishes the status. It returns what it published.
func (b *boot) firmwareStatus(cl Cmdline) Status {
	st := Status{Board: firstLine(boardFile), Version: firstLine(versionFile), Slot: cl.Slot, Trial: cl.Trial}
	st, err := Trials{Dir: b.layout.SecretDir()}.Boot(st, time.Now())
	if err != nil {
		b.log.Error("recording the trial", "err", err)
	}
	if rb := st.LastRollback; rb != nil {
		b.log.Warn("an update was rolled back", "from", rb.From, "to", rb.To, "reason", rb.Reason, "at", rb.At.UTC().Format(time.RFC3339))
	}
	if err := WriteStatus(StatusFile, st); err != nil {
		b.log.Error("writing "+StatusFile, "err", err)
	}
	return st
}

// trial waits for the role to be ready and commits the slot. The error
// ends the boot: the trial failed.
func (b *boot) trial(ctx context.Context, cfg hearthtxt.Config, st Status, sup *Supervisor) error {
	ready := FileExists(ReadyFile)
	if cfg.EffectiveRole() == hearthtxt.RoleGateway {
		ready = Listening(GatewayPort)
	}
	b.log.Info("trial boot: waiting for the "+cfg.EffectiveRole()+" to be ready", "window", orDefault(cfg.TrialTimeout, DefaultTrialWindow))
	if err := (TrialWatch{Window: cfg.TrialTimeout, Ready: ready}).Run(ctx); err != nil || ctx.Err() != nil {
		return err
	}
	envPath := filepath.Join(b.layout.Boot, BootEnvName)
	raw, err := os.ReadFile(envPath)
	var env BootEnv
	if err == nil {
		env, err = ParseBootEnv(raw)
	}
	if err == nil {
		err = WriteBootEnv(envPath, env.Commit(st.Slot))
	}
	if err != nil {
		return fmt.Errorf("%w: writing %s: %w", ErrNotCommitted, BootEnvName, err)
	}
	sup.EndTrial()
	if err := (Trials{Dir: b.layout.SecretDir()}).Committed(); err != nil {
		b.log.Warn("removing the trial record", "err", err)
	}
	st.Trial = false
	if err := WriteStatus(StatusFile, st); err != nil {
		b.log.Error("writing "+StatusFile, "err", err)
	}
	b.log.Info("committed", "slot", st.Slot, "version", st.Version)
	return nil
}

// trialFailed records why the trial failed, for the next boot (on the
// other slot) to report.
func (b *boot) trialFailed(err error) {
	b.log.Error(err.Error() + " on a trial boot: rebooting into the previous slot")
	if err := (Trials{Dir: b.layout.SecretDir()}).Fail(err.Error(), time.Now()); err != nil {
		b.log.Warn("recording why the trial failed", "err", err)
	}
}

func orDefault(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}

// agentFlags returns the flags the slot's agent knows, from its --help: a
// slot may carry an agent older than the contract (docs/firmware.md), and
// an unknown flag would stop it at every start.
func (b *boot) agentFlags(bin string) map[string]bool {
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
	flags := b.agentFlags(filepath.Join(b.layout.Slot, "bin", "hearth-agent"))
	var extra []string
	if flags["firmware-status"] {
		extra = append(extra, "--firmware-status", StatusFile)
	} else {
		b.log.Warn("this slot's agent has no --firmware-status: the gateway will not see its firmware")
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
