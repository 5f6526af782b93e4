package agent

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func shardOf(b []byte) (name, digest string) {
	sum := sha256.Sum256(b)
	h := hex.EncodeToString(sum[:])
	return "0123456789abcdef-0-" + h, "sha256:" + h
}

// A shard is kept only whole and durable; what a crash left half written
// is removed at start; a full quota, a bad name and a damaged shard are
// errors that say so.
func TestShards(t *testing.T) {
	dir := t.TempDir()
	s, err := openShards(dir, 1<<20, -1)
	if err != nil {
		t.Fatal(err)
	}
	data := bytes.Repeat([]byte("shard "), 1000)
	name, digest := shardOf(data)
	write := func(b []byte) func(io.Writer) error {
		return func(w io.Writer) error { _, err := w.Write(b); return err }
	}
	if err := s.put(name, digest, int64(len(data)), write(data)); err != nil {
		t.Fatal(err)
	}
	if s.used != int64(len(data)) || s.count != 1 {
		t.Errorf("used %d in %d shards", s.used, s.count)
	}
	// Sent again (its answer was lost): no error, counted once.
	if err := s.put(name, digest, int64(len(data)), write(data)); err != nil || s.count != 1 {
		t.Errorf("the same shard again: %v, %d shards", err, s.count)
	}
	if err := s.check(name); err != nil {
		t.Errorf("check of a whole shard: %v", err)
	}
	f, size, err := s.open(name)
	if err != nil || size != int64(len(data)) {
		t.Fatalf("open: %v %d", err, size)
	}
	got, _ := io.ReadAll(f)
	f.Close()
	if !bytes.Equal(got, data) {
		t.Error("the shard read back wrong")
	}

	// A name that does not end with the content's digest, or names a
	// path, is refused.
	for _, bad := range []string{"../" + name, ".hidden-" + name, "short", name + "/x"} {
		if err := s.put(bad, digest, 1, write([]byte("x"))); !errors.Is(err, errShardName) {
			t.Errorf("put %q: %v, want errShardName", bad, err)
		}
	}
	if err := s.put("0123456789abcdef-1-"+strings.Repeat("0", 64), digest, 1, write([]byte("x"))); !errors.Is(err, errShardName) {
		t.Errorf("a name not ending with the digest: %v", err)
	}
	// Past the quota: full, and nothing kept.
	big := make([]byte, 1<<20)
	bn, bd := shardOf(big)
	if err := s.put(bn, bd, int64(len(big)), write(big)); !errors.Is(err, errShardFull) || shardCode(err) != "full" {
		t.Errorf("past the quota: %v", err)
	}
	// A fetch that fails keeps nothing.
	other := []byte("another shard")
	on, od := shardOf(other)
	if err := s.put(on, od, int64(len(other)), func(io.Writer) error { return errors.New("connection reset") }); err == nil {
		t.Error("a failed fetch was kept")
	}
	if _, err := os.Stat(filepath.Join(dir, on[:2], on)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a failed fetch left %v", err)
	}

	// list names what begins with a prefix (the gateway's catalogs).
	if got, err := s.list(name[:10]); err != nil || len(got) != 1 || got[0] != name {
		t.Errorf("list %q: %v %v", name[:10], got, err)
	}
	if got, err := s.list("catalog-"); err != nil || len(got) != 0 {
		t.Errorf("list of nothing: %v %v", got, err)
	}
	if got, err := s.list(""); err != nil || len(got) != 1 || got[0] != name {
		t.Errorf("list of all: %v %v", got, err)
	}
	if _, err := s.list("../"); !errors.Is(err, errShardName) {
		t.Errorf("list ../: %v", err)
	}

	// Damage is found by check.
	p := filepath.Join(dir, name[:2], name)
	raw, _ := os.ReadFile(p)
	raw[10] ^= 1
	os.WriteFile(p, raw, 0o600)
	if err := s.check(name); !errors.Is(err, errDamaged) || shardCode(err) != "digest" {
		t.Errorf("check of a damaged shard: %v", err)
	}
	if err := s.check(on); shardCode(err) != "not_found" {
		t.Errorf("check of a missing shard: %v", err)
	}

	// A crash mid-write leaves a temp file: removed at the next start,
	// and the shards counted again.
	os.WriteFile(filepath.Join(dir, name[:2], ".tmp-123"), []byte("half"), 0o600)
	s2, err := openShards(dir, 1<<20, -1)
	if err != nil {
		t.Fatal(err)
	}
	if s2.count != 1 || s2.used != int64(len(data)) {
		t.Errorf("after a restart: %d shards, %d bytes", s2.count, s2.used)
	}
	if m, _ := filepath.Glob(filepath.Join(dir, "*", ".tmp-*")); len(m) != 0 {
		t.Errorf("left after a restart: %v", m)
	}
	if err := s2.remove(name); err != nil || s2.count != 0 || s2.used != 0 {
		t.Errorf("remove: %v, %d shards, %d bytes", err, s2.count, s2.used)
	}
	if err := s2.remove(name); err != nil {
		t.Errorf("removing a shard that is gone: %v", err)
	}
}

// A shard's name comes from the gateway: whatever it is, it names a file
// two levels under the storage directory, or is refused.
func FuzzShardName(f *testing.F) {
	name, _ := shardOf([]byte("x"))
	for _, seed := range []string{name, "../" + name, "catalog-0000000000000001-" + name[19:], "", ".", "ab/../../etc/passwd" + name} {
		f.Add(seed)
	}
	s := &shards{dir: "/srv/shards"}
	f.Fuzz(func(t *testing.T, name string) {
		p, err := s.path(name)
		if err != nil {
			if !errors.Is(err, errShardName) {
				t.Fatalf("%q: %v, want errShardName", name, err)
			}
			return
		}
		if filepath.Dir(filepath.Dir(p)) != s.dir || filepath.Base(p) != name {
			t.Fatalf("%q names %s, outside %s/XX/", name, p, s.dir)
		}
	})
}
