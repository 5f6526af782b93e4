package containerd

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/hearth-home/hearth/internal/cgroupfs"
)

// cgroupFS finds the counters of a task's cgroup, on cgroup v1 (one mount
// per controller) or v2 (one unified tree).
type cgroupFS struct {
	v2      bool
	unified string // v2 mount point
	memory  string // v1 controller mount points
	cpuacct string
}

func detectCgroups() cgroupFS {
	m, err := cgroupfs.Read()
	if err != nil {
		return cgroupFS{}
	}
	c := cgroupFS{unified: m.Unified, memory: m.V1["memory"], cpuacct: m.V1["cpuacct"]}
	// Hybrid hosts mount v2 beside the v1 controllers: v1 rules then.
	c.v2 = c.memory == "" && c.unified != ""
	return c
}

// path is the cgroup containerd's default spec gives a container.
func (c cgroupFS) path(namespace, id string) string {
	return filepath.Join("/", namespace, id)
}

// cpuUsage is the CPU time the cgroup's processes used.
func (c cgroupFS) cpuUsage(path string) (time.Duration, bool) {
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

// oomKills is how many processes of the cgroup the kernel killed for
// memory.
func (c cgroupFS) oomKills(path string) int64 {
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
