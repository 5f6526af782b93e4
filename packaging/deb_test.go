package packaging

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
)

// The packages `make deb` builds for each architecture.
var packages = []string{"hearth-agent", "hearth-gateway", "hearth"}

// built is what one `make deb` run left, shared by the tests of this
// binary: the version the programs print, the Debian version, and where
// the packages are.
type built struct {
	version    string // what --version prints: git describe, as the Makefile
	debVersion string
	dir        string
	arches     []string
}

func (b built) deb(pkg, arch string) string {
	return filepath.Join(b.dir, fmt.Sprintf("%s_%s_%s.deb", pkg, b.debVersion, arch))
}

var (
	buildOnce sync.Once
	buildRes  built
	buildErr  error
	scratch   string // removed by TestMain
)

func TestMain(m *testing.M) {
	code := m.Run()
	if scratch != "" {
		os.RemoveAll(scratch)
	}
	os.Exit(code)
}

// need skips the test when a tool is missing, naming the Debian package
// that brings it.
func need(t *testing.T, tool, pkg string) {
	t.Helper()
	if _, err := exec.LookPath(tool); err != nil {
		t.Skipf("%s not found: apt-get install %s", tool, pkg)
	}
}

// debs runs `make deb` once for the architectures in $HEARTH_DEB_ARCHES
// (default amd64) into a scratch directory.
func debs(t *testing.T) built {
	t.Helper()
	need(t, "dpkg-deb", "dpkg")
	need(t, "make", "make")
	need(t, "git", "git")
	buildOnce.Do(func() { buildRes, buildErr = makeDebs() })
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return buildRes
}

func makeDebs() (built, error) {
	var b built
	var err error
	if scratch, err = os.MkdirTemp("", "hearth-deb-"); err != nil {
		return b, err
	}
	b.dir = filepath.Join(scratch, "dist")
	b.arches = strings.Fields(os.Getenv("HEARTH_DEB_ARCHES"))
	if len(b.arches) == 0 {
		b.arches = []string{"amd64"}
	}
	out, err := exec.Command("git", "describe", "--always", "--dirty").Output()
	if err != nil {
		return b, fmt.Errorf("git describe: %w", err)
	}
	b.version = strings.TrimSpace(string(out))
	cmd := exec.Command("make", "--no-print-directory", "-C", "..", "deb",
		"VERSION="+b.version, "DIST="+b.dir, "DEB_ARCHES="+strings.Join(b.arches, " "))
	if out, err = cmd.CombinedOutput(); err != nil {
		return b, fmt.Errorf("make deb: %w\n%s", err, out)
	}
	m, _ := filepath.Glob(filepath.Join(b.dir, "hearth_*_"+b.arches[0]+".deb"))
	if len(m) != 1 {
		return b, fmt.Errorf("make deb left %v in %s", m, b.dir)
	}
	field, err := exec.Command("dpkg-deb", "--field", m[0], "Version").Output()
	if err != nil {
		return b, fmt.Errorf("dpkg-deb --field %s: %w", m[0], err)
	}
	b.debVersion = strings.TrimSpace(string(field))
	return b, nil
}

// hostArch is this machine's Debian architecture, when it is one the
// packages are built for.
func hostArch() string {
	switch runtime.GOARCH {
	case "arm":
		return "armhf"
	default:
		return runtime.GOARCH
	}
}

// extract unpacks packages into a new scratch root, as `dpkg -x` does,
// and returns it.
func extract(t *testing.T, debs ...string) string {
	t.Helper()
	root := t.TempDir()
	for _, d := range debs {
		if out, err := exec.Command("dpkg-deb", "-x", d, root).CombinedOutput(); err != nil {
			t.Fatalf("dpkg-deb -x %s: %v\n%s", d, err, out)
		}
	}
	return root
}

// control unpacks a package's control files (DEBIAN/) into a new directory.
func control(t *testing.T, deb string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "DEBIAN")
	if out, err := exec.Command("dpkg-deb", "-e", deb, dir).CombinedOutput(); err != nil {
		t.Fatalf("dpkg-deb -e %s: %v\n%s", deb, err, out)
	}
	return dir
}
