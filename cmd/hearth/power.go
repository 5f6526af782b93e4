package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/power/policy"
)

func poolBudgetCmd() *command {
	return &command{
		name:     "budget",
		args:     "[DEVICE [WATTS]]",
		moreArgs: true,
		summary:  "show or set power budgets",
		help: `Set the power budget of a device (by name, or ID as ` + "`hearth pool ls`" + ` shows it),
or the pool's total, which the gateway shares out among the ready devices: each
first gets its idle draw, cheapest first, and the rest goes in proportion to
what each can add (docs/power.md). A device with a budget of its own and a share
of the total gets the smaller. Without arguments, list the budgets set.

A budget set here replaces the device's own --power-budget and
--power-schedule until it is cleared; the device keeps its thermal limits.`,
		example: `hearth pool budget
hearth pool budget livingroom-pi 4.5
hearth pool budget livingroom-pi 3 --schedule night-tariff.txt
hearth pool budget livingroom-pi --clear
hearth pool budget --total 20
hearth pool budget --total 0`,
		bind: func(c *cli, fs *flag.FlagSet) action {
			out := outputFlag(fs)
			schedule := fs.String("schedule", "", "a weekly schedule of budgets for the device (a `FILE`; docs/power.md)")
			clear := fs.Bool("clear", false, "clear the device's budget: its own flags hold again")
			total := fs.String("total", "", "the pool's total in `WATTS`, shared among the devices; 0 clears it")
			return func(ctx context.Context, args []string) error {
				req, set, err := budgetRequest(args, *schedule, *clear, *total)
				if err != nil {
					return err
				}
				cl, err := c.client()
				if err != nil {
					return err
				}
				defer cl.Close()
				var b api.Budgets
				if set {
					b, err = cl.SetBudget(ctx, req)
				} else {
					b, err = cl.Budgets(ctx)
				}
				if err != nil {
					return err
				}
				if *out == formatJSON {
					return writeJSON(c.stdout, b)
				}
				ms, err := cl.Members(ctx)
				if err != nil {
					return err
				}
				return writeBudgets(c.stdout, b, ms)
			}
		},
	}
}

// budgetRequest reads the command line of `hearth pool budget`; set is
// false when it only asks to list.
func budgetRequest(args []string, schedule string, clear bool, total string) (api.BudgetRequest, bool, error) {
	var req api.BudgetRequest
	if len(args) > 2 {
		return req, false, usageErrorf("unexpected argument %q", args[2])
	}
	if total != "" {
		if len(args) > 0 || schedule != "" || clear {
			return req, false, usageErrorf("--total sets the pool's total: give no DEVICE, --schedule or --clear with it")
		}
		w, err := parseWatts(total)
		if err != nil {
			return req, false, usageErrorf("--total: %v", err)
		}
		if w > 0 {
			req.Policy = &policy.Policy{Watts: w}
		}
		return req, true, nil
	}
	if len(args) == 0 {
		if schedule != "" || clear {
			return req, false, usageErrorf("name the DEVICE whose budget to set")
		}
		return req, false, nil
	}
	req.Device = args[0]
	if clear {
		if len(args) > 1 || schedule != "" {
			return req, false, usageErrorf("--clear takes only the DEVICE")
		}
		return req, true, nil
	}
	p := &policy.Policy{}
	if len(args) > 1 {
		w, err := parseWatts(args[1])
		if err != nil {
			return req, false, usageErrorf("WATTS: %v", err)
		}
		p.Watts = w
	}
	if schedule != "" {
		b, err := os.ReadFile(schedule)
		if err != nil {
			return req, false, fmt.Errorf("--schedule: %w", err)
		}
		p.Schedule = string(b)
		if _, err := policy.ParseSchedule(p.Schedule); err != nil {
			return req, false, fmt.Errorf("--schedule %s: %w", schedule, err)
		}
	}
	if len(args) == 1 && schedule == "" {
		return req, false, usageErrorf("give the budget in WATTS, a --schedule, or --clear")
	}
	req.Policy = p
	return req, true, nil
}

// parseWatts reads a number of watts ("4.5", "4.5W"): finite, not negative.
func parseWatts(s string) (float64, error) {
	w, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(s), "W"), 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not a number of watts (like 4.5)", s)
	}
	if err := policy.CheckWatts(w, 0); err != nil {
		return 0, err
	}
	return w, nil
}

