package sensor

import (
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// tolerance is how far a float may be from the hand-computed value.
const tolerance = 1e-9

func near(got, want float64) bool { return math.Abs(got-want) <= tolerance }

// copyFixture copies testdata/<name> into a temporary directory, so that a
// test can rewrite or remove files in it, and returns the copy's root.
func copyFixture(t *testing.T, name string) string {
	t.Helper()
	root := t.TempDir()
	if err := os.CopyFS(root, os.DirFS(filepath.Join("testdata", name))); err != nil {
		t.Fatal(err)
	}
	return root
}

// writeTree writes files (path relative to root → content) under root, or
// under a new temporary directory when root is "", and returns the root.
func writeTree(t *testing.T, root string, files map[string]string) string {
	t.Helper()
	if root == "" {
		root = t.TempDir()
	}
	for name, content := range files {
		path := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// fakeClock is the clock of counter meters in tests: it stands still until
// the test moves it.
type fakeClock struct{ t time.Time }

func newFakeClock() *fakeClock {
	return &fakeClock{t: time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) now() time.Time          { return c.t }
func (c *fakeClock) advance(d time.Duration) { c.t = c.t.Add(d) }
