package agent

import (
	"context"
	"math"
	"runtime"
	"testing"
	"time"

	"github.com/hearth-home/hearth/agent/governor"
	"github.com/hearth-home/hearth/gateway"
	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/internal/power"
	"github.com/hearth-home/hearth/internal/power/policy"
)

// With a governor, each result carries its energy, the job sums it, and
// the device's watts and budget reach `hearth pool ls` through heartbeats.
func TestEnergyAndPowerStatus(t *testing.T) {
	model, err := power.NewModel(power.Generic, runtime.NumCPU())
	if err != nil {
		t.Fatal(err)
	}
	budget := model.MaxW * 0.8
	gov, err := governor.New(governor.Config{Model: model, Policy: policy.Policy{Watts: budget}, Interval: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go gov.Run(ctx)

	tg := startGateway(t, t.TempDir(), gateway.Config{})
	startAgent(t, Config{Gateway: tg.addr(), JoinToken: tg.JoinToken().String(), Governor: gov})
	job := tg.submit(testApp(t), api.JobSpec{Name: "spin", Tasks: 2, Args: []string{"spin", "1500ms"}})
	d := tg.waitJob(job.ID, time.Minute)
	if d.State != api.JobDone {
		t.Fatalf("job %s", d.State)
	}
	for _, task := range d.Tasks {
		if task.Result == nil || !(task.Result.EnergyWh > 0) {
			t.Errorf("task %d: no energy in %+v", task.Index, task.Result)
		}
	}
	if !(d.EnergyWh > 0) {
		t.Errorf("job energy %v", d.EnergyWh)
	}
	// The heartbeat carries the governor's status.
	deadline := time.Now().Add(10 * time.Second)
	for {
		ms, err := tg.admin.Members(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(ms) == 1 && ms[0].Power != nil {
			p := ms[0].Power
			if math.Abs(p.BudgetW-budget) > 0.01 || p.MaxW != model.MaxW || p.Source != "model generic" {
				t.Errorf("power status %+v", p)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no power status in %+v", ms)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