func writeBudgets(w io.Writer, b api.Budgets, ms []api.Member) error {
	if b.TotalW > 0 {
		fmt.Fprintf(w, "Pool total: %.1f W, shared among the ready devices.\n", b.TotalW)
	} else {
		fmt.Fprintln(w, "Pool total: none.")
	}
	if len(b.Devices) == 0 {
		_, err := fmt.Fprintln(w, "No device budgets set here; each device follows its own --power-budget.")
		return err
	}
	names := map[string]string{}
	for _, m := range ms {
		names[m.ID] = m.Node.Name
	}
	ids := make([]string, 0, len(b.Devices))
	for id := range b.Devices {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b string) int { return strings.Compare(names[a]+a, names[b]+b) })
	t := table{header: []string{"ID", "NAME", "BUDGET", "SCHEDULE"}}
	for _, id := range ids {
		p := b.Devices[id]
		watts := "device maximum"
		if p.Watts > 0 {
			watts = fmt.Sprintf("%.1f W", p.Watts)
		}
		sched := "-"
		if s, err := policy.ParseSchedule(p.Schedule); err == nil && p.Schedule != "" {
			sched = strings.ReplaceAll(strings.TrimSpace(s.String()), "\n", "; ")
		}
		t.add(shortNode(id), names[id], watts, sched)
	}
	return t.write(w)
}

func poolSignalCmd() *command {
	return &command{
		name:    "signal",
		summary: "post a solar surplus or a heat demand",
		help: `Tell the pool what the house has to spare or wants: a solar surplus in watts
(from an inverter) caps the budget; a heat demand from 0 to 1 (from a
thermostat: "boiler mode") caps it at that share of each device's maximum, so
that the devices heat only while the house wants heat. Without --device the signal is for the pool: a surplus is shared among
the devices, a demand applies to each. A signal holds for --ttl and is then
ignored, so a sender should post again before then. A device can also be sent
signals on its own local API (docs/power.md).

With --from-mqtt TOPIC the signal comes from the home's own sensors instead:
every message on TOPIC (through the broker the gateway reads, --mqtt) sets it,
and --solar or --heat then name the JSON PATH of the value in the message
($.surplus_w), or "$" when the payload is the number itself; --scale converts
it (1000 for kW, 0.01 for a percentage). It holds for --ttl (default 5m) after
each message, so a topic that goes quiet lets it expire. --off stops it, and
--list shows the topics that feed signals (docs/streams.md).`,
		example: `hearth pool signal --solar 250 --source inverter
hearth pool signal --heat 0.6 --source thermostat --ttl 15m
hearth pool signal --heat 0 --device livingroom-pi
hearth pool signal --from-mqtt homeassistant/sensor/grid_export/state --solar '$' --scale 1000
hearth pool signal --from-mqtt zigbee2mqtt/thermostat --heat '$.pi_heating_demand' --scale 0.01
hearth pool signal --from-mqtt zigbee2mqtt/thermostat --off
hearth pool signal --list`,
		bind: func(c *cli, fs *flag.FlagSet) action {
			solar := fs.String("solar", "", "a solar surplus in `WATTS`")
			heat := fs.String("heat", "", "a heat `DEMAND` from 0 (none) to 1 (full)")
			device := fs.String("device", "", "the `DEVICE` the signal is for (default: the pool)")
			source := fs.String("source", "", "who sends it (`NAME`, e.g. inverter): a signal replaces the last one from the same source")
			ttl := fs.Duration("ttl", 0, "how long the signal holds, at most 24h (default 10m; 5m with --from-mqtt)")
			topic := fs.String("from-mqtt", "", "an MQTT `TOPIC` whose messages set the signal")
			scale := fs.Float64("scale", 1, "with --from-mqtt: what the value is multiplied by")
			off := fs.Bool("off", false, "with --from-mqtt: stop taking the signal from TOPIC")
			list := fs.Bool("list", false, "list the MQTT topics that feed power signals")
			return func(ctx context.Context, _ []string) error {
				if *list || *topic != "" {
					return mqttSignal(ctx, c, *list, *topic, *solar, *heat, *device, *scale, *ttl, *off)
				}
				if *ttl == 0 {
					*ttl = api.DefaultSignalTTL
				}
				req := api.SignalRequest{Device: *device, Source: *source, TTL: api.Duration(*ttl)}
				switch {
				case (*solar == "") == (*heat == ""):
					return usageErrorf("give either --solar WATTS or --heat DEMAND")
				case *solar != "":
					w, err := parseWatts(*solar)
					if err != nil {
						return usageErrorf("--solar: %v", err)
					}
					req.Kind, req.Watts = policy.KindSolar, w
				default:
					d, err := strconv.ParseFloat(*heat, 64)
					if err != nil || !(d >= 0 && d <= 1) {
						return usageErrorf("--heat: %q is not a demand from 0 to 1", *heat)
					}
					req.Kind, req.Demand = policy.KindHeat, d
				}
				cl, err := c.client()
				if err != nil {
					return err
				}
				defer cl.Close()
				if err := cl.Signal(ctx, req); err != nil {
					return err
				}
				to := "the pool"
				if *device != "" {
					to = *device
				}
				fmt.Fprintf(c.stdout, "%s signal sent to %s, holding for %v\n", req.Kind, to, *ttl)
				return nil
			}
		},
	}
}

