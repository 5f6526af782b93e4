// Command bench is the second half of `make bench`: it measures the pool as
// a person would run it, real binaries in network namespaces, and prints
// each figure as a line `BENCH <name> <value> <unit>`.
//
// Figures (issue 2): hearth-agent's stripped linux/arm v6 size; an agent's
// idle RSS after 60 s in a pool of 3; the time from agent start to ready in
// the gateway, median of 10; and 1,000 trivial wasm tasks through a pool of
// 3 agents: tasks/s and median dispatch-to-result latency.
//
// Figures (issue 3): the stripped linux/arm v6 size of the agent built
// without containerd too; and one trivial container task through a
// gateway and an agent on containerd, submit to result, against `ctr run
// --rm` of the same image (-only oci; it needs HEARTH_CONTAINERD_SOCKET,
// which `make bench` sets, and skips without it).
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hearth-home/hearth/e2e/home"
	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/sandbox/sandboxtest"
)

func main() {
	idle := flag.Duration("idle", 60*time.Second, "how long the pool idles before RSS is read")
	tasks := flag.Int("tasks", 1000, "trivial tasks for the throughput figure")
	ociRuns := flag.Int("oci-runs", 20, "container tasks through the pool, and ctr runs, for the oci figures")
	tags := flag.String("agent-tags", defaultAgentTags, "build tags of the default agent (the Makefile's AGENT_TAGS)")
	smallTags := flag.String("small-agent-tags", defaultSmallAgentTags, "build tags of the agent without containerd (the Makefile's SMALL_AGENT_TAGS)")
	only := flag.String("only", "", "comma-separated subset: size,ratios,ready,rss,tasks,oci,makespan")
	flag.Parse()
	if *ociRuns < 1 {
		fmt.Fprintln(os.Stderr, "bench: -oci-runs must be at least 1")
		os.Exit(2)
	}
	want := func(name string) bool { return *only == "" || slices.Contains(strings.Split(*only, ","), name) }
	ctx := context.Background()
	failed := false
	step := func(name string, f func() error) {
		if !want(name) {
			return
		}
		if err := f(); err != nil {
			fmt.Fprintf(os.Stderr, "bench %s: %v\n", name, err)
			failed = true
		}
	}
	step("size", func() error { return agentSizes(*tags, *smallTags) })
	step("size", gatewaySize)
	step("size", cliSize)
	step("ratios", func() error { return wasmVsNative(ctx) })
	if os.Geteuid() != 0 {
		fmt.Fprintln(os.Stderr, "bench: the pool figures need root (network namespaces); run `sudo make bench`")
		os.Exit(1)
	}
	bin, _ := filepath.Abs("bin")
	step("ready", func() error { return startToReady(ctx, bin) })
	step("rss", func() error { return idleRSS(ctx, bin, *idle, "") })
	step("rss", func() error {
		small, err := smallBin(bin, *smallTags)
		if err != nil {
			return err
		}
		defer os.RemoveAll(small)
		return idleRSS(ctx, small, *idle, "_nocontainerd")
	})
	step("tasks", func() error { return throughput(ctx, bin, *tasks) })
	step("oci", func() error { return containerTask(ctx, bin, *ociRuns) })
	step("makespan", func() error { return mixedSpeedMakespan(ctx, bin) })
	if failed {
		os.Exit(1)
	}
}

func bench(name string, value float64, unit string) {
	fmt.Printf("BENCH %s %.2f %s\n", name, value, unit)
}

// The agent builds as the Makefile makes them (AGENT_TAGS and
// SMALL_AGENT_TAGS); `make bench` passes its own with -agent-tags and
// -small-agent-tags.
const (
	defaultAgentTags      = "nethttpomithttp2,grpcnotrace"
	defaultSmallAgentTags = "nethttpomithttp2,nocontainerd"
)

// agentSizes prints the stripped linux/arm v6 size of both agent builds,
// and fails past their budgets (issue 15): the default build at most
// 18 MiB, the small one (no containerd client; wasm, and containers
// through runc) at most 10 MiB. The small build's figure is printed under
// its old name too, for comparison with earlier runs.
func agentSizes(tags, smallTags string) error {
	var over []string
	for _, b := range []struct {
		names  []string
		tags   string
		budget int64
	}{
		{[]string{"agent.size_linux_armv6_stripped"}, tags, 18 << 20},
		{[]string{"agent.size_linux_armv6_small_stripped", "agent.size_linux_armv6_nocontainerd_stripped"}, smallTags, 10 << 20},
	} {
		size, err := armv6Size(b.tags)
		if err != nil {
			return fmt.Errorf("-tags %s: %w", b.tags, err)
		}
		for _, name := range b.names {
			bench(name, float64(size)/(1<<20), "MiB")
			bench(name+"_bytes", float64(size), "bytes")
		}
		if size > b.budget {
			over = append(over, fmt.Sprintf("%s is %d bytes, over its budget of %d MiB", b.names[0], size, b.budget>>20))
		}
	}
	if len(over) > 0 {
		return errors.New(strings.Join(over, "; "))
	}
	return nil
}

