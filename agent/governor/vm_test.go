package governor

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/hearth-home/hearth/hearthtest/vmtest"
	"github.com/hearth-home/hearth/internal/cpucap"
	"github.com/hearth-home/hearth/sandbox"
	"github.com/hearth-home/hearth/sandbox/sandboxtest"
	"github.com/hearth-home/hearth/sandbox/wasm"
)

// In a VM that vmtest boots, this test binary is its init.
func init() { vmtest.Init() }

// vmWasmApp is where the VM finds the test app, built on the host (the VM
// has no Go toolchain).
const vmWasmApp = "/vmtest/testapp.wasm"

// On cgroup v2, saturating wasm tasks use what the budget leaves them and
// no more, each capped in a threaded cgroup of its own. It runs in a VM on
// cgroup v2 alone, as the agent runs on Raspberry Pi OS: in its service's
// cgroup with the cpu controller delegated (see hearthtest/vmtest); this
// machine's cgroups are v1. Without $HEARTH_VM_KERNEL it skips.
func TestGovernorHoldsBudgetV2(t *testing.T) {
	if !vmtest.InGuest() {
		// Emulated (no KVM), compiling the app takes most of the time:
		// 15 s on an idle machine, a minute on a busy one.
		vmtest.Run(t, vmtest.Options{Files: map[string]string{vmWasmApp: sandboxtest.WasmTestApp(t).Path},
			Timeout: 3 * time.Minute})
		return
	}
	own := vmtest.CheckCgroup2(t)
	caps, err := cpucap.New("hearth-governor-test")
	if err != nil {
		t.Fatal(err)
	}
	if !caps.Unified() || filepath.Dir(caps.Dir()) != own {
		t.Fatalf("caps in %s (unified %v), want v2 below %s", caps.Dir(), caps.Unified(), own)
	}
	rt, err := wasm.New(wasm.Config{CPUCaps: caps})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		rt.Close()
		if err := caps.Remove(); err != nil {
			t.Errorf("removing the caps' cgroup: %v", err)
		}
	})
	app := sandboxtest.FileApp(t, vmWasmApp)
	if err := rt.Prepare(context.Background(), app); err != nil {
		t.Fatal(err)
	}
	const d = 6 * time.Second
	n := runtime.NumCPU()
	var tasks []sandbox.Task
	for i := range n {
		task, err := rt.Start(context.Background(), sandbox.Spec{ID: fmt.Sprintf("spin-%d", i), App: app,
			Args: []string{"spin", d.String()}, Limits: sandbox.Limits{Timeout: d + time.Minute}})
		if err != nil {
			t.Fatal(err)
		}
		tasks = append(tasks, task)
	}
	// Each task's thread is in a threaded cgroup of its own, with the cpu
	// controller: what a cap is written to.
	deadline := time.Now().Add(5 * time.Second)
	for {
		threads, err := filepath.Glob(filepath.Join(caps.Dir(), "*", "cgroup.threads"))
		if err != nil {
			t.Fatal(err)
		}
		inCaps := 0
		for _, f := range threads {
			b, _ := os.ReadFile(f)
			typ, _ := os.ReadFile(filepath.Join(filepath.Dir(f), "cgroup.type"))
			_, cpuErr := os.Stat(filepath.Join(filepath.Dir(f), "cpu.max"))
			if len(strings.Fields(string(b))) == 1 && strings.TrimSpace(string(typ)) == "threaded" && cpuErr == nil {
				inCaps++
			}
		}
		if inCaps == n {
			t.Logf("%d task threads in threaded cgroups below %s", n, caps.Dir())
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d task threads in a cgroup of their own below %s", inCaps, n, caps.Dir())
		}
		time.Sleep(50 * time.Millisecond)
	}
	holdsBudget(t, rt, tasks)
}
