package ota

import (
	"path"
	"strings"
	"testing"
)

// A name the bundle reader or the handler accepts stays inside metadata/ (flat) or targets/, with
// no empty, hidden or parent element: an imported or served file never leaves the mirror.
func checkInside(t *testing.T, in, rel string) {
	t.Helper()
	parts := strings.Split(rel, "/")
	if path.IsAbs(rel) || path.Clean(rel) != rel {
		t.Fatalf("%q -> %q: not clean and relative", in, rel)
	}
	for _, p := range parts {
		if p == "" || p == "." || p == ".." || strings.HasPrefix(p, ".") {
			t.Fatalf("%q -> %q: element %q", in, rel, p)
		}
	}
	if !(parts[0] == "metadata" && len(parts) == 2 || parts[0] == "targets" && len(parts) >= 2) {
		t.Fatalf("%q -> %q: outside the layout", in, rel)
	}
}

func FuzzBundleName(f *testing.F) {
	for _, s := range []string{"metadata/1.root.json", "./targets/a/b", "targets/", "../x", "metadata/a/b", "/etc/passwd",
		"targets/./x", "targets//x", "metadata/.trusted"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		name, err := bundleName(s)
		if err == nil && name != "" {
			checkInside(t, s, name)
		}
	})
}
