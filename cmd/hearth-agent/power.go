package main

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/hearth-home/hearth/agent/governor"
	"github.com/hearth-home/hearth/internal/cpucap"
	"github.com/hearth-home/hearth/power"
	"github.com/hearth-home/hearth/power/policy"
	"github.com/hearth-home/hearth/power/sensor"
)

// powerOptions are the flags of the power governor.
type powerOptions struct {
	budget   float64
	schedule string // file
	profile  string
	idle     float64
	max      float64
	softC    float64
	hardC    float64
	off      bool
	localAPI string
}

func (o *powerOptions) register(fs *flag.FlagSet) {
	fs.Float64Var(&o.budget, "power-budget", 0, "the device's power budget in watts, e.g. 4.5 (default: the board's maximum,\nthat is no limit but the energy accounting)")
	fs.StringVar(&o.schedule, "power-schedule", "", "a weekly schedule of budgets (a file; docs/power.md), e.g. more watts on the\nnight tariff; where it has no rule, --power-budget holds")
	fs.StringVar(&o.profile, "power-profile", "", "the board's power profile: "+power.ProfileNames()+"\n(default: from the device tree's model, else generic)")
	fs.Float64Var(&o.idle, "power-idle", 0, "the board's idle draw in watts, measured with a USB meter (overrides the profile)")
	fs.Float64Var(&o.max, "power-max", 0, "the board's draw with every core busy, in watts (overrides the profile)")
	fs.Float64Var(&o.softC, "power-soft-temp", 0, "above this temperature (°C) the budget shrinks (default 70)")
	fs.Float64Var(&o.hardC, "power-hard-temp", 0, "at this temperature (°C) work stops until the device cools (default 80)")
	fs.BoolVar(&o.off, "power-off", false, "no power governor: no budget, no energy accounting")
	fs.StringVar(&o.localAPI, "local-api", defaultLocalAPI, "where programs on this device reach the power status, history and signals\n(loopback only; docs/power.md), or off")
}

// governor builds the power governor the flags describe, reading the board
// under root ("/"); nil with --power-off.
func (o powerOptions) governor(root string, interval time.Duration, log *slog.Logger) (*governor.Governor, error) {
	if o.off {
		return nil, nil
	}
	model := sensor.BoardModel(root)
	prof := power.ForModel(model)
	if o.profile != "" {
		p, ok := power.Named(o.profile)
		if !ok {
			return nil, fmt.Errorf("--power-profile: no profile %q; the profiles are %s", o.profile, power.ProfileNames())
		}
		prof = p
	}
	if o.idle != 0 || o.max != 0 {
		// Measured by the owner: the whole board, every core.
		prof.Name += " (calibrated)"
		if o.idle != 0 {
			prof.IdleW = o.idle
		}
		if o.max != 0 {
			prof.MaxW = o.max
		}
		prof.Cores = runtime.NumCPU()
	}
	m, err := power.NewModel(prof, runtime.NumCPU())
	if err != nil {
		return nil, fmt.Errorf("--power-idle/--power-max: %w", err)
	}
	pol := policy.Policy{Watts: o.budget, SoftC: o.softC, HardC: o.hardC}
	if o.schedule != "" {
		b, err := os.ReadFile(o.schedule)
		if err != nil {
			return nil, fmt.Errorf("--power-schedule: %w", err)
		}
		pol.Schedule = string(b)
	}
	if err := pol.Check(m.MaxW); err != nil {
		return nil, fmt.Errorf("--power-budget/--power-schedule: %w", err)
	}
	meters, err := sensor.Meters(root, sensor.Options{})
	if err != nil && !errors.Is(err, sensor.ErrNoSensor) {
		log.Warn("looking for power meters", "err", err)
	}
	g, err := governor.New(governor.Config{Model: m, Meters: meters, SysRoot: root, Policy: pol, Interval: interval, Logger: log})
	if err != nil {
		return nil, err
	}
	source := "model"
	if len(meters) > 0 {
		source = meters[0].Name()
	}
	log.Info("power governor", "board", model, "profile", m.Name, "idle_w", m.IdleW, "max_w", m.MaxW,
		"budget_w", o.budget, "schedule", o.schedule != "", "power_from", source, "every", interval)
	return g, nil
}

// wasmCaps prepares the per-thread CPU caps of wasm tasks under a cgroup
// named after the data directory; nil (and a log line) where the system
// does not allow them: the governor then holds wasm work back by leasing
// less.
func wasmCaps(dataDir string, log *slog.Logger) *cpucap.Caps {
	abs, err := filepath.Abs(dataDir)
	if err != nil {
		abs = dataDir
	}
	sum := sha256.Sum256([]byte(abs))
	caps, err := cpucap.New("hearth-wasm-" + hex.EncodeToString(sum[:5]))
	if err != nil {
		log.Warn("wasm tasks run without CPU caps: power budgets hold them back by leasing less", "err", err)
		return nil
	}
	return caps
}
