package otahttp

import (
	"path"
	"strings"
	"testing"
)

// A path the handler accepts stays inside metadata/ (flat) or targets/, with no empty, hidden or
// parent element: a request never reads outside the mirror, nor its .trusted state.
func FuzzServedPath(f *testing.F) {
	for _, s := range []string{"/metadata/timestamp.json", "/targets/a/b", "/metadata/../x", "/.trusted/root.json", "//x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		rel, _, ok := servedPath(s)
		if !ok {
			return
		}
		parts := strings.Split(rel, "/")
		if path.IsAbs(rel) || path.Clean(rel) != rel {
			t.Fatalf("%q -> %q: not clean and relative", s, rel)
		}
		for _, p := range parts {
			if p == "" || p == "." || p == ".." || strings.HasPrefix(p, ".") {
				t.Fatalf("%q -> %q: element %q", s, rel, p)
			}
		}
		if !(parts[0] == "metadata" && len(parts) == 2 || parts[0] == "targets" && len(parts) >= 2) {
			t.Fatalf("%q -> %q: outside the layout", s, rel)
		}
	})
}
