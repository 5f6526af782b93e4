package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hearth-home/hearth/e2e/home"
	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/hearthtest/netnstest"
	"github.com/hearth-home/hearth/sandbox/sandboxtest"
)

// TestPerAgentOptions: an agent of a home can be named, run through a
// wrapper and given the gateway's address, next to a plain one.
func TestPerAgentOptions(t *testing.T) {
	h := startHome(t, home.Options{Agents: 2, Prefix: "dtp", PerAgent: []home.AgentOptions{
		{},
		{Name: "joiner", Wrapper: []string{"env", "HEARTH_DEMO_TEST=1"}, Join: true, Args: []string{"--slots", "1"}},
	}})
	ms := waitReady(t, h, 2)
	var names []string
	for _, m := range ms {
		names = append(names, m.Node.Name)
		if m.Node.Name == "joiner" && m.Node.Slots != 1 {
			t.Errorf("joiner has %d slots, want the 1 of its own --slots", m.Node.Slots)
		}
	}
	slices.Sort(names)
	if !slices.Equal(names, []string{"agent-1", "joiner"}) {
		t.Fatalf("members %v, want agent-1 and joiner", names)
	}
	// Debug logs: an agent without --join looks for the gateway over mDNS.
	if log := h.Agents[0].Log(); !strings.Contains(log, "looking for the gateway") {
		t.Errorf("agent-1 did not look for the gateway over mDNS:\n%s", tail(log, 20))
	}
	if log := h.Agents[1].Log(); strings.Contains(log, "looking for the gateway") || !strings.Contains(log, "gateway="+h.GwAddr) {
		t.Errorf("joiner did not go to the gateway through --join %s:\n%s", h.GwAddr, tail(log, 20))
	}
	// env execs the agent: the process is the agent, with the wrapper's
	// variable.
	environ, err := os.ReadFile(fmt.Sprintf("/proc/%d/environ", h.Agents[1].Pid()))
	if err != nil || !strings.Contains(string(environ), "HEARTH_DEMO_TEST=1\x00") {
		t.Errorf("joiner's process did not run through its wrapper (env): %v", err)
	}
}

// armAgent builds the agent of the smallest plugs, arm/v6 with
// -tags nocontainerd, and finds qemu-arm-static and the vanity image.
func armAgent(t *testing.T) (bin, qemu, ociApp string) {
	netnstest.Require(t)
	qemu, err := exec.LookPath("qemu-arm-static")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("qemu-arm-static is not installed (.ci/run installs qemu-user-static)")
		}
		t.Skip("needs qemu-arm-static (apt-get install qemu-user-static)")
	}
	ociApp = filepath.Join(root, "examples/vanity/vanity.oci.tar")
	if _, err := os.Stat(ociApp); err != nil {
		t.Skip("run `make build` first")
	}
	bin = filepath.Join(t.TempDir(), "hearth-agent-armv6")
	build := exec.Command("go", "build", "-trimpath", "-tags", "nethttpomithttp2,nocontainerd", "-o", bin, "./cmd/hearth-agent")
	build.Dir = root
	build.Env = append(os.Environ(), "GOOS=linux", "GOARCH=arm", "GOARM=6", "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin, qemu, ociApp
}

