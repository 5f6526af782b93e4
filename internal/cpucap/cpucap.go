// Package cpucap caps the CPU of single threads with the kernel's CFS
// bandwidth control: a cgroup per capped thread, with a quota of CPU time
// per period. It is how the power governor holds back WebAssembly tasks,
// which run as goroutines locked to their own threads inside the agent
// (containers have cgroups of their own, capped through containerd).
//
// On cgroup v1 a thread joins a cgroup of the cpu controller by writing
// its thread ID to the cgroup's "tasks" file. On cgroup v2 threads may
// only be split among "threaded" cgroups below the process's own cgroup,
// with the cpu controller enabled there: under systemd that needs
// Delegate=yes on the agent's service. Where neither works, New fails and
// says why, and the governor caps wasm work by leasing less instead.
package cpucap

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/hearth-home/hearth/internal/cgroupfs"
)

// Period is the CFS period of every cap: a capped thread runs at most its
// quota in each period. 100 ms is the kernel's default.
const Period = 100 * time.Millisecond

// MinQuota is the least quota the kernel accepts (1 ms). A thread "held"
// at it runs 1% of one core: the nearest to a pause that keeps the Go
// runtime, which needs every thread to answer now and then, healthy.
const MinQuota = time.Millisecond

// ErrUnsupported: this system has no cgroup this process may split its
// threads into.
var ErrUnsupported = errors.New("per-thread CPU caps are not available")

// Caps makes thread cgroups under one parent cgroup of this process.
type Caps struct {
	v2     bool
	parent string // directory of the parent cgroup
	mounts mounts
}

// New prepares a parent cgroup named name for this process's capped
// threads: on v1 under the cpu controller's root, on v2 as a threaded
// cgroup below this process's own.
func New(name string) (*Caps, error) {
	mounts, err := cgroupMounts()
	if err != nil {
		return nil, err
	}
	if mounts.cpu != "" {
		dir := filepath.Join(mounts.cpu, name)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("%w: %w (the agent needs root for per-thread caps)", ErrUnsupported, err)
		}
		return &Caps{parent: dir, mounts: mounts}, nil
	}
	if mounts.unified == "" {
		return nil, fmt.Errorf("%w: no cgroup file system with the cpu controller is mounted", ErrUnsupported)
	}
	own, err := ownCgroupV2()
	if err != nil {
		return nil, err
	}
	base := filepath.Join(mounts.unified, own)
	// The process's cgroup becomes a threaded domain once a child is
	// threaded; the cpu controller must be enabled below it. The kernel's
	// rule against processes in inner cgroups lets this through although
	// the process is in that cgroup: it covers domain controllers, and cpu
	// is a threaded one (vm_test.go shows it on a v2 kernel).
	if err := writeFile(filepath.Join(base, "cgroup.subtree_control"), "+cpu"); err != nil {
		return nil, fmt.Errorf("%w: enabling the cpu controller below %s: %v (under systemd, set Delegate=yes on the agent's service)", ErrUnsupported, base, err)
	}
	dir := filepath.Join(base, name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUnsupported, err)
	}
	if err := writeFile(filepath.Join(dir, "cgroup.type"), "threaded"); err != nil {
		os.Remove(dir)
		return nil, fmt.Errorf("%w: making %s threaded: %v", ErrUnsupported, dir, err)
	}
	if err := writeFile(filepath.Join(dir, "cgroup.subtree_control"), "+cpu"); err != nil {
		os.Remove(dir)
		return nil, fmt.Errorf("%w: %w", ErrUnsupported, err)
	}
	return &Caps{v2: true, parent: dir, mounts: mounts}, nil
}

// Unified reports whether the caps are on the unified hierarchy (cgroup
// v2) rather than on v1's cpu controller.
func (c *Caps) Unified() bool { return c.v2 }

// Dir is the parent cgroup's directory.
func (c *Caps) Dir() string { return c.parent }

// Cap is the cgroup of one capped thread.
type Cap struct {
	c    *Caps
	dir  string
	home string // the cgroup the thread came from
	tid  int
	base time.Duration // the thread's CPU time when it joined
}

// Thread moves the calling thread (the caller must have locked its
// goroutine to it) into a new cgroup named name, uncapped until SetCPU.
// The same thread must call Release before it unlocks.
func (c *Caps) Thread(name string) (*Cap, error) {
	tid := gettid()
	home, err := c.threadHome(tid)
	if err != nil {
		return nil, err
	}
	dir := filepath.Join(c.parent, name)
	if err := os.Mkdir(dir, 0o755); err != nil && !os.IsExist(err) {
		return nil, err
	}
	if c.v2 {
		if err := writeFile(filepath.Join(dir, "cgroup.type"), "threaded"); err != nil {
			os.Remove(dir)
			return nil, err
		}
	}
	if err := writeFile(filepath.Join(dir, c.threadsFile()), strconv.Itoa(tid)); err != nil {
		os.Remove(dir)
		return nil, fmt.Errorf("moving thread into %s: %w", dir, err)
	}
	p := &Cap{c: c, dir: dir, home: home, tid: tid}
	p.base, _ = ThreadCPU(tid)
	return p, nil
}

