package release_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/hearth-home/hearth/firmware/ota/release"
)

// Key files are private: written 0600, and refused when others may read them.
func TestKeyFiles(t *testing.T) {
	p := filepath.Join(t.TempDir(), "targets.key")
	pubKey, err := release.NewKeyFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(p); st.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %v", st.Mode().Perm())
	}
	priv, err := release.LoadKeyFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if !pubKey.Equal(priv.Public()) {
		t.Fatal("loaded key differs")
	}
	if _, err := release.NewKeyFile(p); err == nil {
		t.Fatal("NewKeyFile replaced a key")
	}
	os.Chmod(p, 0o644)
	if _, err := release.LoadKeyFile(p); !errors.Is(err, release.ErrKeyFile) {
		t.Fatalf("LoadKeyFile of a 0644 file = %v; want ErrKeyFile", err)
	}
}