// TestEmulatedArmAgent is the device `make demo` emulates: the arm/v6
// small build under qemu-arm-static, joining with --join (qemu-user
// cannot join multicast groups). With --runc off it pairs as armv6 with
// wasm only, runs a wasm task, and is never given an oci task, though the
// image has an arm/v6 build.
func TestEmulatedArmAgent(t *testing.T) {
	bin, qemu, ociApp := armAgent(t)
	h := startHome(t, home.Options{Agents: 1, Prefix: "dta", PerAgent: []home.AgentOptions{
		{Name: "pi-zero", Binary: bin, Wrapper: []string{qemu}, Join: true, Args: []string{"--slots", "1", "--runc", "off"}},
	}})
	m := waitReady(t, h, 1)[0]
	if m.Node.Name != "pi-zero" || m.Node.Arch != "armv6" || !slices.Equal(m.Node.Runtimes, []string{"wasm"}) || len(m.Node.Platforms) > 0 {
		t.Fatalf("emulated agent reports %+v, want pi-zero, armv6, wasm only", m.Node)
	}

	// The oci job goes first: its task is queued ahead of the wasm one.
	oci := submit(t, h, writeSpec(t, map[string]any{"name": "oci", "runtime": "oci", "app": ociApp, "args": []string{"-prefix", "ab"}}))
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "tiny.wasm"), sandboxtest.TinyModule(1, true), 0o644)
	wasm := submit(t, h, writeSpec(t, map[string]any{"name": "tiny", "runtime": "wasm", "app": filepath.Join(dir, "tiny.wasm")}))
	d := waitJob(t, h, wasm.ID, 60*time.Second)
	if d.State != api.JobDone || d.Tasks[0].Node != m.ID || string(d.Tasks[0].Result.Stdout) != "ok\n" {
		t.Fatalf("wasm job %s on %s: %+v", d.State, d.Tasks[0].Node, d.Tasks[0].Result)
	}
	var od api.JobDetail
	if err := h.CLIJSON(t.Context(), &od, "job", "get", oci.ID); err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(od.Spec.Platforms, "linux/arm/v6") {
		t.Fatalf("oci app platforms %v: the check needs an arm/v6 build", od.Spec.Platforms)
	}
	if od.Tasks[0].State != api.TaskQueued || od.Tasks[0].Attempt != 0 {
		t.Fatalf("an agent without containerd got an oci task: %+v", od.Tasks[0])
	}
}

// writeSpec writes a job spec (JSON, which the CLI reads as YAML) to a
// temp file.
func writeSpec(t *testing.T, spec map[string]any) string {
	t.Helper()
	raw, _ := json.Marshal(spec)
	p := filepath.Join(t.TempDir(), "job.json")
	if err := os.WriteFile(p, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestEmulatedArmAgentRunsContainers: the same device with runc runs the
// vanity image's arm/v6 build as a container, through runc alone (issue
// 15). The kernel runs the emulated agent's own programs (its task
// monitor, the task init, vanity) through qemu by binfmt_misc, as on a
// Debian machine with qemu-user-static.
func TestEmulatedArmAgentRunsContainers(t *testing.T) {
	bin, qemu, ociApp := armAgent(t)
	if _, err := exec.LookPath("runc"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("runc is not installed (.ci/run installs it)")
		}
		t.Skip("needs runc (apt-get install runc)")
	}
	undo, err := home.QemuBinfmt("qemu-arm")
	if err != nil {
		t.Fatalf("binfmt_misc: %v", err)
	}
	t.Cleanup(undo)
	h := startHome(t, home.Options{Agents: 1, Prefix: "dtr", PerAgent: []home.AgentOptions{
		{Name: "pi-zero", Binary: bin, Wrapper: []string{qemu}, Join: true, Args: []string{"--slots", "1"}, HostMounts: true},
	}})
	m := waitReady(t, h, 1)[0]
	if !slices.Contains(m.Node.Runtimes, "oci") || !slices.Contains(m.Node.Platforms, "linux/arm/v6") {
		t.Fatalf("emulated agent with runc reports %+v, want oci with linux/arm/v6\n%s", m.Node, tail(h.Agents[0].Log(), 30))
	}
	oci := submit(t, h, writeSpec(t, map[string]any{"name": "oci", "runtime": "oci", "app": ociApp,
		"args": []string{"-prefix", "ab", "-seed", "hearth", "-tries", "300"}}))
	d := waitJob(t, h, oci.ID, 3*time.Minute)
	if d.State != api.JobDone || d.Tasks[0].Node != m.ID {
		t.Fatalf("oci job %s on %s: %+v\n%s", d.State, d.Tasks[0].Node, d.Tasks[0].Result, tail(h.Agents[0].Log(), 30))
	}
	if r := d.Tasks[0].Result; r.ExitCode != 0 || !strings.Contains(string(r.Stdout), `"tried":`) {
		t.Fatalf("the vanity container printed %q, %q (exit %d)", r.Stdout, r.Stderr, r.ExitCode)
	}
}
