package wasm

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hearth-home/hearth/sandbox"
	"github.com/hearth-home/hearth/sandbox/sandboxtest"
)

func run(t *testing.T, rt *Runtime, spec sandbox.Spec) sandbox.Result {
	t.Helper()
	return sandboxtest.RunSpec(t, rt, spec)
}

func TestTinyModule(t *testing.T) {
	rt := newRuntime(t, Config{})
	res := run(t, rt, sandbox.Spec{ID: "tiny", App: writeApp(t, sandboxtest.TinyModule(1, true))})
	if res.Failure != "" || res.ExitCode != 0 || string(res.Stdout) != "ok\n" {
		t.Fatalf("result %+v", res)
	}
}

// A module is started only if its declared memory fits the task's limit.
// The interpreter (what 32-bit ARM devices get) runs tasks as the
// compiler does; e2e/bench measures how much slower.
func TestInterpreter(t *testing.T) {
	rt := newRuntime(t, Config{Interpreter: true})
	res := run(t, rt, sandbox.Spec{ID: "tiny", App: writeApp(t, sandboxtest.TinyModule(1, true))})
	if res.Failure != "" || res.ExitCode != 0 || string(res.Stdout) != "ok\n" {
		t.Fatalf("result %+v", res)
	}
}

func TestMemoryDeclaredTooLarge(t *testing.T) {
	rt := newRuntime(t, Config{})
	app := writeApp(t, sandboxtest.TinyModule(2000, true)) // 125 MiB
	res := run(t, rt, sandbox.Spec{ID: "big", App: app})
	if res.Failure != sandbox.FailMemory || res.ExitCode != -1 ||
		!strings.Contains(res.Reason, "starts with 125 MiB of memory: the limit is 64 MiB") {
		t.Fatalf("result %+v", res)
	}
	res = run(t, rt, sandbox.Spec{ID: "big", App: app, Limits: sandbox.Limits{MemoryBytes: 200 << 20}})
	if res.Failure != "" || string(res.Stdout) != "ok\n" {
		t.Fatalf("with room: result %+v", res)
	}
}

// A second runtime on the same cache dir loads what the first compiled.
func TestCacheDirReused(t *testing.T) {
	app := sandboxtest.WasmTestApp(t)
	dir := t.TempDir()
	prepare := func() time.Duration {
		rt := newRuntime(t, Config{CacheDir: dir})
		begin := time.Now()
		if err := rt.Prepare(context.Background(), app); err != nil {
			t.Fatal(err)
		}
		took := time.Since(begin)
		if err := rt.Close(); err != nil {
			t.Fatal(err)
		}
		return took
	}
	cached := func() []string {
		var files []string
		filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				files = append(files, p)
			}
			return err
		})
		return files
	}
	compiled := prepare()
	files := cached()
	if len(files) == 0 {
		t.Fatal("nothing cached after compiling")
	}
	loaded := prepare()
	if again := cached(); len(again) != len(files) {
		t.Errorf("the second runtime cached %d files, the first %d", len(again), len(files))
	}
	t.Logf("compiled in %v, loaded from the cache in %v", compiled, loaded)
	if loaded > compiled/2 {
		t.Errorf("loading from the cache took %v, compiling %v", loaded, compiled)
	}
}

func TestBadModules(t *testing.T) {
	rt := newRuntime(t, Config{})
	importsEnv := sandboxtest.TinyModule(1, true)
	copy(importsEnv[strings.Index(string(importsEnv), "wasi_snapshot_preview1"):], "env_snapshot_preview1!")
	cases := map[string]sandbox.App{
		"not a command":   writeApp(t, sandboxtest.TinyModule(1, false)),
		"non-WASI import": writeApp(t, importsEnv),
		"missing file":    {Digest: "sha256:00", Path: filepath.Join(t.TempDir(), "gone.wasm")},
		"wrong digest":    {Digest: "sha256:00", Path: writeApp(t, sandboxtest.TinyModule(1, true)).Path},
	}
	for name, app := range cases {
		if err := rt.Prepare(context.Background(), app); !errors.Is(err, sandbox.ErrBadApp) {
			t.Errorf("%s: Prepare = %v, want ErrBadApp", name, err)
		} else {
			t.Logf("%s: %v", name, err)
		}
	}
	if len(rt.modules) != 0 {
		t.Errorf("failed compilations kept: %v", rt.modules)
	}
}

