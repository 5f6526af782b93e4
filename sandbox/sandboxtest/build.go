package sandboxtest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/hearth-home/hearth/sandbox"
)

// TestAppPackage is the import path of the suite's program.
const TestAppPackage = "github.com/hearth-home/hearth/sandbox/sandboxtest/testapp"

var builds struct {
	sync.Mutex
	paths map[string]string // by "goos/goarch"
}

// BuildTestApp builds testapp for goos/goarch with CGO off (so a Linux build
// is static) and returns the binary's path. It runs "go build" at most once
// per target and test process, and keeps the binary in the user's cache
// directory under a name derived from the sources and the Go version, so a
// later test run with unchanged sources does not build again.
func BuildTestApp(t testing.TB, goos, goarch string) string {
	t.Helper()
	return buildTestApp(t, goos, goarch, "")
}

// buildTestApp is BuildTestApp with GOARM set to goarm ("6") unless it is
// empty.
func buildTestApp(t testing.TB, goos, goarch, goarm string) string {
	t.Helper()
	builds.Lock()
	defer builds.Unlock()
	key := goos + "/" + goarch
	if goarm != "" {
		key += "/v" + goarm
	}
	if p, ok := builds.paths[key]; ok {
		return p
	}
	p, err := build(goos, goarch, goarm)
	if err != nil {
		t.Fatalf("build testapp for %s: %v", key, err)
	}
	if builds.paths == nil {
		builds.paths = map[string]string{}
	}
	builds.paths[key] = p
	return p
}

func build(goos, goarch, goarm string) (string, error) {
	// target names the build in the cache: "armv6" for GOARM=6, so that
	// the glob for one target's old builds never matches another's.
	target := goarch
	if goarm != "" {
		target += "v" + goarm
	}
	gotool, err := exec.LookPath("go")
	if err != nil {
		return "", err
	}
	out, err := exec.Command(gotool, "list", "-f", "{{.Dir}}", TestAppPackage).Output()
	if err != nil {
		return "", fmt.Errorf("go list: %w", err)
	}
	src := strings.TrimSpace(string(out))
	sum, err := sourceSum(src, goos, target)
	if err != nil {
		return "", err
	}
	dir, err := os.UserCacheDir()
	if err != nil {
		dir = os.TempDir()
	}
	dir = filepath.Join(dir, "hearth-sandboxtest")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	bin := filepath.Join(dir, fmt.Sprintf("testapp-%s-%s-%s", goos, target, sum[:16]))
	if goos == "wasip1" {
		bin += ".wasm"
	}
	if _, err := os.Stat(bin); err == nil {
		return bin, nil
	}
	// Build beside the target and rename, so that test processes building
	// at once never see half a binary.
	tmp := fmt.Sprintf("%s.%d.tmp", bin, os.Getpid())
	cmd := exec.Command(gotool, "build", "-trimpath", "-o", tmp, TestAppPackage)
	cmd.Env = append(os.Environ(), "GOOS="+goos, "GOARCH="+goarch, "CGO_ENABLED=0")
	if goarm != "" {
		cmd.Env = append(cmd.Env, "GOARM="+goarm)
	}
	if out, err := cmd.CombinedOutput(); err != nil {
		os.Remove(tmp)
		return "", fmt.Errorf("go build: %w\n%s", err, out)
	}
	if err := os.Rename(tmp, bin); err != nil {
		os.Remove(tmp)
		return "", err
	}
	// Builds of older sources are of no more use.
	old, _ := filepath.Glob(filepath.Join(dir, fmt.Sprintf("testapp-%s-%s-*", goos, target)))
	for _, p := range old {
		if p != bin && !strings.HasSuffix(p, ".tmp") {
			os.Remove(p)
		}
	}
	return bin, nil
}

// sourceSum names a build: testapp imports only the standard library, so
// its own files, the toolchain and the target ("arm", "armv6") decide the
// binary.
func sourceSum(src, goos, target string) (string, error) {
	names, err := filepath.Glob(filepath.Join(src, "*.go"))
	if err != nil {
		return "", err
	}
	slices.Sort(names)
	h := sha256.New()
	fmt.Fprintf(h, "%s %s %s\n", runtime.Version(), goos, target)
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "%s %d\n", filepath.Base(n), len(b))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// WasmTestApp is testapp built as a WASI (preview1) module.
func WasmTestApp(t testing.TB) sandbox.App {
	t.Helper()
	return FileApp(t, BuildTestApp(t, "wasip1", "wasm"))
}

// FileApp names the file at path by its sha256 digest.
func FileApp(t testing.TB, path string) sandbox.App {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	return sandbox.App{Digest: "sha256:" + hex.EncodeToString(sum[:]), Path: path}
}

// GarbageApp is a file that is neither a module nor an image archive.
func GarbageApp(t testing.TB) sandbox.App {
	t.Helper()
	p := filepath.Join(t.TempDir(), "garbage")
	if err := os.WriteFile(p, []byte("this is not a program\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return FileApp(t, p)
}
