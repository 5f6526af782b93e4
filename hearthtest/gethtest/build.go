package gethtest

import (
	"bytes"
	"debug/buildinfo"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	gethModule  = "github.com/ethereum/go-ethereum"
	gethPackage = gethModule + "/cmd/geth"
)

// built caches Build's result for the rest of the test binary's life.
var built struct {
	sync.Mutex
	path string
}

// Build returns the path of a geth binary: $HEARTH_GETH if set, else one
// built from the go-ethereum version in go.mod and cached, by default in
// os.UserCacheDir()/hearth/geth-<version>, or in $HEARTH_GETH_CACHE. A cached
// binary is reused when its build information names the pinned version.
//
// Build skips the test when the go command is missing, and fails it when
// the build fails.
func Build(t testing.TB) string {
	t.Helper()
	if bin := os.Getenv("HEARTH_GETH"); bin != "" {
		if _, err := os.Stat(bin); err != nil {
			t.Fatalf("HEARTH_GETH: %v", err)
		}
		return bin
	}
	built.Lock()
	defer built.Unlock()
	if built.path != "" {
		return built.path
	}
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("cannot build geth: the go command is not available: %v", err)
	}
	root := moduleRoot(t, goCmd)
	version := goOutput(t, goCmd, root, "list", "-m", "-f", "{{.Version}}", gethModule)
	dir := os.Getenv("HEARTH_GETH_CACHE")
	if dir == "" {
		cache, err := os.UserCacheDir()
		if err != nil {
			t.Fatalf("no cache directory for geth (set HEARTH_GETH_CACHE): %v", err)
		}
		dir = filepath.Join(cache, "hearth", "geth-"+version)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	// Test binaries of several packages may build at once; one builds, the
	// others wait for it and reuse its binary.
	unlock, err := lockFile(filepath.Join(dir, "build.lock"))
	if err != nil {
		t.Fatalf("lock geth cache: %v", err)
	}
	defer unlock()

	bin := filepath.Join(dir, "geth")
	if have, err := gethModuleVersion(bin); err == nil && have == version {
		built.path = bin
		return bin
	} else if err == nil {
		t.Logf("cached %s is geth %s, not %s: rebuilding", bin, have, version)
	}
	t.Logf("building geth %s into %s; this may take a few minutes on first use", version, dir)
	start := time.Now()
	tmp := fmt.Sprintf("%s.tmp%d", bin, os.Getpid())
	cmd := exec.Command(goCmd, "build", "-o", tmp, gethPackage)
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		os.Remove(tmp)
		t.Fatalf("go build %s: %v\n%s", gethPackage, err, out)
	}
	if err := os.Rename(tmp, bin); err != nil {
		t.Fatal(err)
	}
	if have, err := gethModuleVersion(bin); err != nil || have != version {
		t.Fatalf("built %s is geth %q (%v), want %s", bin, have, err, version)
	}
	t.Logf("built geth %s in %v", version, time.Since(start).Round(time.Second))
	built.path = bin
	return bin
}

// moduleRoot finds the directory of the go.mod that pins go-ethereum, which
// is the main module of the test being run.
func moduleRoot(t testing.TB, goCmd string) string {
	t.Helper()
	gomod := goOutput(t, goCmd, "", "env", "GOMOD")
	if gomod == "" || gomod == os.DevNull {
		t.Fatalf("cannot build geth: not inside a Go module (go env GOMOD = %q)", gomod)
	}
	return filepath.Dir(gomod)
}

func goOutput(t testing.TB, goCmd, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command(goCmd, args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, stderr.Bytes())
	}
	return strings.TrimSpace(string(out))
}

// gethModuleVersion returns the go-ethereum module version a binary was
// built from, as recorded by the go command: "v1.17.5".
func gethModuleVersion(bin string) (string, error) {
	info, err := buildinfo.ReadFile(bin)
	if err != nil {
		return "", err
	}
	for _, m := range append([]*debug.Module{&info.Main}, info.Deps...) {
		if m.Path != gethModule {
			continue
		}
		if m.Replace != nil {
			return "", fmt.Errorf("%s: %s is replaced by %s", bin, gethModule, m.Replace.Path)
		}
		return m.Version, nil
	}
	return "", fmt.Errorf("%s: not built from %s", bin, gethModule)
}
