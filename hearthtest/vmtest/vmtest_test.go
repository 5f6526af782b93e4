package vmtest

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func init() { Init() }

// The VM boots, runs the calling test as a child of its init, on cgroup v2
// alone in the cgroup asked for, with the files passed in.
func TestBoot(t *testing.T) {
	if !InGuest() {
		file := filepath.Join(t.TempDir(), "hello")
		if err := os.WriteFile(file, []byte("hello from the host\n"), 0o640); err != nil {
			t.Fatal(err)
		}
		res := Run(t, Options{Files: map[string]string{"/data/hello": file}, Env: []string{"VMTEST_ENV=yes"}})
		if !strings.Contains(res.Output, "--- PASS: TestBoot") {
			t.Errorf("no PASS line for TestBoot in the VM's output")
		}
		return
	}
	dir := CheckCgroup2(t)
	if want := filepath.Join(CgroupRoot, "system.slice/hearth-agent.service"); dir != want {
		t.Errorf("in cgroup %s, want %s", dir, want)
	}
	if os.Getppid() != 1 {
		t.Errorf("parent %d, want init (1)", os.Getppid())
	}
	// Delegated as systemd does it: the controllers reach the service's
	// cgroup, and none is enabled below it.
	b, err := os.ReadFile(filepath.Join(dir, "cgroup.controllers"))
	if err != nil || !strings.Contains(string(b), "cpu") {
		t.Errorf("cgroup.controllers: %q %v", b, err)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "cgroup.subtree_control")); err != nil || len(bytes.TrimSpace(b)) != 0 {
		t.Errorf("cgroup.subtree_control: %q %v", b, err)
	}
	if b, err := os.ReadFile("/data/hello"); string(b) != "hello from the host\n" {
		t.Errorf("/data/hello: %q %v", b, err)
	}
	if fi, err := os.Stat("/data/hello"); err != nil {
		t.Error(err)
	} else if fi.Mode().Perm() != 0o640 {
		t.Errorf("/data/hello has mode %v, want 0640", fi.Mode())
	}
	if os.Getenv("VMTEST_ENV") != "yes" {
		t.Errorf("VMTEST_ENV=%q", os.Getenv("VMTEST_ENV"))
	}
	t.Logf("in %s, with the controllers %s", dir, bytes.TrimSpace(b))
}
