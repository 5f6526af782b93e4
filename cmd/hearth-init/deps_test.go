package main

import (
	"strings"
	"testing"

	"github.com/hearth-home/hearth/hearthtest/depstest"
)

// TestDeps keeps PID 1 small and on its own: it loads before everything
// else at every boot and rides in each slot's initramfs. No HTTP or TLS,
// no regexp (0.2 MB; 3.2 MiB stripped on arm64 without them), and of Hearth only the
// firmware packages: the agent and the gateway run as its children, never
// inside it.
func TestDeps(t *testing.T) {
	for _, dep := range depstest.List(t, "", "github.com/hearth-home/hearth/firmware/init") {
		switch {
		case dep == "net/http" || strings.HasPrefix(dep, "net/http/") || dep == "crypto/tls" || dep == "regexp":
			t.Errorf("hearth-init depends on %s; keep it out of PID 1", dep)
		case strings.HasPrefix(dep, "github.com/hearth-home/hearth/") &&
			dep != "github.com/hearth-home/hearth/cmd/hearth-init" &&
			!strings.HasPrefix(dep, "github.com/hearth-home/hearth/firmware/") &&
			dep != "github.com/hearth-home/hearth/internal/atomicfile":
			t.Errorf("hearth-init depends on %s; it may use only firmware/ packages and internal/atomicfile", dep)
		case strings.Contains(dep, "go-ethereum") || strings.Contains(dep, "containerd"):
			t.Errorf("hearth-init depends on %s", dep)
		}
	}
}
