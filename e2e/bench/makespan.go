package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/hearth-home/hearth/e2e/home"
	"github.com/hearth-home/hearth/gateway"
	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/internal/cgroupfs"
	"github.com/hearth-home/hearth/sandbox"
	"github.com/hearth-home/hearth/sandbox/wasm"
)

// The mixed-speed pool (issue 15): one fast device and two slow ones, each
// an agent with one slot; the slow ones run in cgroups that give them
// slowShare of a core, from the start (so that their speed probe measures
// what they have). A job of makespanTasks vanity tasks of makespanTries
// candidates each (a prefix that is never found, so every task does the
// same work: about 1.3 s on this machine's fast device, a minute on a slow
// one) runs once with --placement=fifo and once with --placement=speed,
// each in a fresh pool. The figure is the makespan (submit to the job's
// end) with speed-aware placement over the one without; goal <= 0.6.
const (
	makespanTasks = 24
	makespanTries = 10000
	slowShare     = 0.02
)

func mixedSpeedMakespan(ctx context.Context, bin string) error {
	module, err := filepath.Abs(filepath.Join("examples", "vanity", "vanity.wasm"))
	if err != nil {
		return err
	}
	if _, err := os.Stat(module); err != nil {
		return fmt.Errorf("%w: run `make build` first", err)
	}
	// Compiling vanity (1.6 s of a core here) would take the slow devices
	// over a minute: they get the compiled module in their wasm cache, as a
	// device that ran the app before has it, so that the figure is about
	// running, not compiling.
	cache, err := os.MkdirTemp("", "hearth-bench-wasmcache-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(cache)
	if err := compileInto(ctx, cache, module); err != nil {
		return err
	}
	spans := map[string]time.Duration{}
	for _, placement := range []string{gateway.PlacementFIFO, gateway.PlacementSpeed} {
		d, err := makespanRun(ctx, bin, module, cache, placement)
		if err != nil {
			return fmt.Errorf("placement %s: %w", placement, err)
		}
		spans[placement] = d
	}
	bench("pool.mixed_speed_makespan_fifo", spans[gateway.PlacementFIFO].Seconds(), "s")
	bench("pool.mixed_speed_makespan_speed", spans[gateway.PlacementSpeed].Seconds(), "s")
	bench("pool.mixed_speed_makespan_ratio", spans[gateway.PlacementSpeed].Seconds()/spans[gateway.PlacementFIFO].Seconds(), "ratio")
	return nil
}

// compileInto compiles module with the agent's wasm runtime into a
// compilation cache in dir.
func compileInto(ctx context.Context, dir, module string) error {
	b, err := os.ReadFile(module)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(b)
	rt, err := wasm.New(wasm.Config{CacheDir: dir})
	if err != nil {
		return err
	}
	defer rt.Close()
	return rt.Prepare(ctx, sandbox.App{Digest: "sha256:" + hex.EncodeToString(sum[:]), Path: module})
}

// makespanRun runs the job in a fresh pool under placement and returns its
// makespan.
func makespanRun(ctx context.Context, bin, module, cache, placement string) (time.Duration, error) {
	var per []home.AgentOptions
	var cages []*cpuCage
	per = append(per, home.AgentOptions{Name: "fast"})
	for i := range 2 {
		cg, err := newCPUCage(fmt.Sprintf("hearth-bench-%s-slow-%d-%d", placement, os.Getpid(), i+1), slowShare)
		if err != nil {
			return 0, err
		}
		defer cg.remove()
		cages = append(cages, cg)
		per = append(per, home.AgentOptions{Name: fmt.Sprintf("slow-%d", i+1), Wrapper: cg.wrapper()})
	}
	h, err := home.Start(ctx, home.Options{Agents: 3, Bin: bin, Prefix: "benchm" + placement[:1],
		GatewayArgs: []string{"--placement", placement},
		AgentArgs:   append([]string{"--slots", "1"}, wasmOnly...), PerAgent: per})
	if err != nil {
		return 0, err
	}
	defer h.Close()
	for i, cg := range cages {
		if err := cg.join(h.Agents[i+1].Pid()); err != nil {
			return 0, err
		}
	}
	for _, a := range h.Agents[1:] {
		if err := os.CopyFS(filepath.Join(a.DataDir, "wasm-cache"), os.DirFS(cache)); err != nil && !errors.Is(err, fs.ErrExist) {
			return 0, fmt.Errorf("warm cache of %s: %w", a.Name, err)
		}
	}
	names, err := waitSpeeds(ctx, h)
	if err != nil {
		return 0, err
	}
	dir, err := os.MkdirTemp("", "hearth-bench-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(dir)
	b, err := os.ReadFile(module)
	if err != nil {
		return 0, err
	}
	if err := os.WriteFile(filepath.Join(dir, "vanity.wasm"), b, 0o644); err != nil {
		return 0, err
	}
	spec := fmt.Sprintf(`name: mixed-speed
runtime: wasm
app: vanity.wasm
tasks: %d
args: ["-prefix", "0123456789abcdef", "-seed", "bench", "-shard", "{{index}}", "-shards", "{{tasks}}", "-tries", "%d"]
resources: {cpu: 1, memory: 64Mi, timeout: 10m}
`, makespanTasks, makespanTries)
	if err := os.WriteFile(filepath.Join(dir, "job.yaml"), []byte(spec), 0o644); err != nil {
		return 0, err
	}
	var j api.Job
	if err := h.CLIJSON(ctx, &j, "job", "submit", filepath.Join(dir, "job.yaml")); err != nil {
		return 0, err
	}
	d, err := waitJob(ctx, h, j.ID, 15*time.Minute)
	if err != nil {
		return 0, err
	}
	if d.State != api.JobDone || d.Finished == nil {
		return 0, fmt.Errorf("job %s: %+v", d.State, d.Counts)
	}
	count := map[string]int{}
	for _, t := range d.Tasks {
		count[names[t.Node]]++
	}
	span := d.Finished.Sub(d.Created)
	fmt.Fprintf(os.Stderr, "bench makespan: placement %s: %v; tasks per device: fast %d, slow-1 %d, slow-2 %d\n",
		placement, span.Round(10*time.Millisecond), count["fast"], count["slow-1"], count["slow-2"])
	return span, nil
}

// waitSpeeds waits until the three devices are ready and have reported
// their speed, prints the speeds, and returns the devices' names by ID.
func waitSpeeds(ctx context.Context, h *home.Home) (map[string]string, error) {
	wctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	for {
		ms, err := h.WaitReady(wctx, 3)
		if err != nil {
			return nil, err
		}
		names, known := map[string]string{}, 0
		var line []string
		for _, m := range ms {
			names[m.ID] = m.Node.Name
			if m.Speed != nil && m.Speed.WasmOps > 0 {
				known++
				line = append(line, fmt.Sprintf("%s wasm %.3g/s", m.Node.Name, m.Speed.WasmOps))
			}
		}
		if known == 3 {
			fmt.Fprintf(os.Stderr, "bench makespan: speeds: %s\n", strings.Join(line, ", "))
			return names, nil
		}
		select {
		case <-wctx.Done():
			return nil, fmt.Errorf("speeds not all reported: %v", line)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func waitJob(ctx context.Context, h *home.Home, id string, within time.Duration) (api.JobDetail, error) {
	deadline := time.Now().Add(within)
	for {
		var d api.JobDetail
		if err := h.CLIJSON(ctx, &d, "job", "get", id); err != nil {
			return d, err
		}
		if d.State != api.JobRunning {
			return d, nil
		}
		if time.Now().After(deadline) {
			return d, fmt.Errorf("job not done after %v: %+v", within, d.Counts)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// cpuCage is a cgroup with a CPU cap (cgroup v2's cpu.max, or v1's CFS
// quota) that a process joins as it starts.
type cpuCage struct {
	dir string
}

func newCPUCage(name string, share float64) (*cpuCage, error) {
	m, err := cgroupfs.Read()
	if err != nil {
		return nil, err
	}
	const period = 100000 // µs
	quota := strconv.Itoa(max(int(share*period), 1000))
	if m.Unified != "" {
		if b, err := os.ReadFile(filepath.Join(m.Unified, "cgroup.controllers")); err == nil && strings.Contains(string(b), "cpu") {
			// The cpu controller must be on for the root's children.
			_ = os.WriteFile(filepath.Join(m.Unified, "cgroup.subtree_control"), []byte("+cpu"), 0o644)
			c := &cpuCage{dir: filepath.Join(m.Unified, name)}
			if err := os.Mkdir(c.dir, 0o755); err != nil {
				return nil, err
			}
			if err := os.WriteFile(filepath.Join(c.dir, "cpu.max"), []byte(quota+" "+strconv.Itoa(period)), 0o644); err != nil {
				c.remove()
				return nil, fmt.Errorf("cpu.max: %w", err)
			}
			return c, nil
		}
	}
	cpu := m.V1["cpu"]
	if cpu == "" {
		return nil, fmt.Errorf("no cgroup with the cpu controller to slow the slow devices with")
	}
	c := &cpuCage{dir: filepath.Join(cpu, name)}
	if err := os.Mkdir(c.dir, 0o755); err != nil {
		return nil, err
	}
	for f, v := range map[string]string{"cpu.cfs_period_us": strconv.Itoa(period), "cpu.cfs_quota_us": quota} {
		if err := os.WriteFile(filepath.Join(c.dir, f), []byte(v), 0o644); err != nil {
			c.remove()
			return nil, fmt.Errorf("%s: %w", f, err)
		}
	}
	return c, nil
}

// wrapper runs a program in the cage once join has put the wrapper in it
// (it gives up after ten seconds): `ip netns exec` mounts a sysfs of the
// namespace's own, without the cgroup file systems, so the process cannot
// join by itself.
func (c *cpuCage) wrapper() []string {
	return []string{"sh", "-c", `i=0; until grep -q '` + filepath.Base(c.dir) + `' /proc/$$/cgroup; do ` +
		`i=$((i+1)); [ $i -gt 500 ] && { echo "not put in the CPU cage" >&2; exit 1; }; sleep 0.02; done; exec "$0" "$@"`}
}

// join puts pid (and its children, should `ip netns exec` have forked) in
// the cage.
func (c *cpuCage) join(pid int) error {
	pids := []string{strconv.Itoa(pid)}
	if kids, err := os.ReadFile(fmt.Sprintf("/proc/%d/task/%d/children", pid, pid)); err == nil {
		pids = append(pids, strings.Fields(string(kids))...)
	}
	for _, p := range pids {
		if err := os.WriteFile(filepath.Join(c.dir, "cgroup.procs"), []byte(p), 0o644); err != nil {
			return fmt.Errorf("putting %s in %s: %w", p, c.dir, err)
		}
	}
	return nil
}

// remove deletes the cgroup once its processes are gone.
func (c *cpuCage) remove() {
	for range 50 {
		if err := os.Remove(c.dir); err == nil || os.IsNotExist(err) {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
}
