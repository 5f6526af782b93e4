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
	"github.com/hearth-home/hearth/power"
	"github.com/hearth-home/hearth/power/policy"
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

// The owner's budget set at the gateway reaches the device's governor in
// heartbeat answers, and clearing it gives the device its own budget
// back; the governor's samples reach the gateway's pool history and the
// device's energy of the day.
func TestBudgetFromGateway(t *testing.T) {
	model, err := power.NewModel(power.Generic, runtime.NumCPU())
	if err != nil {
		t.Fatal(err)
	}
	own := policy.Policy{Watts: model.MaxW * 0.8, SoftC: 60}
	gov, err := governor.New(governor.Config{Model: model, Policy: own, Interval: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go gov.Run(ctx)

	tg := startGateway(t, t.TempDir(), gateway.Config{Heartbeat: 200 * time.Millisecond})
	startAgent(t, Config{Gateway: tg.addr(), JoinToken: tg.JoinToken().String(), Governor: gov})
	eventually := func(what string, cond func() bool) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for !cond() {
			if time.Now().After(deadline) {
				t.Fatalf("%s: not within 10s (policy now %+v)", what, gov.Policy())
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	var id string
	eventually("paired", func() bool {
		ms, _ := tg.admin.Members(ctx)
		if len(ms) == 1 && ms[0].Power != nil {
			id = ms[0].ID
		}
		return id != ""
	})
	set := policy.Policy{Watts: 3.5, Schedule: "* 13:00-15:00 off\n"}
	if _, err := tg.admin.SetBudget(ctx, api.BudgetRequest{Device: id, Policy: &set}); err != nil {
		t.Fatal(err)
	}
	// The device's own thermal limit stays, as the gateway set none.
	eventually("the gateway's budget in force", func() bool {
		p := gov.Policy()
		return p.Watts == 3.5 && p.Schedule == set.Schedule && p.SoftC == 60
	})
	if _, err := tg.admin.SetBudget(ctx, api.BudgetRequest{Device: id}); err != nil {
		t.Fatal(err)
	}
	eventually("the device's own budget back", func() bool { return gov.Policy() == own })

	eventually("samples in the pool's history and energy", func() bool {
		pp, err := tg.admin.Power(ctx, time.Minute)
		if err != nil || len(pp.Devices) != 1 || len(pp.Devices[0].Samples) < 3 || len(pp.Pool) < 2 {
			return false
		}
		days, err := tg.admin.Energy(ctx, 1)
		return err == nil && len(days) == 1 && days[0].DeviceWh > 0 && days[0].SampleS >= 3
	})
}
