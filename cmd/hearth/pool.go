package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/hearth-home/hearth/gateway/api"
)

func poolCmd() *command {
	return &command{
		name:    "pool",
		summary: "the home's devices",
		help:    "List the devices in the pool, let pending ones join, and set and follow their power budgets.",
		example: "hearth pool ls\nhearth pool approve ABCDEFG\nhearth pool budget --total 20\nhearth pool power",
		subs:    []*command{poolLsCmd(), poolApproveCmd(), poolReleaseCmd(), poolBudgetCmd(), poolSignalCmd(), poolPowerCmd(), poolEnergyCmd()},
	}
}

func poolLsCmd() *command {
	return &command{
		name:    "ls",
		summary: "list the pool's devices",
		help: `List the devices the gateway knows: ready, suspect (late heartbeats), lost, and
pending ones waiting for ` + "`hearth pool approve`" + `. LOAD is the 1-minute load
average; WATTS is the device's power now and BUDGET its power budget (docs/power.md),
with "(m)" when a meter measures it and "paused" when the budget leaves no room
for work; RUN/DONE counts running and completed tasks. SPEED is how fast the device
runs Hearth's fixed compute kernel on one core, measured by its agent at start:
in wasm (compiled, or interpreted where wazero has no compiler) and natively, in
iterations a second (k, M, G: thousands, millions, billions); placement gives
work first to the devices that would finish it first (docs/scheduling.md).
FIRMWARE is an appliance's release and root slot (A or B), "trial" until a new
release commits, and "↩V" when release V failed its trial and the device went
back (hearth firmware status says why); empty for devices that are not
appliances.`,
		example: "hearth pool ls\nhearth pool ls -o json",
		bind: func(c *cli, fs *flag.FlagSet) action {
			out := outputFlag(fs)
			return show(c, out,
				func(ctx context.Context, cl *api.Admin, _ []string) ([]api.Member, error) {
					ms, err := cl.Members(ctx)
					return nonNil(ms), err
				},
				func(_ *api.Admin, ms []api.Member) error { return writeMembers(c.stdout, ms, c.now()) })
		},
	}
}

// nonNil makes an empty listing print as [] rather than null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func writeMembers(w io.Writer, ms []api.Member, now time.Time) error {
	if len(ms) == 0 {
		_, err := fmt.Fprintln(w, "No devices yet. Start hearth-agent on a device with the join token from `hearth-gateway init`.")
		return err
	}
	ms = append([]api.Member(nil), ms...)
	// Pending first: they wait for the owner.
	sort.SliceStable(ms, func(i, j int) bool {
		pi, pj := ms[i].State == api.MemberPending, ms[j].State == api.MemberPending
		if pi != pj {
			return pi
		}
		return ms[i].Node.Name < ms[j].Node.Name
	})
	t := table{header: []string{"ID", "NAME", "STATE", "ARCH", "RUNTIMES", "LOAD", "FREE MEM", "TEMP", "WATTS", "BUDGET", "RUN/DONE", "SPEED", "FIRMWARE", "LAST SEEN"}}
	for _, m := range ms {
		temp := ""
		if m.TempC != nil {
			temp = fmt.Sprintf("%.1f°C", *m.TempC)
		}
		watts, budget := "", ""
		if p := m.Power; p != nil {
			watts = fmt.Sprintf("%.1f W", p.Watts)
			if p.Measured {
				watts += " (m)"
			}
			budget = fmt.Sprintf("%.1f W", p.BudgetW)
			if p.Paused {
				budget += " paused"
			}
		}
		state := string(m.State)
		if m.Refusing != "" {
			state += " (no work)"
		}
		if m.Quarantined != "" {
			state += " (quarantined)"
		}
		t.add(shortNode(m.ID), m.Node.Name, state, m.Node.Arch,
			strings.Join(m.Node.Runtimes, ","), fmt.Sprintf("%.2f", m.Load1), bytesIEC(m.MemFree), temp,
			watts, budget, fmt.Sprintf("%d/%d", m.Running, m.Completed), speedText(m.Speed), firmwareCell(m.Firmware), ago(m.LastSeen, now))
	}
	if err := t.write(w); err != nil {
		return err
	}
	for _, m := range ms {
		if m.Refusing != "" {
			if _, err := fmt.Fprintf(w, "%s (%s) asks for no work: %s\n", cleanCell(m.Node.Name), shortNode(m.ID), cleanCell(m.Refusing)); err != nil {
				return err
			}
		}
		if m.Quarantined != "" {
			if _, err := fmt.Fprintf(w, "%s (%s) takes no certified work: %s; check the device, then `hearth pool release %s`\n",
				cleanCell(m.Node.Name), shortNode(m.ID), cleanCell(m.Quarantined), shortNode(m.ID)); err != nil {
				return err
			}
		}
	}
	return nil
}