// gatewaySize prints the stripped linux/arm64 size of the gateway, whose
// light client (issue 12) may add at most 2 MB.
func gatewaySize() error {
	size, err := buildSize("./cmd/hearth-gateway", "", "GOARCH=arm64")
	if err != nil {
		return err
	}
	bench("gateway.size_linux_arm64_stripped", float64(size)/(1<<20), "MiB")
	bench("gateway.size_linux_arm64_stripped_bytes", float64(size), "bytes")
	return nil
}

// cliSize prints the stripped linux/amd64 size of the CLI, which links
// the gateway's API and chain packages but not the gateway (issue 13).
func cliSize() error {
	size, err := buildSize("./cmd/hearth", "", "GOARCH=amd64")
	if err != nil {
		return err
	}
	bench("cli.size_linux_amd64_stripped", float64(size)/(1<<20), "MiB")
	bench("cli.size_linux_amd64_stripped_bytes", float64(size), "bytes")
	return nil
}

func armv6Size(tags string) (int64, error) {
	return buildSize("./cmd/hearth-agent", tags, "GOARCH=arm", "GOARM=6")
}

// buildSize builds pkg stripped for linux with the given tags and GOARCH
// (and GOARM) settings and returns the binary's size.
func buildSize(pkg, tags string, env ...string) (int64, error) {
	out := filepath.Join(os.TempDir(), fmt.Sprintf("hearth-size-bench-%d", os.Getpid()))
	defer os.Remove(out)
	cmd := exec.Command("go", "build", "-trimpath", "-tags", tags, "-ldflags=-s -w", "-o", out, pkg)
	cmd.Env = append(append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux"), env...)
	if b, err := cmd.CombinedOutput(); err != nil {
		return 0, fmt.Errorf("%v: %s", err, b)
	}
	st, err := os.Stat(out)
	if err != nil {
		return 0, err
	}
	return st.Size(), nil
}

// startToReady starts a fresh agent (new identity) ten times and takes the
// time from its process start to its pairing in the gateway.
func startToReady(ctx context.Context, bin string) error {
	h, err := home.Start(ctx, home.Options{Agents: 1, Bin: bin, Prefix: "benchr", AgentArgs: wasmOnly})
	if err != nil {
		return err
	}
	defer h.Close()
	var samples []float64
	seen := map[string]bool{}
	for i := range 10 {
		if i > 0 {
			if _, err := h.AddAgent(1); err != nil {
				return err
			}
		}
		started := h.Agents[0].Started
		deadline := time.Now().Add(15 * time.Second)
		var got *api.Member
		for got == nil && time.Now().Before(deadline) {
			ms, _ := h.Members(ctx)
			for _, m := range ms {
				if m.State == api.MemberReady && !seen[m.ID] && m.PairedAt != nil {
					got = &m
				}
			}
			time.Sleep(20 * time.Millisecond)
		}
		if got == nil {
			return fmt.Errorf("run %d: agent not ready within 15 s:\n%s", i, h.Agents[0].Log())
		}
		seen[got.ID] = true
		samples = append(samples, float64(got.PairedAt.Sub(started).Microseconds())/1000)
	}
	slices.Sort(samples)
	bench("agent.start_to_ready_median", (samples[4]+samples[5])/2, "ms")
	bench("agent.start_to_ready_max", samples[9], "ms")
	return nil
}

// smallBin is a directory with the wasm-only agent, built for this machine,
// beside bin's gateway and CLI.
func smallBin(bin, tags string) (string, error) {
	dir, err := os.MkdirTemp("", "hearth-bench-small-")
	if err != nil {
		return "", err
	}
	cmd := exec.Command("go", "build", "-trimpath", "-tags", tags, "-ldflags", "-s -w", "-o", filepath.Join(dir, "hearth-agent"), "./cmd/hearth-agent")
	if out, err := cmd.CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		return "", fmt.Errorf("building the wasm-only agent: %w: %s", err, out)
	}
	for _, name := range []string{"hearth", "hearth-gateway"} {
		if err := os.Symlink(filepath.Join(bin, name), filepath.Join(dir, name)); err != nil {
			os.RemoveAll(dir)
			return "", err
		}
	}
	return dir, nil
}

