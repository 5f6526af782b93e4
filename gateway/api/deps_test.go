package api

import (
	"testing"

	"github.com/hearth-home/hearth/hearthtest/depstest"
)

// TestNoNetHTTP keeps net/http out of this package, and so out of the
// agent: the client speaks HTTP/1.1 through internal/http1 instead.
func TestNoNetHTTP(t *testing.T) {
	depstest.NoNetHTTP(t, "github.com/hearth-home/hearth/gateway/api")
}
