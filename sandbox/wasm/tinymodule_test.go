package wasm

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/hearth-home/hearth/sandbox"
	"github.com/hearth-home/hearth/sandbox/sandboxtest"
)

// writeApp stores a module in a temp file and names it by its digest.
func writeApp(t testing.TB, module []byte) sandbox.App {
	t.Helper()
	p := filepath.Join(t.TempDir(), "app.wasm")
	if err := os.WriteFile(p, module, 0o644); err != nil {
		t.Fatal(err)
	}
	return sandboxtest.FileApp(t, p)
}