// idleRSS prints the largest RSS, and anonymous memory, of three idle
// agents from bin; build names the build in the figures ("" or
// "_nocontainerd").
func idleRSS(ctx context.Context, bin string, idle time.Duration, build string) error {
	h, err := home.Start(ctx, home.Options{Agents: 3, Bin: bin, Prefix: "benchm", AgentArgs: wasmOnly})
	if err != nil {
		return err
	}
	defer h.Close()
	wctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if _, err := h.WaitReady(wctx, 3); err != nil {
		return err
	}
	time.Sleep(idle)
	var worst, worstAnon float64
	for _, a := range h.Agents {
		kb, err := rssKB(a.Pid(), "VmRSS:")
		if err != nil {
			return fmt.Errorf("%s: %w", a.Name, err)
		}
		anon, err := rssKB(a.Pid(), "RssAnon:")
		if err != nil {
			return fmt.Errorf("%s: %w", a.Name, err)
		}
		worst, worstAnon = max(worst, float64(kb)/1024), max(worstAnon, float64(anon)/1024)
	}
	bench(fmt.Sprintf("agent.rss_idle_%ds%s_max_of_3", int(idle.Seconds()), build), worst, "MB")
	// The rest of the RSS is the binary's own pages, clean and shared with
	// the page cache: the kernel drops them under memory pressure.
	bench(fmt.Sprintf("agent.rss_anon_idle_%ds%s_max_of_3", int(idle.Seconds()), build), worstAnon, "MB")
	return nil
}

// rssKB reads a field of /proc/PID/status (VmRSS:, RssAnon:) of pid, or of
// its hearth-agent child when pid is the `ip netns exec` wrapper.
func rssKB(pid int, field string) (int, error) {
	comm, _ := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid))
	if strings.TrimSpace(string(comm)) != "hearth-agent" {
		kids, _ := os.ReadFile(fmt.Sprintf("/proc/%d/task/%d/children", pid, pid))
		if f := strings.Fields(string(kids)); len(f) > 0 {
			pid, _ = strconv.Atoi(f[0])
		}
	}
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(status), "\n") {
		if v, ok := strings.CutPrefix(line, field); ok {
			return strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
		}
	}
	return 0, fmt.Errorf("no %s for pid %d", field, pid)
}

func throughput(ctx context.Context, bin string, n int) error {
	h, err := home.Start(ctx, home.Options{Agents: 3, Bin: bin, Prefix: "bencht", AgentArgs: append([]string{"--slots", "4"}, wasmOnly...)})
	if err != nil {
		return err
	}
	defer h.Close()
	wctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if _, err := h.WaitReady(wctx, 3); err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "hearth-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	os.WriteFile(filepath.Join(dir, "trivial.wasm"), sandboxtest.TinyModule(1, true), 0o644)
	spec := fmt.Sprintf("name: trivial\nruntime: wasm\napp: trivial.wasm\ntasks: %d\nresources: {cpu: 0.5, memory: 1Mi, timeout: 10s}\n", n)
	os.WriteFile(filepath.Join(dir, "job.yaml"), []byte(spec), 0o644)
	var j api.Job
	if err := h.CLIJSON(ctx, &j, "job", "submit", filepath.Join(dir, "job.yaml")); err != nil {
		return err
	}
	deadline := time.Now().Add(2 * time.Minute)
	var d api.JobDetail
	for {
		if err := h.CLIJSON(ctx, &d, "job", "get", j.ID); err != nil {
			return err
		}
		if d.State != api.JobRunning {
			break
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("job not done after 2 minutes: %+v", d.Counts)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if d.State != api.JobDone {
		raw, _ := json.Marshal(d.Tasks[:min(3, len(d.Tasks))])
		return fmt.Errorf("job %s: %+v; first tasks: %s", d.State, d.Counts, raw)
	}
	var first, last time.Time
	var lat []float64
	for _, t := range d.Tasks {
		if t.LeasedAt == nil || t.DoneAt == nil {
			return fmt.Errorf("task %d has no times", t.Index)
		}
		if first.IsZero() || t.LeasedAt.Before(first) {
			first = *t.LeasedAt
		}
		if t.DoneAt.After(last) {
			last = *t.DoneAt
		}
		lat = append(lat, t.DoneAt.Sub(*t.LeasedAt).Seconds()*1000)
	}
	slices.Sort(lat)
	bench("pool.wasm_trivial_tasks_per_s", float64(n)/last.Sub(first).Seconds(), "tasks/s")
	bench("pool.dispatch_to_result_median", lat[len(lat)/2], "ms")
	bench("pool.dispatch_to_result_p95", lat[len(lat)*95/100], "ms")
	return nil
}

// wasmOnly keeps the pool figures comparable from run to run: the agents
// do not connect to a containerd that `make bench` happens to run.
var wasmOnly = []string{"--containerd", "off"}
