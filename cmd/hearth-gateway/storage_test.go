package main

import (
	"testing"

	"github.com/hearth-home/hearth/gateway/api"
)

// Repairs of the backups leave alone the devices paused by their
// governor or drawing a budget the owner set; the others, those at full
// draw with no budget but their maximum, and those without a governor,
// are fair game.
func TestBusyDevices(t *testing.T) {
	got := busyDevices([]api.Member{
		{ID: "paused", Power: &api.PowerStatus{Paused: true, BudgetW: 5, Watts: 1, MaxW: 14}},
		{ID: "at-budget", Power: &api.PowerStatus{BudgetW: 5, Watts: 4.9, MaxW: 14}},
		{ID: "room", Power: &api.PowerStatus{BudgetW: 5, Watts: 3, MaxW: 14}},
		{ID: "no-budget", Power: &api.PowerStatus{Watts: 9, MaxW: 14}},
		{ID: "budget-is-its-max", Power: &api.PowerStatus{BudgetW: 14, Watts: 13.9, MaxW: 14}},
		{ID: "no-governor"},
	})
	if len(got) != 2 || !got["paused"] || !got["at-budget"] {
		t.Errorf("busy: %v, want paused and at-budget", got)
	}
}
