package storage

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
)

func nameOf(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

type restFixture struct {
	srv   *httptest.Server
	users *Users
	pass  map[string]string
	dir   *Dir
}

// newRest serves a Dir in a temp directory to users alice (quota 64 KiB)
// and bob (append-only).
func newRest(t *testing.T) *restFixture {
	t.Helper()
	root := t.TempDir()
	users, err := LoadUsers(filepath.Join(root, "users.json"))
	if err != nil {
		t.Fatal(err)
	}
	f := &restFixture{users: users, pass: map[string]string{}}
	for _, u := range []struct {
		name  string
		quota int64
		ao    bool
	}{{"alice", 64 << 10, false}, {"bob", 0, true}} {
		p, err := users.Add(u.name, u.quota, u.ao)
		if err != nil {
			t.Fatal(err)
		}
		f.pass[u.name] = p
	}
	f.dir = &Dir{Root: filepath.Join(root, "repos"), Quota: func(u string) int64 { x, _ := users.Get(u); return x.Quota }}
	svc := &Service{Users: users, Store: f.dir}
	f.srv = httptest.NewServer(svc.REST(1<<20, &Handler{Logger: slog.New(slog.DiscardHandler)}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *restFixture) do(t *testing.T, user, method, path string, body []byte, hdr ...string) (int, []byte, http.Header) {
	t.Helper()
	var r io.Reader
	if body != nil {
		r = bytes.NewReader(body)
	}
	req, _ := http.NewRequest(method, f.srv.URL+path, r)
	if user != "" {
		req.SetBasicAuth(user, f.pass[user])
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b, resp.Header
}

// TestREST walks the protocol as restic does, and each refusal: wrong or
// missing credentials (401), another user's repository (403), a damaged
// upload (400), a file sent twice (403), a bad name (400), a range past
// the end (416), a full quota (507).
func TestREST(t *testing.T) {
	f := newRest(t)
	if code, _, _ := f.do(t, "alice", "HEAD", "/alice/config", nil); code != http.StatusNotFound {
		t.Fatalf("config before init: %d, want 404", code)
	}
	if code, _, _ := f.do(t, "alice", "POST", "/alice/?create=true", nil); code != http.StatusOK {
		t.Fatalf("create: %d", code)
	}
	config := []byte("the repository's config")
	if code, _, _ := f.do(t, "alice", "POST", "/alice/config", config); code != http.StatusOK {
		t.Fatalf("config: %d", code)
	}
	if code, b, _ := f.do(t, "alice", "GET", "/alice/config", nil); code != http.StatusOK || !bytes.Equal(b, config) {
		t.Fatalf("config back: %d %q", code, b)
	}
	data := bytes.Repeat([]byte("pack "), 2000)
	name := nameOf(data)
	if code, _, _ := f.do(t, "alice", "POST", "/alice/data/"+name, data); code != http.StatusOK {
		t.Fatalf("data: %d", code)
	}
	if code, _, h := f.do(t, "alice", "HEAD", "/alice/data/"+name, nil); code != http.StatusOK || h.Get("Content-Length") != "10000" {
		t.Fatalf("HEAD data: %d %v", code, h)
	}
	if code, b, h := f.do(t, "alice", "GET", "/alice/data/"+name, nil, "Range", "bytes=5-9"); code != http.StatusPartialContent || string(b) != "pack " || h.Get("Content-Range") != "bytes 5-9/10000" {
		t.Fatalf("range: %d %q %v", code, b, h)
	}
	if code, b, _ := f.do(t, "alice", "GET", "/alice/data/"+name, nil, "Range", "bytes=-3"); code != http.StatusPartialContent || string(b) != "ck " {
		t.Fatalf("suffix range: %d %q", code, b)
	}
	if code, _, _ := f.do(t, "alice", "GET", "/alice/data/"+name, nil, "Range", "bytes=10000-"); code != http.StatusRequestedRangeNotSatisfiable {
		t.Fatalf("range past the end: %d, want 416", code)
	}
	if code, _, _ := f.do(t, "alice", "POST", "/alice/data/"+name, data); code != http.StatusOK {
		t.Fatalf("the same file twice (an answer lost): %d, want 200", code)
	}
	if code, _, _ := f.do(t, "alice", "POST", "/alice/config", []byte("another config")); code != http.StatusForbidden {
		t.Fatalf("config replaced: %d, want 403 (as rest-server)", code)
	}
	if code, b, _ := f.do(t, "alice", "GET", "/alice/data/"+name, nil, "Range", "pages=1-2"); code != http.StatusOK || len(b) != 10000 {
		t.Fatalf("a range this does not read: %d, %d bytes, want the whole file", code, len(b))
	}
	damaged := append([]byte{}, data...)
	damaged[7] ^= 1
	if code, _, _ := f.do(t, "alice", "POST", "/alice/data/"+nameOf(data[:100]), damaged[:100]); code != http.StatusBadRequest {
		t.Fatalf("damaged upload: %d, want 400", code)
	}
	if code, _, _ := f.do(t, "alice", "HEAD", "/alice/data/"+nameOf(data[:100]), nil); code != http.StatusNotFound {
		t.Fatalf("a refused upload was kept: %d", code)
	}
	if code, _, _ := f.do(t, "alice", "POST", "/alice/data/../keys/x", data); code != http.StatusBadRequest && code != http.StatusNotFound {
		t.Fatalf("a bad name: %d", code)
	}
	// Listings, in both protocol versions.
	code, b, h := f.do(t, "alice", "GET", "/alice/data/", nil, "Accept", contentV2)
	var v2 []FileInfo
	if json.Unmarshal(b, &v2); code != http.StatusOK || h.Get("Content-Type") != contentV2 || len(v2) != 1 || v2[0] != (FileInfo{name, 10000}) {
		t.Fatalf("list v2: %d %s", code, b)
	}
	if code, b, _ := f.do(t, "alice", "GET", "/alice/keys/", nil); code != http.StatusOK || strings.TrimSpace(string(b)) != "[]" {
		t.Fatalf("list v1 of nothing: %d %s", code, b)
	}
	// Who may do what.
	if code, _, _ := f.do(t, "", "GET", "/alice/config", nil); code != http.StatusUnauthorized {
		t.Errorf("no credentials: %d, want 401", code)
	}
	f.pass["mallory"] = f.pass["alice"]
	if code, _, _ := f.do(t, "mallory", "GET", "/alice/config", nil); code != http.StatusUnauthorized {
		t.Errorf("an unknown user: %d, want 401", code)
	}
	if code, _, _ := f.do(t, "bob", "GET", "/alice/config", nil); code != http.StatusForbidden {
		t.Errorf("bob in alice's repository: %d, want 403", code)
	}
	// The quota: a file that does not fit is refused whole, 507.
	big := bytes.Repeat([]byte{1}, 60<<10)
	if code, b, _ := f.do(t, "alice", "POST", "/alice/data/"+nameOf(big), big); code != http.StatusInsufficientStorage || !strings.Contains(string(b), "quota") {
		t.Errorf("over the quota: %d %s, want 507 naming the quota", code, b)
	}
	if code, _, _ := f.do(t, "alice", "DELETE", "/alice/data/"+name, nil); code != http.StatusOK {
		t.Errorf("delete: %d", code)
	}
	if used, _ := f.dir.Usage("alice"); used != int64(len(config)) {
		t.Errorf("usage after the delete: %d, want the config's %d", used, len(config))
	}
	// Parallel uploads cannot pass the quota together: of ten files of
	// 20 KiB against 64 KiB, at most three are kept, and usage counts
	// what is there.
	done := make(chan int, 10)
	for i := range 10 {
		go func() {
			b := bytes.Repeat([]byte{byte(i)}, 20<<10)
			code, _, _ := f.do(t, "alice", "POST", "/alice/data/"+nameOf(b), b)
			done <- code
		}()
	}
	kept := 0
	for range 10 {
		if <-done == http.StatusOK {
			kept++
		}
	}
	used, _ := f.dir.Usage("alice")
	files, _ := f.dir.List("alice", "data")
	if kept > 3 || len(files) != kept || used != int64(len(config))+int64(kept)*20<<10 {
		t.Errorf("parallel uploads: %d kept, %d listed, usage %d", kept, len(files), used)
	}
}

// TestAppendOnly: bob's repository keeps what it has: deletes and
// overwrites are refused, but locks come and go.
func TestAppendOnly(t *testing.T) {
	f := newRest(t)
	f.do(t, "bob", "POST", "/bob/?create=true", nil)
	f.do(t, "bob", "POST", "/bob/config", []byte("c1"))
	if code, _, _ := f.do(t, "bob", "POST", "/bob/config", []byte("c2")); code != http.StatusForbidden {
		t.Errorf("config overwritten: %d, want 403", code)
	}
	snap := []byte("snapshot")
	f.do(t, "bob", "POST", "/bob/snapshots/"+nameOf(snap), snap)
	if code, _, _ := f.do(t, "bob", "POST", "/bob/snapshots/"+nameOf(snap), snap); code != http.StatusOK {
		t.Errorf("the same snapshot again (an answer lost): %d, want 200", code)
	}
	if code, _, _ := f.do(t, "bob", "DELETE", "/bob/snapshots/"+nameOf(snap), nil); code != http.StatusForbidden {
		t.Errorf("snapshot deleted: %d, want 403", code)
	}
	lock := []byte("lock")
	if code, _, _ := f.do(t, "bob", "POST", "/bob/locks/"+nameOf(lock), lock); code != http.StatusOK {
		t.Errorf("lock: %d", code)
	}
	if code, _, _ := f.do(t, "bob", "DELETE", "/bob/locks/"+nameOf(lock), nil); code != http.StatusOK {
		t.Errorf("lock deleted: %d, want 200", code)
	}
}

// FuzzParseRange: any Range header gets a range inside the file or an
// error, never a panic.
func FuzzParseRange(f *testing.F) {
	for _, s := range []string{"", "bytes=0-", "bytes=5-9", "bytes=-3", "bytes=9-5", "bytes=0-1,3-4", "items=1-2", "bytes=-0", "bytes=99999999999999999999-"} {
		f.Add(s, int64(100))
	}
	f.Fuzz(func(t *testing.T, v string, size int64) {
		if size <= 0 {
			return
		}
		off, n, _, err := parseRange(v, size)
		if err == nil && (off < 0 || n < 0 || off+n > size || n == 0 && size > 0) {
			t.Fatalf("range %q of %d: offset %d length %d", v, size, off, n)
		}
	})
}
