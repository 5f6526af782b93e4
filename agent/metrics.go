package agent

import (
	"context"
	"sync"
	"time"

	"github.com/shirou/gopsutil/v3/disk"
	"github.com/shirou/gopsutil/v3/load"
	"github.com/shirou/gopsutil/v3/mem"

	"github.com/hearth-home/hearth/power/sensor"
)

// hostLoad returns the one-minute load average and the memory available
// for new programs, through gopsutil; zero for what the host does not tell.
func hostLoad() (load1 float64, memFree uint64) {
	hostReadings.mu.Lock()
	defer hostReadings.mu.Unlock()
	r := &hostReadings
	if time.Since(r.loadAt) < hostReadingsFor {
		return r.load1, r.memFree
	}
	r.load1, r.memFree = readHostLoad()
	r.loadAt = time.Now()
	return r.load1, r.memFree
}

// hostReadings keeps the host's load, memory and temperature for
// hostReadingsFor. They are the host's, not one agent's: a real agent
// reads them once a heartbeat, but hearth-sim runs thousands of agents in
// one process, and their reads of /proc and /sys took a quarter of its
// core at 3,000 devices (docs/scale.md).
var hostReadings struct {
	mu       sync.Mutex
	loadAt   time.Time
	load1    float64
	memFree  uint64
	tempAt   time.Time
	tempRoot string
	tempC    *float64
}

const hostReadingsFor = time.Second

func readHostLoad() (load1 float64, memFree uint64) {
	ctx := context.Background()
	if l, err := load.AvgWithContext(ctx); err == nil {
		load1 = l.Load1
	}
	if m, err := mem.VirtualMemoryWithContext(ctx); err == nil {
		memFree = m.Available
	}
	return load1, memFree
}

// totalMemory is the host's physical memory, zero when unknown.
func totalMemory() uint64 {
	m, err := mem.VirtualMemoryWithContext(context.Background())
	if err != nil {
		return 0
	}
	return m.Total
}

// diskSpace returns the space left for unprivileged programs on the file
// system that holds dir, and its size, through gopsutil; zero when unknown.
func diskSpace(dir string) (free, total uint64) {
	u, err := disk.UsageWithContext(context.Background(), dir)
	if err != nil {
		return 0, 0
	}
	return u.Free, u.Total
}

// readTempC returns the hottest temperature sensor's reading in °C, or nil
// when the device has none that answers sensibly.
func readTempC(root string) *float64 {
	hostReadings.mu.Lock()
	defer hostReadings.mu.Unlock()
	r := &hostReadings
	if r.tempRoot != root || time.Since(r.tempAt) >= hostReadingsFor {
		r.tempC, r.tempRoot, r.tempAt = readTempNow(root), root, time.Now()
	}
	return r.tempC
}

func readTempNow(root string) *float64 {
	c, _, err := sensor.Temperature(root)
	if err != nil {
		return nil
	}
	return &c
}
