package ota_test

import (
	"os/exec"
	"strings"
	"testing"
)

// The client package itself imports neither net/http (the small agent speaks HTTP/1.1 through
// internal/http1 and keeps net/http out) nor the signing side (release, and sigstore's signer,
// which brings protobuf): the HTTP carriage lives in otahttp, signing in release. What go-tuf
// itself imports is measured, not tested here: see docs/firmware-updates.md.
func TestClientImports(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", `{{join .Imports "\n"}}`, ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, imp := range strings.Fields(string(out)) {
		switch {
		case imp == "net/http" || strings.HasPrefix(imp, "net/http/"),
			strings.HasPrefix(imp, "github.com/sigstore/"),
			strings.HasPrefix(imp, "github.com/hearth-home/hearth/") && !strings.HasPrefix(imp, "github.com/hearth-home/hearth/firmware/") &&
				imp != "github.com/hearth-home/hearth/internal/atomicfile":
			t.Errorf("firmware/ota imports %s", imp)
		}
	}
}
