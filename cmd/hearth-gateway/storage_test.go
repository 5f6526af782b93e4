package main

import (
	"testing"

	"github.com/hearth-home/hearth/gateway/api"
)

// Repairs of the backups leave alone the devices paused by their
// governor or drawing their budget; the others, and those without a
// governor, are fair game.
func TestBusyDevices(t *testing.T) {
	got := busyDevices([]api.Member{
		{ID: "paused", Power: &api.PowerStatus{Paused: true, BudgetW: 5, Watts: 1}},
		{ID: "at-budget", Power: &api.PowerStatus{BudgetW: 5, Watts: 4.9}},
		{ID: "room", Power: &api.PowerStatus{BudgetW: 5, Watts: 3}},
		{ID: "no-budget", Power: &api.PowerStatus{Watts: 9}},
		{ID: "no-governor"},
	})
	if len(got) != 2 || !got["paused"] || !got["at-budget"] {
		t.Errorf("busy: %v, want paused and at-budget", got)
	}
}
