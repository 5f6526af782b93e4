package storage

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hearth-home/hearth/gateway/api"
)

// The gateway's disk is lost: a new gateway, its devices paired again,
// rebuilds the metadata and the users from the newest catalog the old
// owner's key signed, and reads every file back. A catalog under another
// key is refused; a gateway that keeps files refuses to recover.
func TestRecoverFromTheDevices(t *testing.T) {
	r := newShardedRig(t, 3)
	s := r.s
	key := api.OwnerKey("the old owner's token", CatalogLabel)
	users, err := LoadUsers(filepath.Join(t.TempDir(), "users.json"))
	if err != nil {
		t.Fatal(err)
	}
	pass, _ := users.Add("laptop", 0, false)
	s.CatalogKey, s.Users = key, users
	s.Create("laptop")
	data := bytes.Repeat([]byte("restic's ciphertext "), 50000)
	name := putFile(t, s, "laptop", "data", data)
	ctx := context.Background()
	s.pushCatalogs(ctx)
	first := s.catName
	// A change makes a new catalog, which replaces the old on each device.
	snap := putFile(t, s, "laptop", "snapshots", []byte("snapshot"))
	s.pushCatalogs(ctx)
	if s.catName == first {
		t.Fatal("no new catalog after a change")
	}
	for _, d := range r.devs {
		d.mu.Lock()
		_, hasNew := d.shards[s.catName]
		_, hasOld := d.shards[first]
		d.mu.Unlock()
		if !hasNew || hasOld {
			t.Errorf("device %s: the new catalog %v, the old one %v", d.node[:4], hasNew, hasOld)
		}
	}

	// The new gateway: empty metadata, no users, the same devices.
	dir := t.TempDir()
	newUsers, _ := LoadUsers(filepath.Join(dir, "users.json"))
	s2, err := OpenSharded(filepath.Join(dir, "storage.db"), &Sharded{Devices: s.Devices, Quota: func(string) int64 { return 0 },
		Users: newUsers, CatalogKey: api.OwnerKey("the new owner's token", CatalogLabel)})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if _, err := s2.Recover(ctx, api.OwnerKey("someone else's token", CatalogLabel)); err == nil || !strings.Contains(err.Error(), "not signed") {
		t.Errorf("recover with another key: %v", err)
	}
	rec, err := s2.Recover(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	if rec.Files != 2 || rec.Users != 1 || rec.Devices != 3 || rec.Catalog != s.catName {
		t.Errorf("recovered %+v, want 2 files, 1 user, 3 devices, catalog %s", rec, s.catName)
	}
	if !newUsers.Check("laptop", pass) {
		t.Error("the user's password does not work after the recovery")
	}
	if got, err := readFile(s2, "laptop", "data", name, 0, -1); err != nil || !bytes.Equal(got, data) {
		t.Errorf("a file after the recovery: %v", err)
	}
	if got, err := readFile(s2, "laptop", "snapshots", snap, 0, -1); err != nil || string(got) != "snapshot" {
		t.Errorf("the snapshot after the recovery: %q %v", got, err)
	}
	if used, _ := s2.Usage("laptop"); used != int64(len(data))+8 {
		t.Errorf("usage after the recovery: %d", used)
	}
	if _, err := s2.Recover(ctx, key); err == nil {
		t.Error("a gateway with files recovered again over them")
	}
	// The new gateway signs its own catalogs from now on.
	s2.pushCatalogs(ctx)
	time.Sleep(10 * time.Millisecond)
	if _, err := openCatalog(s2.catBlob, key); err == nil {
		t.Error("the new gateway's catalog is signed with the old key")
	}
}

// A catalog comes from a device: unsigned, it is refused; signed (by a
// gateway with a bug, say), whatever its body holds is an error or a
// version 1 catalog, never a panic.
func FuzzOpenCatalog(f *testing.F) {
	key := []byte("the owner's catalog key")
	f.Add([]byte{})
	f.Add([]byte("not gzip at all"))
	f.Add([]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff})
	f.Fuzz(func(t *testing.T, body []byte) {
		if _, err := openCatalog(body, key); err == nil {
			t.Fatalf("an unsigned blob of %d bytes opened", len(body))
		}
		mac := hmac.New(sha256.New, key)
		mac.Write(body)
		c, err := openCatalog(append(slices.Clip(body), mac.Sum(nil)...), key)
		if err == nil && c.Version != 1 {
			t.Fatalf("opened a catalog of version %d", c.Version)
		}
	})
}
