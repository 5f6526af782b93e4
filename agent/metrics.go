package agent

import (
	"github.com/shirou/gopsutil/v3/load"
	"github.com/shirou/gopsutil/v3/mem"
)

// hostLoad returns the one-minute load average and the memory available
// for new programs; zero for what the host does not tell.
func hostLoad() (load1 float64, memFree uint64) {
	if avg, err := load.Avg(); err == nil {
		load1 = avg.Load1
	}
	if vm, err := mem.VirtualMemory(); err == nil {
		memFree = vm.Available
	}
	return load1, memFree
}

// totalMemory is the host's physical memory, zero when unknown.
func totalMemory() uint64 {
	vm, err := mem.VirtualMemory()
	if err != nil {
		return 0
	}
	return vm.Total
}
