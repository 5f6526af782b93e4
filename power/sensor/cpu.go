package sensor

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// CPUSample is one reading of /proc/stat's per-CPU lines ("cpu0 ...", not
// the aggregate "cpu" line). Two samples some time apart give BusyCores.
type CPUSample struct {
	cpus []cpuTicks // in increasing id order, as /proc/stat lists them
}

// cpuTicks is one CPU's counters, in USER_HZ ticks since boot.
type cpuTicks struct {
	id   int
	busy uint64 // user + nice + system + irq + softirq + steal
	idle uint64 // idle + iowait
}

// ReadCPU reads /proc/stat under root. A missing file gets the os error; a
// per-CPU line that is not a CPU number and at least four counters, CPUs
// listed twice or out of order, and a file with no per-CPU line get an
// error naming the file and line.
func ReadCPU(root string) (CPUSample, error) {
	path := filepath.Join(root, "proc/stat")
	b, err := os.ReadFile(path)
	if err != nil {
		return CPUSample{}, fmt.Errorf("sensor: %w", err)
	}
	var s CPUSample
	for i, line := range strings.Split(string(b), "\n") {
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		id, ok := strings.CutPrefix(fields[0], "cpu")
		if !ok || id == "" {
			continue
		}
		t, err := parseCPULine(id, fields[1:])
		if err != nil {
			return CPUSample{}, fmt.Errorf("sensor: %s line %d: %w", path, i+1, err)
		}
		if n := len(s.cpus); n > 0 && t.id <= s.cpus[n-1].id {
			return CPUSample{}, fmt.Errorf("sensor: %s line %d: cpu%d listed after cpu%d", path, i+1, t.id, s.cpus[n-1].id)
		}
		s.cpus = append(s.cpus, t)
	}
	if len(s.cpus) == 0 {
		return CPUSample{}, fmt.Errorf("sensor: %s: no per-CPU line", path)
	}
	return s, nil
}

// parseCPULine reads the counters after "cpu<id>": user nice system idle
// iowait irq softirq steal guest guest_nice. Kernels before 2.6 give only
// the first four. Guest time is already counted in user and nice, so it is
// left out.
func parseCPULine(id string, counters []string) (cpuTicks, error) {
	if !isIndex(id) {
		return cpuTicks{}, fmt.Errorf("%.20q is not a CPU number", "cpu"+id)
	}
	n, err := strconv.Atoi(id)
	if err != nil {
		return cpuTicks{}, fmt.Errorf("%.20q is not a CPU number", "cpu"+id)
	}
	if len(counters) < 4 {
		return cpuTicks{}, fmt.Errorf("cpu%d has %d counters, want at least 4", n, len(counters))
	}
	var v [8]uint64
	for i := 0; i < len(v) && i < len(counters); i++ {
		v[i], err = strconv.ParseUint(counters[i], 10, 64)
		if err != nil {
			return cpuTicks{}, fmt.Errorf("cpu%d counter %d: %.20q is not a count", n, i+1, counters[i])
		}
	}
	return cpuTicks{
		id:   n,
		busy: v[0] + v[1] + v[2] + v[5] + v[6] + v[7],
		idle: v[3] + v[4],
	}, nil
}

// Cores is the number of CPUs in the sample: those online when it was read.
func (s CPUSample) Cores() int { return len(s.cpus) }

// BusyCores is how many cores were busy on average between prev and s
// (0..Cores): for each CPU, the ticks not spent idle or in iowait as a
// fraction of all its ticks, summed over the CPUs. A CPU missing from
// either sample (offline) counts as idle, and so does one whose busy or
// idle ticks went backwards (hot-plugged: its counters restarted). The
// sums are compared rather than each counter because the kernel lets
// iowait alone go backwards on a CPU that stays online.
func (s CPUSample) BusyCores(prev CPUSample) float64 {
	before := make(map[int]cpuTicks, len(prev.cpus))
	for _, t := range prev.cpus {
		before[t.id] = t
	}
	var busy float64
	for _, t := range s.cpus {
		p, ok := before[t.id]
		if !ok || t.busy < p.busy || t.idle < p.idle {
			continue
		}
		dBusy, dIdle := t.busy-p.busy, t.idle-p.idle
		if dBusy+dIdle == 0 {
			continue
		}
		busy += float64(dBusy) / float64(dBusy+dIdle)
	}
	return busy
}
