package containerd

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/hearth-home/hearth/internal/ociimage"
	"github.com/hearth-home/hearth/sandbox"
	"github.com/hearth-home/hearth/sandbox/sandboxtest"
)

// packAt packs the host's testapp at another entrypoint: another app.
func packAt(t *testing.T, entrypoint string) sandbox.App {
	return pack(t, ociimage.Options{Entrypoint: entrypoint})
}

func pack(t *testing.T, opts ociimage.Options) sandbox.App {
	return sandboxtest.PackTestApp(t, opts)
}

func imageNames(t *testing.T, rt *Runtime) []string {
	t.Helper()
	recs, err := rt.client.ImageService().List(rt.nsctx(context.Background()))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range recs {
		names = append(names, r.Name)
	}
	return names
}

// Past the disk budget, unused images go, least recently used first; one
// that a task runs stays.
func TestImageCollection(t *testing.T) {
	rt := newRuntime(t, Config{DiskBudget: 1})
	ctx := context.Background()
	a, b, c := packAt(t, "/a"), packAt(t, "/b"), packAt(t, "/c")

	task, err := rt.Start(ctx, sandbox.Spec{ID: "uses-a", App: a, Args: []string{"sleep"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := rt.Prepare(ctx, b); err != nil {
		t.Fatal(err)
	}
	names := imageNames(t, rt)
	if len(names) != 2 {
		t.Fatalf("with a in use and b just prepared, images: %v", names)
	}
	time.Sleep(10 * time.Millisecond)
	if err := rt.Prepare(ctx, c); err != nil {
		t.Fatal(err)
	}
	names = imageNames(t, rt)
	if len(names) != 2 || !slices.Contains(names, imageName(a.Digest)) || !slices.Contains(names, imageName(c.Digest)) {
		t.Fatalf("after preparing c, images: %v; want a (in use) and c", names)
	}
	task.Kill(ctx)
	task.Wait(ctx)
	if err := task.Delete(ctx); err != nil {
		t.Fatal(err)
	}
	// b comes back on demand.
	if res := run(t, rt, b, sandbox.Limits{}, "exit", "4"); res.ExitCode != 4 {
		t.Fatalf("b again: %+v", res)
	}
	names = imageNames(t, rt)
	if len(names) != 1 || names[0] != imageName(b.Digest) {
		t.Errorf("after running b with nothing in use, images: %v", names)
	}
}
