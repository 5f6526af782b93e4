package agent

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/hearth-home/hearth/gateway"
	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/internal/ociimage"
)

// A prefer-native job on an agent without containers runs as wasm, with
// the job's module: the lease says so, and the agent needs nothing more.
func TestPreferNativeRunsModule(t *testing.T) {
	gw := startGateway(t, t.TempDir(), gateway.Config{})
	startAgent(t, Config{Gateway: gw.addr(), JoinToken: gw.JoinToken().String(), Name: "plug"})
	bin := filepath.Join(t.TempDir(), "app")
	if err := os.WriteFile(bin, []byte("never run here"), 0o755); err != nil {
		t.Fatal(err)
	}
	var image bytes.Buffer
	if err := ociimage.Pack(&image, "/app", map[ociimage.Platform]string{{OS: "linux", Architecture: "amd64"}: bin}); err != nil {
		t.Fatal(err)
	}
	j := gw.submit(image.Bytes(), api.JobSpec{Name: "both", Runtime: "oci", Prefer: api.PreferNative,
		WasmDigest: gw.upload(tinyModule()), Tasks: 2})
	d := gw.waitJob(j.ID, 20*time.Second)
	if d.State != api.JobDone {
		t.Fatalf("job %s: %+v", d.State, d.Counts)
	}
	for _, task := range d.Tasks {
		if got := string(task.Result.Stdout); got != "ok\n" {
			t.Errorf("task %d printed %q, want the module's ok", task.Index, got)
		}
	}
}
