package http1

import (
	"os/exec"
	"strings"
	"testing"
)

// TestNoNetHTTP keeps net/http and its helpers out of this package, and so
// out of the agent: net/http costs the arm binary about a megabyte. This
// package exists so that the agent can serve its local API without it.
func TestNoNetHTTP(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		switch {
		case dep == "net/http" || strings.HasPrefix(dep, "net/http/"), dep == "net/textproto", dep == "mime/multipart":
			t.Errorf("internal/http1 depends on %s", dep)
		}
	}
}
