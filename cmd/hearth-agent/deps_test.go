package main

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// TestDeps keeps heavy and server-side code out of the agent binary, which
// must stay small enough for plug computers: go-ethereum never, and of the
// gateway only its public API package. The wasm-only build for the
// smallest plugs (-tags nocontainerd) also leaves out net/http, YAML and
// regexp; the default build has them through containerd's client.
func TestDeps(t *testing.T) {
	for _, build := range []struct {
		tags  string
		small bool
	}{{"nethttpomithttp2,grpcnotrace", false}, {"nocontainerd,nethttpomithttp2", true}} {
		out, err := exec.Command("go", "list", "-deps", "-tags", build.tags, ".").Output()
		if err != nil {
			t.Fatalf("go list -deps -tags %s: %v", build.tags, err)
		}
		const gw = "github.com/hearth-home/hearth/gateway"
		deps := strings.Fields(string(out))
		if !slices.Contains(deps, "github.com/hearth-home/hearth/agent") {
			t.Fatalf("go list -deps does not list the agent package:\n%s", out)
		}
		hasContainerd := slices.Contains(deps, "github.com/hearth-home/hearth/sandbox/containerd")
		if hasContainerd == build.small {
			t.Errorf("-tags %s: sandbox/containerd linked = %v", build.tags, hasContainerd)
		}
		for _, dep := range deps {
			switch {
			case strings.Contains(dep, "github.com/ethereum/go-ethereum"):
				t.Errorf("hearth-agent depends on %s; the agent must never link go-ethereum", dep)
			case build.small && (dep == "net/http" || strings.HasPrefix(dep, "net/http/") || dep == "gopkg.in/yaml.v3" || dep == "regexp"):
				// Each costs the binary a quarter to a whole megabyte on
				// ARM, and the 8 MB budget of a plug has no room for them.
				t.Errorf("hearth-agent -tags %s depends on %s; keep it out (gateway/api speaks HTTP/1.1 via internal/httpc)", build.tags, dep)
			case dep == "golang.org/x/net/trace":
				t.Errorf("hearth-agent -tags %s links %s; build with -tags grpcnotrace", build.tags, dep)
			case dep == gw || strings.HasPrefix(dep, gw+"/") && dep != gw+"/api":
				t.Errorf("hearth-agent depends on %s; it may use only %s/api of the gateway", dep, gw)
			}
		}
	}
}
