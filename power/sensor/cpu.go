package sensor

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/shirou/gopsutil/v3/common"
	"github.com/shirou/gopsutil/v3/cpu"
)

// CPUSample is one reading of the per-CPU times (/proc/stat's "cpu0 ..."
// lines, through gopsutil), not the aggregate. Two samples some time apart
// give BusyCores.
type CPUSample struct {
	cpus []cpuTimes // in the order /proc/stat lists them
}

// cpuTimes is one CPU's times since boot, in seconds.
type cpuTimes struct {
	id   int
	busy float64 // user + nice + system + irq + softirq + steal
	idle float64 // idle + iowait
}

// hostEnv is a context that makes gopsutil read /proc and /sys under root
// ("" or "/" for the running system): fixture trees in tests, a container's
// view of the host in production.
func hostEnv(root string) context.Context {
	if root == "" || root == "/" {
		return context.Background()
	}
	return context.WithValue(context.Background(), common.EnvKey, common.EnvMap{
		common.HostProcEnvKey: filepath.Join(root, "proc"),
		common.HostSysEnvKey:  filepath.Join(root, "sys"),
	})
}

// ReadCPU reads the per-CPU times under root with gopsutil. A missing
// /proc/stat gets the os error, and a file with no per-CPU line that parses
// gets an error naming it. gopsutil skips a line it cannot parse (fewer than
// seven counters, a counter that is not a number): that CPU is missing from
// the sample and counts as idle in BusyCores; so does one with a negative
// or non-finite counter, or listed twice.
func ReadCPU(root string) (CPUSample, error) {
	path := filepath.Join(root, "proc/stat")
	times, err := cpu.TimesWithContext(hostEnv(root), true)
	if err != nil {
		return CPUSample{}, fmt.Errorf("sensor: %s: %w", path, err)
	}
	var s CPUSample
	seen := make(map[int]bool)
	for _, t := range times {
		id, err := strconv.Atoi(strings.TrimPrefix(t.CPU, "cpu"))
		if err != nil || id < 0 || seen[id] {
			continue
		}
		c := cpuTimes{
			id:   id,
			busy: t.User + t.Nice + t.System + t.Irq + t.Softirq + t.Steal,
			idle: t.Idle + t.Iowait,
		}
		if !usable(t.User, t.Nice, t.System, t.Irq, t.Softirq, t.Steal, t.Idle, t.Iowait) {
			continue
		}
		seen[id] = true
		s.cpus = append(s.cpus, c)
	}
	if len(s.cpus) == 0 {
		// gopsutil reads a missing file as no CPU at all.
		if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
			return CPUSample{}, fmt.Errorf("sensor: %w", err)
		}
		return CPUSample{}, fmt.Errorf("sensor: %s: no per-CPU line", path)
	}
	return s, nil
}

// usable reports whether every counter is a finite count.
func usable(v ...float64) bool {
	for _, x := range v {
		if x < 0 || math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
	}
	return true
}

// Cores is the number of CPUs in the sample: those online when it was read.
func (s CPUSample) Cores() int { return len(s.cpus) }

// BusyCores is how many cores were busy on average between prev and s
// (0..Cores): for each CPU, the time not spent idle or in iowait as a
// fraction of all its time, summed over the CPUs. A CPU missing from
// either sample (offline) counts as idle, and so does one whose busy or
// idle time went backwards (hot-plugged: its counters restarted). The
// sums are compared rather than each counter because the kernel lets
// iowait alone go backwards on a CPU that stays online. Guest time is
// already inside user and nice, so it is not added.
func (s CPUSample) BusyCores(prev CPUSample) float64 {
	before := make(map[int]cpuTimes, len(prev.cpus))
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
		if dBusy+dIdle <= 0 {
			continue
		}
		busy += dBusy / (dBusy + dIdle)
	}
	return busy
}
