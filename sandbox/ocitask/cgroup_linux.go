package ocitask

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/hearth-home/hearth/internal/cgroupfs"
)

// Cgroups finds the counters of a task's cgroup, on cgroup v1 (one mount
// per controller) or v2 (one unified tree). Paths are cgroup paths, as an
// OCI spec's linux.cgroupsPath names them ("/hearth-x/task-1").
type Cgroups struct {
	v2      bool
	unified string // v2 mount point
	memory  string // v1 controller mount points
	cpuacct string
	cpu     string
	all     []string // every mounted hierarchy
}

// DetectCgroups reads this host's cgroup mounts; with none, every counter
// is unknown.
func DetectCgroups() Cgroups {
	m, err := cgroupfs.Read()
	if err != nil {
		return Cgroups{}
	}
	c := Cgroups{unified: m.Unified, memory: m.V1["memory"], cpuacct: m.V1["cpuacct"], cpu: m.V1["cpu"]}
	for _, dir := range m.V1 {
		c.all = append(c.all, dir)
	}
	if m.Unified != "" {
		c.all = append(c.all, m.Unified)
	}
	// Hybrid hosts mount v2 beside the v1 controllers: v1 rules then.
	c.v2 = c.memory == "" && c.unified != ""
	return c
}

// V2 reports whether tasks' cgroups are in the unified (v2) tree.
func (c Cgroups) V2() bool { return c.v2 }

// CPUUsage is the CPU time the cgroup's processes used.
func (c Cgroups) CPUUsage(path string) (time.Duration, bool) {
	if c.v2 {
		v, ok := keyed(filepath.Join(c.unified, path, "cpu.stat"), "usage_usec")
		return time.Duration(v) * time.Microsecond, ok
	}
	if c.cpuacct == "" {
		return 0, false
	}
	b, err := os.ReadFile(filepath.Join(c.cpuacct, path, "cpuacct.usage"))
	if err != nil {
		return 0, false
	}
	ns, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
	return time.Duration(ns), err == nil
}

// OOMKills is how many processes of the cgroup the kernel killed for
// memory.
func (c Cgroups) OOMKills(path string) int64 {
	if c.v2 {
		v, _ := keyed(filepath.Join(c.unified, path, "memory.events"), "oom_kill")
		return v
	}
	if c.memory == "" {
		return 0
	}
	v, _ := keyed(filepath.Join(c.memory, path, "memory.oom_control"), "oom_kill")
	return v
}

// SetCPUQuota writes the cgroup's CFS quota: quota microseconds of CPU in
// each period. It is what `runc update --cpu-quota` writes, without
// starting a process for it.
func (c Cgroups) SetCPUQuota(path string, quota, period int64) error {
	if c.v2 {
		return os.WriteFile(filepath.Join(c.unified, path, "cpu.max"), fmt.Appendf(nil, "%d %d", quota, period), 0)
	}
	if c.cpu == "" {
		return fmt.Errorf("no cpu cgroup controller mounted")
	}
	dir := filepath.Join(c.cpu, path)
	// A shorter period first would briefly allow more than the new
	// quota's share; the kernel checks quota against period either way.
	if err := os.WriteFile(filepath.Join(dir, "cpu.cfs_period_us"), []byte(strconv.FormatInt(period, 10)), 0); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "cpu.cfs_quota_us"), []byte(strconv.FormatInt(quota, 10)), 0)
}

// RemoveEmpty removes the cgroup at path from every hierarchy where it is
// empty; it is not an error that it is not.
func (c Cgroups) RemoveEmpty(path string) {
	for _, dir := range c.all {
		os.Remove(filepath.Join(dir, path))
	}
}

// keyed reads "key value" lines.
func keyed(file, key string) (int64, bool) {
	b, err := os.ReadFile(file)
	if err != nil {
		return 0, false
	}
	for _, line := range strings.Split(string(b), "\n") {
		k, v, ok := strings.Cut(line, " ")
		if ok && k == key {
			n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
			return n, err == nil
		}
	}
	return 0, false
}
