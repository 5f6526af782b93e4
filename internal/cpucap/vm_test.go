package cpucap

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/hearth-home/hearth/hearthtest/vmtest"
)

// The tests below run in a VM on cgroup v2 alone, as the agent runs on
// Raspberry Pi OS: in its service's cgroup (vmtest's default,
// system.slice/hearth-agent.service), which holds its process. This
// machine's cgroups are v1; elsewhere they skip unless $HEARTH_VM_KERNEL
// names a kernel (see hearthtest/vmtest). In the VM this test binary is the
// init.
func init() { vmtest.Init() }

// With the cpu controller delegated (Delegate=yes), threads are capped
// through a threaded subtree below the process's own cgroup.
func TestThreadCapV2(t *testing.T) {
	if !vmtest.InGuest() {
		vmtest.Run(t, vmtest.Options{})
		return
	}
	own := vmtest.CheckCgroup2(t)
	// The kernel's rule against processes in inner cgroups holds here: a
	// domain controller cannot be enabled below the process's cgroup. The
	// cpu controller is a threaded one, which the rule lets through.
	if err := writeFile(filepath.Join(own, "cgroup.subtree_control"), "+memory"); !errors.Is(err, syscall.EBUSY) {
		t.Fatalf("enabling memory below a cgroup with a process in it: %v, want EBUSY", err)
	}
	caps, err := New("hearth-cpucap-test")
	if err != nil {
		t.Fatal(err)
	}
	if !caps.Unified() || filepath.Dir(caps.Dir()) != own {
		t.Fatalf("caps in %s (unified %v), want v2 below %s", caps.Dir(), caps.Unified(), own)
	}
	t.Logf("cgroup v2: caps in %s", caps.Dir())
	for dir, want := range map[string]string{own: "domain threaded", caps.Dir(): "threaded"} {
		if typ := readTrimmed(t, filepath.Join(dir, "cgroup.type")); typ != want {
			t.Errorf("%s is %q, want %q", dir, typ, want)
		}
	}
	t.Cleanup(func() {
		if err := caps.Remove(); err != nil {
			t.Errorf("removing the parent cgroup: %v", err)
		}
	})
	checkThreadCap(t, caps)

	// A second set of caps in the same process (an agent's runtime made
	// again) finds the subtree already threaded.
	again, err := New("hearth-cpucap-test-2")
	if err != nil {
		t.Fatalf("caps made again: %v", err)
	}
	if err := again.Remove(); err != nil {
		t.Error(err)
	}
}

// Without the cpu controller in the service's cgroup (no Delegate=yes),
// New fails with ErrUnsupported and says what to do.
func TestNoCPUControllerV2(t *testing.T) {
	if !vmtest.InGuest() {
		vmtest.Run(t, vmtest.Options{Controllers: []string{"memory", "pids"}})
		return
	}
	own := vmtest.CheckCgroup2(t)
	if c := readTrimmed(t, filepath.Join(own, "cgroup.controllers")); strings.Contains(c, "cpu") {
		t.Fatalf("the cgroup has the cpu controller: %q", c)
	}
	caps, err := New("hearth-cpucap-test")
	if !errors.Is(err, ErrUnsupported) || !strings.Contains(err.Error(), "Delegate=yes") {
		t.Fatalf("New without the cpu controller: %v, %v; want ErrUnsupported naming Delegate=yes", caps, err)
	}
	t.Log(err)
	// Nothing is left behind.
	if _, err := os.Stat(filepath.Join(own, "hearth-cpucap-test")); !os.IsNotExist(err) {
		t.Errorf("New left its cgroup: %v", err)
	}
}

func readTrimmed(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(b))
}
