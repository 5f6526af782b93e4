package ociimage

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestContainerdImports hands a packed archive to a real containerd
// through ctr (containerd 1.6 on Debian 12), the importer every oci job
// goes through. It needs ctr and HEARTH_CONTAINERD_SOCKET (see
// scripts/containerd.sh).
func TestContainerdImports(t *testing.T) {
	sock := os.Getenv("HEARTH_CONTAINERD_SOCKET")
	ctrPath, err := exec.LookPath("ctr")
	if sock == "" || err != nil {
		t.Skip("needs ctr and HEARTH_CONTAINERD_SOCKET (scripts/containerd.sh start)")
	}
	const ns = "ociimage-test"
	ctr := func(args ...string) (string, error) {
		out, err := exec.Command(ctrPath, append([]string{"--address", sock, "-n", ns}, args...)...).CombinedOutput()
		return string(out), err
	}
	cleanup := func() {
		out, _ := ctr("images", "ls", "-q")
		for _, name := range strings.Fields(out) {
			ctr("images", "rm", "--sync", name)
		}
		exec.Command(ctrPath, "--address", sock, "namespaces", "rm", ns).Run()
	}
	cleanup() // what a killed run left
	t.Cleanup(cleanup)

	const name = "hearth.test/ociimage:1"
	path := filepath.Join(t.TempDir(), "app.oci.tar")
	if err := os.WriteFile(path, pack(t, Options{RefName: name}, writeBins(t, fourPlatforms...)), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := ctr("images", "import", "--platform", "linux/amd64", path)
	if err != nil {
		t.Fatalf("ctr images import: %v\n%s", err, out)
	}
	out, err = ctr("images", "ls", "-q")
	if err != nil || !slices.Contains(strings.Fields(out), name) {
		t.Fatalf("images after import: %v\n%s", err, out)
	}
	// The platform's content is complete and unpacked.
	out, err = ctr("images", "check", "name=="+name)
	if err != nil || !strings.Contains(out, "complete") {
		t.Errorf("ctr images check: %v\n%s", err, out)
	}

	// Without a name the import succeeds too; naming is the importer's.
	unnamed := filepath.Join(t.TempDir(), "unnamed.oci.tar")
	os.WriteFile(unnamed, pack(t, Options{}, writeBins(t, "linux/amd64")), 0o644)
	if out, err := ctr("images", "import", "--platform", "linux/amd64", "--index-name", "hearth.test/unnamed:1", unnamed); err != nil {
		t.Errorf("ctr images import of an unnamed archive: %v\n%s", err, out)
	}
}
