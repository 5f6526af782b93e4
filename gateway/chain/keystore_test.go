package chain

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/keystore"
)

func scryptN(t *testing.T, path string) int {
	t.Helper()
	blob, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		Version int
		Crypto  struct{ KDFParams struct{ N int } }
	}
	if err := json.Unmarshal(blob, &v); err != nil {
		t.Fatal(err)
	}
	if v.Version != 3 {
		t.Errorf("keystore version %d, want 3", v.Version)
	}
	return v.Crypto.KDFParams.N
}

func TestKeyFileRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keys", "gateway.json")
	pass := []byte("correct horse battery staple")
	a, err := NewKeyFile(path, pass, true)
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %v (%v), want 0600", st.Mode(), err)
	}
	if n := scryptN(t, path); n != keystore.LightScryptN {
		t.Errorf("light key file has scrypt N %d, want %d", n, keystore.LightScryptN)
	}
	key, b, err := LoadKey(path, pass)
	if err != nil {
		t.Fatal(err)
	}
	if a != b || addr(key) != a {
		t.Errorf("loaded %s (key of %s), made %s", b, addr(key), a)
	}
	if _, err := NewKeyFile(path, pass, true); !errors.Is(err, fs.ErrExist) {
		t.Errorf("second NewKeyFile on the same path: %v, want ErrExist", err)
	}
	if _, b2, err := LoadKey(path, pass); err != nil || b2 != a {
		t.Errorf("the refused overwrite changed the key: %s %v", b2, err)
	}
}

func TestKeyFileWrongPassphrase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "key.json")
	if _, err := NewKeyFile(path, []byte("right"), true); err != nil {
		t.Fatal(err)
	}
	_, _, err := LoadKey(path, []byte("hunter2-wrong"))
	if !errors.Is(err, ErrWrongPassphrase) {
		t.Fatalf("wrong passphrase: %v, want ErrWrongPassphrase", err)
	}
	if !strings.Contains(err.Error(), path) || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("error %q should name the file and not the passphrase", err)
	}
	if _, _, err := LoadKey(filepath.Join(t.TempDir(), "missing.json"), []byte("x")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	if _, err := NewKeyFile(filepath.Join(t.TempDir(), "k.json"), nil, true); !errors.Is(err, ErrNoPassphrase) {
		t.Errorf("empty passphrase: %v, want ErrNoPassphrase", err)
	}
}

func TestKeyFileStandardScrypt(t *testing.T) {
	if testing.Short() {
		t.Skip("standard scrypt takes 256 MB and a second")
	}
	path := filepath.Join(t.TempDir(), "key.json")
	if _, err := NewKeyFile(path, []byte("pw"), false); err != nil {
		t.Fatal(err)
	}
	if n := scryptN(t, path); n != keystore.StandardScryptN {
		t.Errorf("scrypt N %d, want %d", n, keystore.StandardScryptN)
	}
}

func TestPassphrase(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string, mode os.FileMode) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, mode); err != nil {
			t.Fatal(err)
		}
		return p
	}
	t.Setenv(PassphraseEnv, "from-env")
	for _, c := range []struct{ content, want string }{
		{"secret\n", "secret"},
		{"secret\r\n", "secret"},
		{"secret", "secret"},
		{"secret\n\n", "secret\n"},
		{" spaced secret \n", " spaced secret "},
	} {
		got, err := Passphrase(write("pass", c.content, 0o600))
		if err != nil || string(got) != c.want {
			t.Errorf("file %q: %q %v, want %q", c.content, got, err, c.want)
		}
	}
	got, err := Passphrase("")
	if err != nil || string(got) != "from-env" {
		t.Errorf("from the environment: %q %v", got, err)
	}

	_, err = Passphrase(write("open", "secret\n", 0o644))
	if !errors.Is(err, ErrInsecureFile) || !strings.Contains(err.Error(), "chmod 600") {
		t.Errorf("group-readable file: %v, want ErrInsecureFile with a chmod hint", err)
	}
	if _, err := Passphrase(write("empty", "\n", 0o600)); !errors.Is(err, ErrNoPassphrase) {
		t.Errorf("empty file: %v, want ErrNoPassphrase", err)
	}
	if _, err := Passphrase(filepath.Join(dir, "missing")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	t.Setenv(PassphraseEnv, "")
	os.Unsetenv(PassphraseEnv)
	_, err = Passphrase("")
	if !errors.Is(err, ErrNoPassphrase) || !strings.Contains(err.Error(), PassphraseEnv) {
		t.Errorf("no file and no environment: %v, want ErrNoPassphrase naming %s", err, PassphraseEnv)
	}
}

func TestDialErrorHidesSecrets(t *testing.T) {
	_, err := Dial(context.Background(), "ftp://user:apikey@rpc.example.org/v3/secretpath")
	if err == nil {
		t.Fatal("dial with an unknown scheme succeeded")
	}
	if s := err.Error(); strings.Contains(s, "apikey") || strings.Contains(s, "secretpath") || !strings.Contains(s, "rpc.example.org") {
		t.Errorf("error %q should name the host only", s)
	}
	if _, err := Dial(context.Background(), ""); err == nil {
		t.Error("dial without a URL succeeded")
	}
}