func poolReleaseCmd() *command {
	return &command{
		name:    "release",
		args:    "ID|NAME",
		nargs:   1,
		summary: "let a quarantined device take certified work again",
		help: `A device caught returning wrong results for certified jobs three times is
quarantined: it takes no certified work (other jobs still run on it), and
` + "`hearth pool ls`" + ` says why. Once you have checked it (overclocking, a failing
SD card, memory errors, a tampered agent), release it. Its credibility stays
at zero: its results need other devices' agreement until it earns trust again
(docs/certification.md).`,
		example: "hearth pool release ABCDEFG\nhearth pool release kitchen-pi",
		bind: func(c *cli, fs *flag.FlagSet) action {
			return func(ctx context.Context, args []string) error {
				cl, err := c.client()
				if err != nil {
					return err
				}
				defer cl.Close()
				m, err := cl.Release(ctx, strings.TrimSpace(args[0]))
				if err != nil {
					return err
				}
				fmt.Fprintf(c.stdout, "released %s (%s): it takes certified work again\n", shortNode(m.ID), m.Node.Name)
				return nil
			}
		},
	}
}

func poolApproveCmd() *command {
	return &command{
		name:    "approve",
		args:    "ID",
		nargs:   1,
		summary: "let a pending device join the pool",
		help: `Approve a device that said hello without a join token and waits as pending.
ID is its node ID as ` + "`hearth pool ls`" + ` shows it (the 7-character short ID is
enough when it is unique). Check the ID against the one the device prints
before approving: an approved device gets work and sees its inputs.`,
		example: "hearth pool approve ABCDEFG",
		bind: func(c *cli, fs *flag.FlagSet) action {
			return func(ctx context.Context, args []string) error {
				id := strings.TrimSpace(args[0])
				if len(strings.ReplaceAll(id, "-", "")) < 7 {
					return usageErrorf("ID %q is too short: give at least the 7-character short ID from `hearth pool ls`", id)
				}
				cl, err := c.client()
				if err != nil {
					return err
				}
				defer cl.Close()
				m, err := cl.Approve(ctx, id)
				if errors.Is(err, api.ErrNotFound) {
					return fmt.Errorf("no device matches %q: %w%s", id, err, pendingHint(ctx, cl))
				}
				if err != nil {
					return err
				}
				fmt.Fprintf(c.stdout, "approved %s (%s): %s\n", shortNode(m.ID), m.Node.Name, m.State)
				return nil
			}
		},
	}
}

// pendingHint lists the devices that wait for approval, if any.
func pendingHint(ctx context.Context, cl *api.Admin) string {
	ms, err := cl.Members(ctx)
	if err != nil {
		return ""
	}
	var p []string
	for _, m := range ms {
		if m.State == api.MemberPending {
			p = append(p, fmt.Sprintf("%s (%s)", shortNode(m.ID), m.Node.Name))
		}
	}
	if len(p) == 0 {
		return "\nno device is pending approval"
	}
	return "\npending: " + strings.Join(p, ", ")
}

// speedText shows a device's speed as "wasm 31M native 72M"; empty when
// unknown.
func speedText(s *api.Speed) string {
	if s == nil {
		return ""
	}
	var parts []string
	if s.WasmOps > 0 {
		parts = append(parts, "wasm "+opsSI(s.WasmOps))
	}
	if s.NativeOps > 0 {
		parts = append(parts, "native "+opsSI(s.NativeOps))
	}
	return strings.Join(parts, " ")
}

// opsSI writes a rate with two or three significant digits and k, M or G.
func opsSI(v float64) string {
	for _, u := range []struct {
		f float64
		s string
	}{{1e9, "G"}, {1e6, "M"}, {1e3, "k"}} {
		if v >= u.f {
			v /= u.f
			if v < 10 {
				return fmt.Sprintf("%.1f%s", v, u.s)
			}
			return fmt.Sprintf("%.0f%s", v, u.s)
		}
	}
	return fmt.Sprintf("%.0f", v)
}
