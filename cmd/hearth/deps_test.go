package main

import (
	"strings"
	"testing"

	"github.com/hearth-home/hearth/hearthtest/depstest"
)

// TestDeps keeps the CLI a client: it talks to the gateway through
// gateway/api and reads the chain through gateway/chain, and links neither
// the gateway itself (its scheduler, the market's provider side) nor the
// sandboxes (wazero, containerd's client). Measured on linux/amd64,
// stripped: 17.4 MB with them, 10.9 MB without (code-review-f0c368a).
func TestDeps(t *testing.T) {
	deps := depstest.List(t, "", "github.com/hearth-home/hearth/gateway/api")
	const gw = "github.com/hearth-home/hearth/gateway"
	for _, dep := range deps {
		switch {
		case dep == gw, dep == gw+"/market":
			t.Errorf("hearth depends on %s; the CLI uses the gateway only through gateway/api (and the chain through gateway/chain)", dep)
		case strings.HasPrefix(dep, "github.com/tetratelabs/wazero"):
			t.Errorf("hearth depends on %s; the CLI runs no wasm", dep)
		case strings.HasPrefix(dep, "github.com/containerd/containerd/v2/client"):
			t.Errorf("hearth depends on %s; the CLI runs no containers", dep)
		case strings.HasPrefix(dep, "github.com/hearth-home/hearth/sandbox/"):
			t.Errorf("hearth depends on %s; the CLI runs no tasks", dep)
		}
	}
}