func poolPowerCmd() *command {
	return &command{
		name:    "power",
		summary: "power and budget of each device over the last minutes",
		help: `Show each device's power over a recent span: the latest watts and budget, the
average watts, the energy over the span, and how many cores Hearth's tasks kept
busy on average. The last line sums the pool. Up to an hour, from the
one-second samples the devices send; beyond, up to 7 days (168h), from the
gateway's one sample a minute (each minute's mean). -o json gives every
sample, and the pool's sum per second (or minute).`,
		example: "hearth pool power\nhearth pool power --since 1h -o json\nhearth pool power --since 168h",
		bind: func(c *cli, fs *flag.FlagSet) action {
			out := outputFlag(fs)
			since := fs.Duration("since", 10*time.Minute, "the span to show, up to 168h (7 days; beyond 1h, a sample a minute)")
			return show(c, out,
				func(ctx context.Context, cl *api.Admin, _ []string) (api.PoolPower, error) {
					if *since <= 0 || *since > 7*24*time.Hour {
						return api.PoolPower{}, usageErrorf("--since %v: want more than 0 and at most 168h", *since)
					}
					return cl.Power(ctx, *since)
				},
				func(_ *api.Admin, pp api.PoolPower) error { return writePower(c.stdout, pp) })
		},
	}
}

func writePower(w io.Writer, pp api.PoolPower) error {
	if len(pp.Devices) == 0 {
		_, err := fmt.Fprintln(w, "No power samples yet: devices send them with their heartbeats when their power governor runs.")
		return err
	}
	t := table{header: []string{"ID", "NAME", "WATTS", "BUDGET", "AVG W", "WORK CORES", "WH", "SAMPLES"}}
	var sumNow, sumBudget, sumAvg, sumWh float64
	for _, d := range pp.Devices {
		last := d.Samples[len(d.Samples)-1]
		var watts, work float64
		for _, s := range d.Samples {
			watts += s.Watts
			work += s.Work
		}
		n := float64(len(d.Samples))
		wh := watts * float64(max(pp.StepS, 1)) / 3600 // each sample stands for StepS seconds
		sumNow, sumBudget, sumAvg, sumWh = sumNow+last.Watts, sumBudget+last.BudgetW, sumAvg+watts/n, sumWh+wh
		t.add(shortNode(d.ID), d.Name, fmt.Sprintf("%.1f W", last.Watts), fmt.Sprintf("%.1f W", last.BudgetW),
			fmt.Sprintf("%.1f W", watts/n), fmt.Sprintf("%.2f", work/n), fmt.Sprintf("%.3f", wh), strconv.Itoa(len(d.Samples)))
	}
	t.add("", "pool", fmt.Sprintf("%.1f W", sumNow), fmt.Sprintf("%.1f W", sumBudget), fmt.Sprintf("%.1f W", sumAvg), "",
		fmt.Sprintf("%.3f", sumWh), "")
	return t.write(w)
}