// An app without a digest is named by its content.
func TestNoDigest(t *testing.T) {
	rt := newRuntime(t, Config{})
	app := writeApp(t, sandboxtest.TinyModule(1, true))
	res := run(t, rt, sandbox.Spec{ID: "anon", App: sandbox.App{Path: app.Path}})
	if res.Failure != "" || string(res.Stdout) != "ok\n" {
		t.Fatalf("result %+v", res)
	}
	if rt.modules[app.Digest] == nil {
		t.Errorf("module not cached by its content digest")
	}
}

func TestModuleEviction(t *testing.T) {
	rt := newRuntime(t, Config{MaxModules: 2, CacheDir: sharedCache})
	ctx := context.Background()
	apps := []sandbox.App{writeApp(t, sandboxtest.TinyModule(1, true)), writeApp(t, sandboxtest.TinyModule(2, true)), writeApp(t, sandboxtest.TinyModule(3, true))}
	// A running task pins its module.
	hog := sandbox.Spec{ID: "pin", App: sandboxtest.WasmTestApp(t), Args: []string{"sleep"}}
	pinned, err := rt.Start(ctx, hog)
	if err != nil {
		t.Fatal(err)
	}
	for _, app := range apps {
		if err := rt.Prepare(ctx, app); err != nil {
			t.Fatal(err)
		}
	}
	if len(rt.modules) != 2 || rt.modules[hog.App.Digest] == nil || rt.modules[apps[2].Digest] == nil {
		t.Fatalf("kept %d modules; want the pinned one and the latest", len(rt.modules))
	}
	pinned.Kill(ctx)
	pinned.Wait(ctx)
	res := run(t, rt, sandbox.Spec{ID: "again", App: apps[0]})
	if res.Failure != "" || string(res.Stdout) != "ok\n" {
		t.Fatalf("after eviction: result %+v", res)
	}
	if len(rt.modules) != 2 || rt.modules[hog.App.Digest] != nil {
		t.Errorf("the unpinned module was not evicted: %d kept", len(rt.modules))
	}
}

// Close stops running tasks; they can still be waited for.
func TestClose(t *testing.T) {
	rt := newRuntime(t, Config{CacheDir: sharedCache})
	ctx := context.Background()
	task, err := rt.Start(ctx, sandbox.Spec{ID: "sleeper", App: sandboxtest.WasmTestApp(t), Args: []string{"sleep"}})
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond)
	if err := rt.Close(); err != nil {
		t.Fatal(err)
	}
	res, err := task.Wait(ctx)
	if err != nil || res.Failure != sandbox.FailKilled || res.Reason != ErrClosed.Error() {
		t.Fatalf("Wait = %+v, %v", res, err)
	}
	if _, err := rt.Start(ctx, sandbox.Spec{ID: "late", App: writeApp(t, sandboxtest.TinyModule(1, true))}); err == nil {
		t.Fatal("Start after Close succeeded")
	}
}

// /out takes files but no symbolic links.
func TestNoSymlinksInOut(t *testing.T) {
	rt := newRuntime(t, Config{CacheDir: sharedCache})
	out := t.TempDir()
	spec := sandbox.Spec{ID: "probe", App: sandboxtest.WasmTestApp(t), OutDir: out,
		Args: []string{"probe", "/etc/hostname", "127.0.0.1:9"}}
	if res := run(t, rt, spec); res.Failure != "" || string(res.Stdout) != "sealed\n" {
		t.Fatalf("result %+v", res)
	}
	entries, err := os.ReadDir(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		t.Errorf("out dir holds %s (%v)", e.Name(), e.Type())
	}
}
