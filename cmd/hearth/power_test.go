package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hearth-home/hearth/gateway/api"
)

// The power commands against a real gateway: budgets set, listed and
// cleared by device name and for the pool, signals posted, the power
// history and the energy per day read back; bad command lines refused
// before the gateway is asked.
func TestPoolPowerCommands(t *testing.T) {
	g, env := startGateway(t)
	n, _ := newScriptedNode(t, g, "livingroom-pi", g.JoinToken().String())
	now := time.Now()
	var samples []api.PowerSample
	for i := range 5 {
		samples = append(samples, api.PowerSample{T: now.Add(time.Duration(i-5) * time.Second), Watts: 3.6, BudgetW: 4.5, Work: 0.5})
	}
	if _, err := n.c.Heartbeat(context.Background(), api.Heartbeat{SentAt: now, Samples: samples,
		Power: &api.PowerStatus{Watts: 3.6, BudgetW: 4.5, IdleW: 2.7, MaxW: 6.4}}); err != nil {
		t.Fatal(err)
	}

	sched := filepath.Join(t.TempDir(), "night.txt")
	os.WriteFile(sched, []byte("# night tariff\nmon-fri 23:00-07:00 6W\n"), 0o644)
	out := mustRun(t, env, exitOK, "pool", "budget", "livingroom-pi", "4.5", "--schedule", sched)
	if l := lineWith(out, "livingroom-pi"); !strings.Contains(l, "4.5 W") || !strings.Contains(l, "mon-fri 23:00-07:00 6W") {
		t.Errorf("budget set:\n%s", out)
	}
	mustRun(t, env, exitOK, "pool", "budget", "--total", "20")
	b := decodeJSON[api.Budgets](t, mustRun(t, env, exitOK, "pool", "budget", "-o", "json"))
	if b.TotalW != 20 || len(b.Devices) != 1 {
		t.Errorf("budgets: %+v", b)
	}
	if out := mustRun(t, env, exitOK, "pool", "budget", "livingroom-pi", "--clear"); !strings.Contains(out, "No device budgets") {
		t.Errorf("cleared:\n%s", out)
	}
	mustRun(t, env, exitOK, "pool", "signal", "--heat", "0.5", "--source", "thermostat")
	mustRun(t, env, exitOK, "pool", "signal", "--solar", "300", "--device", "livingroom-pi", "--ttl", "1m")

	out = mustRun(t, env, exitOK, "pool", "power")
	if l := lineWith(out, "livingroom-pi"); !strings.Contains(l, "3.6 W") || !strings.Contains(l, "4.5 W") || !strings.HasSuffix(strings.TrimSpace(l), "5") {
		t.Errorf("pool power:\n%s", out)
	}
	pp := decodeJSON[api.PoolPower](t, mustRun(t, env, exitOK, "pool", "power", "-o", "json", "--since", "1m"))
	if len(pp.Pool) != 5 || len(pp.Devices) != 1 {
		t.Errorf("pool power json: %+v", pp)
	}
	ds := decodeJSON[[]api.EnergyDay](t, mustRun(t, env, exitOK, "pool", "energy", "-o", "json"))
	if len(ds) != 1 || ds[0].Name != "livingroom-pi" || ds[0].SampleS != 5 {
		t.Errorf("energy: %+v", ds)
	}
	if out := mustRun(t, env, exitOK, "pool", "energy"); !strings.Contains(lineWith(out, "livingroom-pi"), "0.01") {
		t.Errorf("energy table:\n%s", out)
	}

	// Refused: on the command line, or by the gateway with its reason.
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"pool", "budget", "--total=-3"}, exitUsage, "negative"},
		{[]string{"pool", "budget", "livingroom-pi", "lots"}, exitUsage, "not a number"},
		{[]string{"pool", "budget", "livingroom-pi"}, exitUsage, "WATTS"},
		{[]string{"pool", "budget", "livingroom-pi", "--total", "3"}, exitUsage, "--total"},
		{[]string{"pool", "budget", "livingroom-pi", "70"}, exitFail, "ten times"},
		{[]string{"pool", "budget", "kitchen-plug", "3"}, exitFail, "kitchen-plug"},
		{[]string{"pool", "signal", "--heat", "1.5"}, exitUsage, "0 to 1"},
		{[]string{"pool", "signal", "--solar", "3", "--heat", "1"}, exitUsage, "either"},
		{[]string{"pool", "signal", "--solar", "3", "--ttl", "48h"}, exitFail, "ttl"},
		{[]string{"pool", "power", "--since", "169h"}, exitUsage, "168h"},
	} {
		out, errOut, code := runCLI(t, env, c.args...)
		if code != c.code || !strings.Contains(errOut, c.want) {
			t.Errorf("hearth %s: exit %d, want %d and %q\n%s%s", strings.Join(c.args, " "), code, c.code, c.want, out, errOut)
		}
	}
}
