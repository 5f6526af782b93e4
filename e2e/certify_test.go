package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/hearth-home/hearth/e2e/home"
	"github.com/hearth-home/hearth/gateway/api"
)

// TestCertifiedNaNAcrossArchitectures: an app that prints the bits of
// 0/0 gets a NaN with the sign bit set on amd64 (compiled by wazero) and
// clear on an emulated ARM device (interpreted). A certified job of class
// any sees its replicas split exactly along the two classes: the job is
// marked nondeterministic across classes, and neither device is blamed.
func TestCertifiedNaNAcrossArchitectures(t *testing.T) {
	bin, qemu, _ := armAgent(t)
	app := filepath.Join(t.TempDir(), "nan.wasm")
	build := exec.Command("go", "build", "-trimpath", "-o", app, "./sandbox/sandboxtest/testapp")
	build.Dir = root
	build.Env = append(os.Environ(), "GOOS=wasip1", "GOARCH=wasm")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	h := startHome(t, home.Options{Agents: 2, Prefix: "hcn", PerAgent: []home.AgentOptions{
		{Name: "laptop"},
		{Name: "pi-zero", Binary: bin, Wrapper: []string{qemu}, Join: true, Args: []string{"--slots", "1", "--runc", "off"}},
	}})
	waitReady(t, h, 2)
	j := submit(t, h, writeSpec(t, map[string]any{"name": "nan", "runtime": "wasm", "app": app, "args": []string{"nan", "0", "0"},
		"certify": map[string]any{"trust": 0.9, "min_replicas": 2, "class": "any"}}))
	var d api.JobDetail
	deadline := time.Now().Add(90 * time.Second)
	for d.Nondeterministic == "" {
		if time.Now().After(deadline) {
			t.Fatalf("not marked nondeterministic: %+v %+v", d.Counts, d.Tasks)
		}
		time.Sleep(500 * time.Millisecond)
		if err := h.CLIJSON(t.Context(), &d, "job", "get", j.ID); err != nil {
			t.Fatal(err)
		}
	}
	t.Log(d.Nondeterministic)
	classes := map[string]string{}
	for _, r := range d.Tasks[0].Replicas {
		if r.Vote == "dissents" {
			t.Fatalf("a device is blamed: %+v", r)
		}
		if r.Digest != "" {
			classes[r.Class] = r.Digest
		}
	}
	if len(classes) != 2 || classes["wasm/compiler/amd64"] == classes["wasm/interpreter/armv6"] {
		t.Fatalf("replicas by class: %v", classes)
	}
	var ms []api.Member
	if err := h.CLIJSON(t.Context(), &ms, "pool", "ls"); err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		if m.Quarantined != "" {
			t.Fatalf("%s quarantined: %s", m.Node.Name, m.Quarantined)
		}
	}
}