func (c *Caps) threadsFile() string {
	if c.v2 {
		return "cgroup.threads"
	}
	return "tasks"
}

// threadHome is the directory of the cgroup a thread is in now.
func (c *Caps) threadHome(tid int) (string, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/self/task/%d/cgroup", tid))
	if err != nil {
		return "", err
	}
	mounts := c.mounts
	for _, line := range strings.Split(string(b), "\n") {
		parts := strings.SplitN(line, ":", 3)
		if len(parts) != 3 {
			continue
		}
		if c.v2 && parts[0] == "0" {
			return filepath.Join(mounts.unified, parts[2]), nil
		}
		for _, ctl := range strings.Split(parts[1], ",") {
			if !c.v2 && ctl == "cpu" {
				return filepath.Join(mounts.cpu, parts[2]), nil
			}
		}
	}
	return "", fmt.Errorf("%w: thread %d is in no cpu cgroup", ErrUnsupported, tid)
}

// Release moves the thread back to the cgroup it came from and removes
// its cgroup. The capped thread itself must call it.
func (p *Cap) Release() error {
	if gettid() != p.tid {
		return fmt.Errorf("cpucap: Release from thread %d, not the capped thread %d", gettid(), p.tid)
	}
	if err := writeFile(filepath.Join(p.home, p.c.threadsFile()), strconv.Itoa(p.tid)); err != nil {
		return fmt.Errorf("moving thread %d back to %s: %w", p.tid, p.home, err)
	}
	return p.Close()
}

// SetCPU caps the thread at cores cores (1 is one whole core; a thread
// never uses more). At or below MinQuota's share it is held at MinQuota;
// NaN or +Inf removes the cap.
func (p *Cap) SetCPU(cores float64) error {
	uncapped := math.IsNaN(cores) || math.IsInf(cores, 1) || cores >= 1
	quota := time.Duration(cores * float64(Period))
	if quota < MinQuota {
		quota = MinQuota
	}
	if p.c.v2 {
		v := "max"
		if !uncapped {
			v = strconv.FormatInt(quota.Microseconds(), 10)
		}
		return writeFile(filepath.Join(p.dir, "cpu.max"), v+" "+strconv.FormatInt(Period.Microseconds(), 10))
	}
	if err := writeFile(filepath.Join(p.dir, "cpu.cfs_period_us"), strconv.FormatInt(Period.Microseconds(), 10)); err != nil {
		return err
	}
	v := "-1"
	if !uncapped {
		v = strconv.FormatInt(quota.Microseconds(), 10)
	}
	return writeFile(filepath.Join(p.dir, "cpu.cfs_quota_us"), v)
}

// Close removes the cgroup, which must be empty (Release empties it).
func (p *Cap) Close() error {
	if err := os.Remove(p.dir); err != nil && !os.IsNotExist(err) {
		return err
	}
	return nil
}

// Remove removes the parent cgroup (once every Cap is closed).
func (c *Caps) Remove() error { return os.Remove(c.parent) }

type mounts struct{ cpu, unified string }

func cgroupMounts() (mounts, error) {
	m, err := cgroupfs.Read()
	if err != nil {
		return mounts{}, fmt.Errorf("%w: %w", ErrUnsupported, err)
	}
	return mounts{cpu: m.V1["cpu"], unified: m.Unified}, nil
}

// ownCgroupV2 is this process's cgroup path on the unified hierarchy.
func ownCgroupV2() (string, error) {
	b, err := os.ReadFile("/proc/self/cgroup")
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrUnsupported, err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if p, ok := strings.CutPrefix(line, "0::"); ok {
			return p, nil
		}
	}
	return "", fmt.Errorf("%w: /proc/self/cgroup has no cgroup v2 line", ErrUnsupported)
}

func writeFile(path, v string) error {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	_, err = f.WriteString(v)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// Usage is the CPU time the thread has used since it joined the cap (from
// /proc/self/task/TID/schedstat: the cgroup's own counter lives in the
// cpuacct controller, which v1 systems may mount apart from cpu).
func (p *Cap) Usage() (time.Duration, error) {
	d, err := ThreadCPU(p.tid)
	return d - p.base, err
}

// Gettid is the calling thread's ID.
func Gettid() int { return gettid() }

// ThreadCPU is the CPU time a thread of this process has used over its
// whole life, readable from any thread.
func ThreadCPU(tid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/self/task/%d/schedstat", tid))
	if err != nil {
		return 0, err
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return 0, fmt.Errorf("schedstat of thread %d is empty", tid)
	}
	ns, err := strconv.ParseInt(f[0], 10, 64)
	return time.Duration(ns), err
}
