package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadGroupsFiguresByDevices(t *testing.T) {
	in := `=== RUN   TestScale/100
BENCH scale.devices 100
BENCH scale.lease_ms_p99 47 ms
some log line
BENCH scale.devices 300
BENCH scale.lease_ms_p99 69 ms
BENCH scale.tasks_per_s 492 tasks/s
BENCH power.within_budget 99 %
`
	runs := map[int]map[string]float64{}
	if err := read(strings.NewReader(in), runs); err != nil {
		t.Fatal(err)
	}
	if len(runs) != 2 || runs[100]["scale.lease_ms_p99"] != 47 || runs[300]["scale.lease_ms_p99"] != 69 || runs[300]["scale.tasks_per_s"] != 492 {
		t.Fatalf("runs = %v", runs)
	}
	if _, ok := runs[300]["power.within_budget"]; ok {
		t.Fatal("a figure of another benchmark was read")
	}
}

func TestReadRefusesBadInput(t *testing.T) {
	for name, in := range map[string]string{
		"figure before devices": "BENCH scale.lease_ms_p99 47 ms\n",
		"not a number":          "BENCH scale.devices 100\nBENCH scale.lease_ms_p99 fast ms\n",
	} {
		if err := read(strings.NewReader(in), map[int]map[string]float64{}); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestDrawWritesAnSVG(t *testing.T) {
	runs := map[int]map[string]float64{
		100:  {"scale.lease_ms_p50": 40, "scale.lease_ms_p99": 47, "scale.tasks_per_s": 545, "scale.gateway_rss_mb": 73, "scale.heartbeat_cpu_us": 300},
		3000: {"scale.lease_ms_p50": 137, "scale.lease_ms_p99": 520, "scale.tasks_per_s": 680, "scale.gateway_rss_mb": 700, "scale.heartbeat_cpu_us": 111},
	}
	out := filepath.Join(t.TempDir(), "scale.svg")
	if err := draw2x2(runs, out); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(raw), "<svg") || !strings.Contains(string(raw), "Submission to lease") {
		t.Fatalf("not the charts: %.200s", raw)
	}
}
