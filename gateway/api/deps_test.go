package api

import (
	"os/exec"
	"strings"
	"testing"
)

// TestNoNetHTTP keeps net/http out of this package, and so out of the
// agent: it costs the arm binary about a megabyte. The client speaks
// HTTP/1.1 through internal/http1 instead.
func TestNoNetHTTP(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		switch {
		case dep == "net/http" || strings.HasPrefix(dep, "net/http/"), dep == "net/textproto", dep == "mime/multipart":
			t.Errorf("gateway/api depends on %s", dep)
		}
	}
}
