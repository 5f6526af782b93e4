package http1

import (
	"testing"

	"github.com/hearth-home/hearth/hearthtest/depstest"
)

// TestNoNetHTTP keeps net/http and its helpers out of this package, and so
// out of the agent. This package exists so that the agent can serve its
// local API and call its gateway without it.
func TestNoNetHTTP(t *testing.T) {
	depstest.NoNetHTTP(t, "github.com/hearth-home/hearth/internal/http1")
}
