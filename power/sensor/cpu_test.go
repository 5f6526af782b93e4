package sensor

import (
	"errors"
	"io/fs"
	"strings"
	"testing"
)

func readCPU(t *testing.T, root string) CPUSample {
	t.Helper()
	s, err := ReadCPU(root)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestBusyCores(t *testing.T) {
	before := readCPU(t, "testdata/stat-before")
	after := readCPU(t, "testdata/stat-after")
	hotplug := readCPU(t, "testdata/stat-hotplug")
	if before.Cores() != 4 || after.Cores() != 4 || hotplug.Cores() != 3 {
		t.Fatalf("cores %d, %d, %d; want 4, 4, 3", before.Cores(), after.Cores(), hotplug.Cores())
	}
	tests := []struct {
		name      string
		s, prev   CPUSample
		wantCores float64
	}{
		// Per CPU over 100 ticks: cpu0 70 busy (user 40, system 20,
		// softirq 10; idle 25, iowait 5), cpu1 15 busy (user 10, system
		// 5), cpu2 none, cpu3 70 busy (user 60, system 10; its 20 guest
		// ticks are inside user). 0.70 + 0.15 + 0 + 0.70.
		{"one second", after, before, 1.55},
		// cpu2 went offline: idle; cpu3 came back with its counters
		// restarted: idle. cpu0 and cpu1 as above.
		{"hot-plug", hotplug, before, 0.85},
		{"no time passed", after, after, 0},
		{"no previous sample", after, CPUSample{}, 0},
	}
	for _, tt := range tests {
		if got := tt.s.BusyCores(tt.prev); !near(got, tt.wantCores) {
			t.Errorf("%s: BusyCores = %v, want %v", tt.name, got, tt.wantCores)
		}
	}
}

// TestBusyCoresBackwards: iowait alone may go backwards on a CPU that
// stays online, and the CPU is still measured; when idle and iowait
// together go backwards, the counters restarted and the CPU counts as idle.
func TestBusyCoresBackwards(t *testing.T) {
	const prev = "cpu  0\ncpu0 100 0 100 1000 50 0 0 0\n"
	tests := []struct {
		name      string
		stat      string
		wantCores float64
	}{
		// 60 busy, 40 idle+iowait (50 idle, -10 iowait).
		{"iowait", "cpu  0\ncpu0 140 0 120 1050 40 0 0 0\n", 0.6},
		// Busy went on, idle+iowait went back from 1050 to 1040.
		{"idle", "cpu  0\ncpu0 140 0 120 1000 40 0 0 0\n", 0},
		// Busy went back from 200 to 190 while idle went on.
		{"busy", "cpu  0\ncpu0 90 0 100 1100 50 0 0 0\n", 0},
		// Guest ticks are inside user: 30 busy, 70 idle, not 60 busy.
		{"guest", "cpu  0\ncpu0 130 0 100 1070 50 0 0 0 30 0\n", 0.3},
	}
	p := readCPU(t, writeTree(t, "", map[string]string{"proc/stat": prev}))
	for _, tt := range tests {
		s := readCPU(t, writeTree(t, "", map[string]string{"proc/stat": tt.stat}))
		if got := s.BusyCores(p); !near(got, tt.wantCores) {
			t.Errorf("%s: BusyCores = %v, want %v", tt.name, got, tt.wantCores)
		}
	}
}

func TestReadCPU(t *testing.T) {
	// What gopsutil cannot parse is skipped: that CPU is left out of the
	// sample, and counts as idle.
	s := readCPU(t, writeTree(t, "", map[string]string{"proc/stat": "cpu  1 2 3 4 5 6 7 8\n" +
		"cpu0 1 2 3 4 5 6 7 8\n" + // kept
		"cpu1 1 2 3 4\n" + // too few counters (a kernel before 2.6)
		"cpu2 1 2 abc 4 5 6 7 8\n" + // garbage
		"cpu3 1 2 -5 4 5 6 7 8\n" + // negative
		"cpu4 NaN 2 3 4 5 6 7 8\n" + // not finite
		"cpu0 1 2 3 4 5 6 7 8\n" + // twice
		"cpu5 1 2 3 4 5 6 7 8\n" + // kept
		"intr 5\n"}))
	if s.Cores() != 2 || s.cpus[0].id != 0 || s.cpus[1].id != 5 {
		t.Errorf("sample = %+v, want cpu0 and cpu5 only", s.cpus)
	}

	for name, stat := range map[string]string{
		"empty":          "",
		"aggregate only": "cpu  1 2 3 4 5 6 7 8\nintr 5\n",
		"all bad":        "cpu  1 2 3 4 5 6 7 8\ncpu0 1 2 3\n",
	} {
		_, err := ReadCPU(writeTree(t, "", map[string]string{"proc/stat": stat}))
		if err == nil || !strings.Contains(err.Error(), "proc/stat: no per-CPU line") {
			t.Errorf("%s: error %v, want one naming proc/stat: no per-CPU line", name, err)
		}
	}
	if _, err := ReadCPU("testdata/bad"); err == nil || !strings.Contains(err.Error(), "bad/proc/stat") {
		t.Errorf("ReadCPU(testdata/bad): %v, want an error naming it", err)
	}
	if _, err := ReadCPU(t.TempDir()); !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), "proc/stat") {
		t.Errorf("ReadCPU(empty): %v, want fs.ErrNotExist naming proc/stat", err)
	}
	if s, err := ReadCPU("/"); err != nil || s.Cores() == 0 {
		t.Errorf("ReadCPU(/) = %d cores, %v; want this machine's", s.Cores(), err)
	}
}
