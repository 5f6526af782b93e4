package containerd

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/hearth-home/hearth/hearthtest/registrytest"
	"github.com/hearth-home/hearth/internal/registry"
	"github.com/hearth-home/hearth/sandbox"
	"github.com/hearth-home/hearth/sandbox/sandboxtest"
)

// servedApp serves an app's archive from a loopback registry and returns
// the app by its pinned reference, as the gateway leases it.
func servedApp(t *testing.T, platform string) (*registrytest.Registry, sandbox.App) {
	t.Helper()
	reg := registrytest.Serve(t, sandboxtest.OCITestApp(t, platform).Path, "home/testapp", "v1")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	img, err := registry.Resolve(ctx, reg.Ref("v1"), registry.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return reg, sandbox.App{Digest: img.Digest, Ref: img.Ref}
}

// An app given by reference is pulled once, runs like an imported one, and
// keeps running from containerd's store when the registry goes away.
func TestPullByReference(t *testing.T) {
	reg, app := servedApp(t, sandboxtest.HostPlatform())
	cfg := restartable(t)
	t.Cleanup(func() { wipe(t, cfg.Socket, cfg.Namespace) })
	rt := open(t, cfg)
	t.Cleanup(func() { rt.Close() }) // the runtime open then, before the wipe
	if res := run(t, rt, app, sandbox.Limits{}, "exit", "7"); res.ExitCode != 7 {
		t.Fatalf("result %+v", res)
	}
	pulled := reg.Requests.Load()
	if pulled == 0 {
		t.Fatal("the registry served nothing")
	}
	if got := imageNames(t, rt); len(got) != 1 || got[0] != imageName(app.Digest) {
		t.Errorf("images %v, want only %s", got, imageName(app.Digest))
	}
	if res := run(t, rt, app, sandbox.Limits{}, "exit", "8"); res.ExitCode != 8 {
		t.Fatalf("second run: %+v", res)
	}

	// Offline now: a restarted agent finds the image it pulled.
	reg.Close()
	rt.Close()
	rt = open(t, cfg)
	if res := run(t, rt, app, sandbox.Limits{}, "exit", "9"); res.ExitCode != 9 {
		t.Fatalf("after restart, offline: %+v", res)
	}
	if n := reg.Requests.Load(); n != pulled {
		t.Errorf("registry asked %d more times after the first pull", n-pulled)
	}
}

// Each bad reference gets its own answer: not pinned to the digest, or
// pinned to another one, is the app's fault (ErrBadApp); an image for other
// platforms fails at once with ErrPlatform; a registry that does not answer
// is not the app's fault, so the gateway may try again.
func TestPullErrors(t *testing.T) {
	rt := newRuntime(t, Config{})
	reg, app := servedApp(t, sandboxtest.HostPlatform())
	ctx := context.Background()

	unpinned := sandbox.App{Digest: app.Digest, Ref: reg.Ref("v1")}
	if err := rt.Prepare(ctx, unpinned); !errors.Is(err, sandbox.ErrBadApp) || !strings.Contains(err.Error(), "not pinned") {
		t.Errorf("unpinned: %v", err)
	}
	other := "sha256:" + strings.Repeat("0", 64)
	wrong := sandbox.App{Digest: other, Ref: app.Ref}
	if err := rt.Prepare(ctx, wrong); !errors.Is(err, sandbox.ErrBadApp) {
		t.Errorf("pinned to another digest: %v", err)
	}
	if err := rt.Prepare(ctx, sandbox.App{Ref: app.Ref}); !errors.Is(err, sandbox.ErrBadApp) {
		t.Errorf("no digest: %v", err)
	}

	_, s390 := servedApp(t, "linux/s390x")
	begin := time.Now()
	if err := rt.Prepare(ctx, s390); !errors.Is(err, ErrPlatform) || !strings.Contains(err.Error(), "linux/s390x") {
		t.Errorf("wrong platform: %v", err)
	}
	if took := time.Since(begin); took > 10*time.Second {
		t.Errorf("failing took %v", took)
	}

	reg.Close()
	err := rt.Prepare(ctx, app)
	if err == nil || errors.Is(err, sandbox.ErrBadApp) {
		t.Errorf("registry down: %v, want an error that is not ErrBadApp", err)
	}
	t.Log(err)
}
