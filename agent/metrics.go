package agent

import (
	"os"
	"strconv"
	"strings"

	"github.com/hearth-home/hearth/power/sensor"
)

// hostLoad returns the one-minute load average and the memory available
// for new programs, from /proc; zero for what the host does not tell.
// (Read here rather than through gopsutil, which the design brief names:
// two files do not need a library, and the plug agent's size budget is
// tight.)
func hostLoad() (load1 float64, memFree uint64) {
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		if f := strings.Fields(string(b)); len(f) > 0 {
			load1, _ = strconv.ParseFloat(f[0], 64)
		}
	}
	memFree = meminfo("MemAvailable:")
	return load1, memFree
}

// totalMemory is the host's physical memory, zero when unknown.
func totalMemory() uint64 { return meminfo("MemTotal:") }

// meminfo reads one "Key: N kB" line of /proc/meminfo, in bytes.
func meminfo(key string) uint64 {
	b, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, key); ok {
			f := strings.Fields(v)
			if len(f) == 0 {
				return 0
			}
			kb, err := strconv.ParseUint(f[0], 10, 64)
			if err != nil {
				return 0
			}
			return kb << 10
		}
	}
	return 0
}

// readTempC returns the hottest thermal zone's temperature in °C, or nil
// when the device has no thermal zone that answers sensibly.
func readTempC(root string) *float64 {
	c, _, err := sensor.Temperature(root)
	if err != nil {
		return nil
	}
	return &c
}
