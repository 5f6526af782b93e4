package containerd

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"

	containerd "github.com/containerd/containerd/v2/client"
	"github.com/containerd/errdefs"

	"github.com/hearth-home/hearth/sandbox"
	"github.com/hearth-home/hearth/sandbox/sandboxtest"
)

// restartable is a runtime config that a second runtime reuses, as an
// agent restarted on the same data dir does.
func restartable(t *testing.T) Config {
	return Config{Socket: socket(t), Namespace: namespaceFor(t), StateDir: t.TempDir()}
}

func open(t *testing.T, cfg Config) *Runtime {
	t.Helper()
	rt, err := New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return rt
}

// Delete removes the container and its snapshot, not only the task.
func TestDeleteCleansUp(t *testing.T) {
	rt := newRuntime(t, Config{})
	ctx := rt.nsctx(context.Background())
	task, err := rt.Start(ctx, sandbox.Spec{ID: "clean", App: hostApp(t), Args: []string{"exit", "0"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := task.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := rt.client.SnapshotService(rt.cfg.Snapshotter).Stat(ctx, "clean"); err != nil {
		t.Fatalf("snapshot before Delete: %v", err)
	}
	if err := task.Delete(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := rt.client.LoadContainer(ctx, "clean"); !errdefs.IsNotFound(err) {
		t.Errorf("container after Delete: %v", err)
	}
	if _, err := rt.client.SnapshotService(rt.cfg.Snapshotter).Stat(ctx, "clean"); !errdefs.IsNotFound(err) {
		t.Errorf("snapshot after Delete: %v", err)
	}
	if _, err := os.Stat(filepath.Join(rt.cfg.StateDir, "clean")); !os.IsNotExist(err) {
		t.Errorf("state after Delete: %v", err)
	}
}

// A container created but never started (the agent died in between) is
// removed by Recover, which reports the task lost.
func TestRecoverUnstarted(t *testing.T) {
	cfg := restartable(t)
	t.Cleanup(func() { wipe(t, cfg.Socket, cfg.Namespace) })
	rt := open(t, cfg)
	defer rt.Close()
	ctx := rt.nsctx(context.Background())
	im, err := rt.prepare(ctx, hostApp(t), false)
	if err != nil {
		t.Fatal(err)
	}
	spec := sandbox.Spec{ID: "unstarted"}
	if _, err := rt.client.NewContainer(ctx, "unstarted",
		containerd.WithContainerLabels(map[string]string{labelID: "unstarted"}),
		containerd.WithNewSnapshot("unstarted", im.img),
		containerd.WithNewSpec(rt.specOpts(im, spec, spec.Limits.WithDefaults(), sandbox.Nobody, sandbox.Nobody)...)); err != nil {
		t.Fatal(err)
	}
	if _, err := rt.Recover(ctx, "unstarted"); !errors.Is(err, sandbox.ErrNotFound) {
		t.Fatalf("Recover = %v, want ErrNotFound", err)
	}
	if _, err := rt.client.LoadContainer(ctx, "unstarted"); !errdefs.IsNotFound(err) {
		t.Errorf("container kept: %v", err)
	}
}

// Restarts, pause, throttling and sweeping, the same as the runc
// runtime's.
func TestControl(t *testing.T) {
	sock := socket(t)
	sandboxtest.RunControl(t, sandboxtest.Reopenable{
		Config: func(t *testing.T) string {
			cfg := Config{Socket: sock, Namespace: namespaceFor(t), StateDir: t.TempDir()}
			t.Cleanup(func() { wipe(t, cfg.Socket, cfg.Namespace) })
			raw, _ := json.Marshal(cfg)
			return string(raw)
		},
		Open: func(t *testing.T, raw string) sandbox.Runtime {
			var cfg Config
			if err := json.Unmarshal([]byte(raw), &cfg); err != nil {
				t.Fatal(err)
			}
			rt := open(t, cfg)
			t.Cleanup(func() { rt.Close() })
			return rt
		},
	})
}
