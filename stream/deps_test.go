package stream

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/hearth-home/hearth/hearthtest/depstest"
)

// TestNoNetHTTP keeps net/http out of this package, and so out of the
// agent.
func TestNoNetHTTP(t *testing.T) {
	depstest.NoNetHTTP(t, "github.com/hearth-home/hearth/stream")
}

// TestImports keeps this package to the standard library and gateway/api:
// the agent links it, and the gateway's MQTT client or a YAML parser
// must not come with it.
func TestImports(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, spec := range f.Imports {
			path, _ := strconv.Unquote(spec.Path.Value)
			first, _, _ := strings.Cut(path, "/")
			if strings.Contains(first, ".") && path != "github.com/hearth-home/hearth/gateway/api" {
				t.Errorf("%s imports %s; this package may import the standard library and gateway/api only", name, path)
			}
		}
	}
}