func poolEnergyCmd() *command {
	return &command{
		name:    "energy",
		summary: "energy per device and day",
		help: `Show the energy each device used per day: DEVICE WH is its whole draw (idle
included) over the seconds it reported, TASK WH the part its power governor
attributed to Hearth's tasks (the power above idle, shared by CPU time), summed
over the tasks whose results the gateway accepted that day.`,
		example: "hearth pool energy\nhearth pool energy --days 30 -o json",
		bind: func(c *cli, fs *flag.FlagSet) action {
			out := outputFlag(fs)
			days := fs.Int("days", 7, "how many days back, today included")
			return show(c, out,
				func(ctx context.Context, cl *api.Admin, _ []string) ([]api.EnergyDay, error) {
					if *days < 1 {
						return nil, usageErrorf("--days %d: want 1 or more", *days)
					}
					ds, err := cl.Energy(ctx, *days)
					return nonNil(ds), err
				},
				func(_ *api.Admin, ds []api.EnergyDay) error { return writeEnergy(c.stdout, ds) })
		},
	}
}

func writeEnergy(w io.Writer, ds []api.EnergyDay) error {
	if len(ds) == 0 {
		_, err := fmt.Fprintln(w, "No energy recorded in that span.")
		return err
	}
	t := table{header: []string{"DAY", "ID", "NAME", "DEVICE WH", "HOURS", "TASKS", "TASK WH"}}
	var dev, task float64
	for _, d := range ds {
		dev, task = dev+d.DeviceWh, task+d.TaskWh
		t.add(d.Day, shortNode(d.Node), d.Name, fmt.Sprintf("%.2f", d.DeviceWh), fmt.Sprintf("%.1f", float64(d.SampleS)/3600),
			strconv.Itoa(d.Tasks), fmt.Sprintf("%.3f", d.TaskWh))
	}
	t.add("total", "", "", fmt.Sprintf("%.2f", dev), "", "", fmt.Sprintf("%.3f", task))
	return t.write(w)
}

// mqttSignal is `hearth pool signal --from-mqtt` and `--list`.
func mqttSignal(ctx context.Context, c *cli, list bool, topic, solar, heat, device string, scale float64, ttl time.Duration, off bool) error {
	cl, err := c.client()
	if err != nil {
		return err
	}
	defer cl.Close()
	switch {
	case list:
		ss, err := cl.MQTTSignals(ctx)
		if err != nil {
			return err
		}
		if len(ss) == 0 {
			fmt.Fprintln(c.stdout, "No MQTT topic feeds a power signal (hearth pool signal --from-mqtt TOPIC --solar PATH).")
			return nil
		}
		t := table{header: []string{"TOPIC", "KIND", "PATH", "SCALE", "TTL", "DEVICE"}}
		for _, s := range ss {
			dev := s.Device
			if dev == "" {
				dev = "(pool)"
			}
			path := s.Path
			if path == "" {
				path = "$"
			}
			t.add(s.Topic, s.Kind, path, strconv.FormatFloat(s.Scale, 'g', -1, 64), s.TTL.String(), dev)
		}
		return t.write(c.stdout)
	case off:
		kind := ""
		if solar != "" || heat != "" {
			kind = map[bool]string{true: policy.KindSolar, false: policy.KindHeat}[solar != ""]
		}
		if err := cl.RemoveMQTTSignal(ctx, topic, kind); err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "%s no longer feeds a power signal\n", topic)
		return nil
	case (solar == "") == (heat == ""):
		return usageErrorf("with --from-mqtt, give --solar PATH or --heat PATH: the JSON path of the value in the messages ($ for the payload itself)")
	}
	s := api.MQTTSignal{Topic: topic, Kind: policy.KindSolar, Path: solar, Scale: scale, TTL: api.Duration(ttl), Device: device}
	if heat != "" {
		s.Kind, s.Path = policy.KindHeat, heat
	}
	if err := cl.SetMQTTSignal(ctx, s); err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "%s signal now comes from %s (each message holds for %v; hearth pool power shows it)\n", s.Kind, topic, cmpOr(ttl, api.DefaultMQTTSignalTTL))
	return nil
}

func cmpOr(d, def time.Duration) time.Duration {
	if d == 0 {
		return def
	}
	return d
}
