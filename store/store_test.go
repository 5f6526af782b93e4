package store

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func openTest(t *testing.T) (*DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "state.db")
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, path
}

func TestKVCopiesAndPersists(t *testing.T) {
	db, path := openTest(t)
	err := db.Update(func(tx *Tx) error {
		for _, k := range []string{"job/2", "job/1", "task/1"} {
			if err := tx.Put("b", k, []byte("v-"+k)); err != nil {
				return err
			}
		}
		return tx.PutJSON("j", "x", map[string]int{"n": 3})
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []byte
	db.View(func(tx *Tx) error { got = tx.Get("b", "job/1"); return nil })
	// Values are copies: they survive the transaction and a later rewrite.
	db.Update(func(tx *Tx) error { return tx.Put("b", "job/1", []byte("changed")) })
	if string(got) != "v-job/1" {
		t.Fatalf("value changed under us: %q", got)
	}
	db.Close()
	db2, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	var keys []string
	var m map[string]int
	db2.View(func(tx *Tx) error {
		tx.Scan("b", "job/", func(k string, _ []byte) error { keys = append(keys, k); return nil })
		ok, err := tx.GetJSON("j", "x", &m)
		if !ok || err != nil {
			t.Errorf("GetJSON = %v, %v", ok, err)
		}
		if tx.Get("missing-bucket", "k") != nil {
			t.Error("Get from a missing bucket returned a value")
		}
		return nil
	})
	if strings.Join(keys, ",") != "job/1,job/2" || m["n"] != 3 {
		t.Fatalf("after reopen: keys %v, json %v", keys, m)
	}
}

func TestOpenLockedFailsFast(t *testing.T) {
	_, path := openTest(t)
	if _, err := Open(path); !errors.Is(err, ErrLocked) {
		t.Fatalf("second Open error = %v, want ErrLocked", err)
	}
}

func TestBatchConcurrent(t *testing.T) {
	db, _ := openTest(t)
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			db.Batch(func(tx *Tx) error { return tx.Put("b", string(rune('a'+i%26))+string(rune('0'+i/26)), []byte{1}) })
		}()
	}
	wg.Wait()
	var n int
	db.View(func(tx *Tx) error { n = tx.Count("b"); return nil })
	if n != 50 {
		t.Fatalf("count = %d, want 50", n)
	}
}

func TestIdentityStable(t *testing.T) {
	db, _ := openTest(t)
	a, err := db.Identity()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := db.Identity()
	if a.ID != b.ID {
		t.Fatal("identity changed between calls")
	}
}

func TestBlobs(t *testing.T) {
	dir := t.TempDir()
	bs, err := OpenBlobs(dir)
	if err != nil {
		t.Fatal(err)
	}
	content := []byte("hello hearth")
	d, err := bs.PutBytes(content)
	if err != nil || d != DigestOf(content) {
		t.Fatalf("PutBytes = %v, %v", d, err)
	}
	got, err := bs.ReadAll(d)
	if err != nil || !bytes.Equal(got, content) {
		t.Fatalf("ReadAll = %q, %v", got, err)
	}
	// A wrong expected digest stores nothing.
	other := DigestOf([]byte("other"))
	if _, _, err := bs.Put(bytes.NewReader(content), other); !errors.Is(err, ErrDigestMismatch) {
		t.Fatalf("Put with wrong digest: %v", err)
	}
	if bs.Has(other) {
		t.Fatal("mismatched content was stored")
	}
	if _, err := bs.ReadAll(other); !errors.Is(err, ErrNotFound) {
		t.Fatalf("ReadAll(absent) = %v, want ErrNotFound", err)
	}
	// Corruption on disk is caught on read.
	if err := os.WriteFile(bs.Path(d), []byte("hello HEARTH"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := bs.ReadAll(d); !errors.Is(err, ErrDigestMismatch) {
		t.Fatalf("ReadAll(corrupt) = %v, want ErrDigestMismatch", err)
	}
	for _, bad := range []string{"", "sha256:xyz", "md5:" + strings.Repeat("a", 64), "sha256:" + strings.Repeat("A", 64)} {
		if _, err := ParseDigest(bad); !errors.Is(err, ErrBadDigest) {
			t.Errorf("ParseDigest(%q) = %v, want ErrBadDigest", bad, err)
		}
	}
}

// TestSetFault: an injected fault fails writes, not reads, and nothing of
// a failed write is committed; the store works again once it is lifted.
func TestSetFault(t *testing.T) {
	db, _ := openTest(t)
	if err := db.Update(func(tx *Tx) error { return tx.Put("b", "k", []byte("1")) }); err != nil {
		t.Fatal(err)
	}
	full := errors.New("disk full")
	db.SetFault(full)
	for name, write := range map[string]func(func(*Tx) error) error{"Update": db.Update, "Batch": db.Batch} {
		if err := write(func(tx *Tx) error { return tx.Put("b", "k", []byte("2")) }); !errors.Is(err, full) {
			t.Errorf("%s with a fault: %v, want it", name, err)
		}
	}
	var v []byte
	if err := db.View(func(tx *Tx) error { v = tx.Get("b", "k"); return nil }); err != nil || string(v) != "1" {
		t.Errorf("read with a fault: %q, %v; want the committed 1", v, err)
	}
	db.SetFault(nil)
	if err := db.Batch(func(tx *Tx) error { return tx.Put("b", "k", []byte("3")) }); err != nil {
		t.Errorf("write after the fault: %v", err)
	}
}
