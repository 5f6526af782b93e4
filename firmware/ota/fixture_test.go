package ota_test

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/hearth-home/hearth/firmware/ota"
	"github.com/hearth-home/hearth/firmware/ota/otahttp"
	"github.com/hearth-home/hearth/firmware/ota/release"
)

// project is the Hearth project in a test: a repository signed by throwaway keys, root 2 of 3
// and one key per other role.
type project struct {
	t         testing.TB
	repo      *release.Repository
	root      []ed25519.PrivateKey
	targets   ed25519.PrivateKey
	snapshot  ed25519.PrivateKey
	timestamp ed25519.PrivateKey
}

func newKey(t testing.TB) ed25519.PrivateKey {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return priv
}

func pub(k ed25519.PrivateKey) ed25519.PublicKey { return k.Public().(ed25519.PublicKey) }

func newProject(t testing.TB) *project {
	t.Helper()
	r := &project{t: t, repo: &release.Repository{Dir: t.TempDir()},
		root:    []ed25519.PrivateKey{newKey(t), newKey(t), newKey(t)},
		targets: newKey(t), snapshot: newKey(t), timestamp: newKey(t)}
	roles := release.Roles{
		Root: []ed25519.PublicKey{pub(r.root[0]), pub(r.root[1]), pub(r.root[2])}, RootThreshold: 2,
		Targets: pub(r.targets), Snapshot: pub(r.snapshot), Timestamp: pub(r.timestamp),
	}
	// Two of the three offline root keys sign; the third stays in its safe.
	if err := r.repo.Init(roles, r.root[0], r.root[2]); err != nil {
		t.Fatal(err)
	}
	return r
}

// image returns recognisable bytes of a slot image for board and version.
func image(board, version string) []byte {
	return bytes.Repeat([]byte("hearth-os "+board+" "+version+"\n"), 1000)
}

// add signs a slot image as a target without publishing it.
func (r *project) add(board, version, minFrom string) []byte {
	r.t.Helper()
	data := image(board, version)
	file := filepath.Join(r.t.TempDir(), "slot.img.zst")
	if err := os.WriteFile(file, data, 0o644); err != nil {
		r.t.Fatal(err)
	}
	c := ota.Custom{Board: board, Version: version, MinFrom: minFrom, Kind: ota.KindSlot}
	if err := r.repo.AddTarget(ota.SlotTarget(board, version), file, c, r.targets); err != nil {
		r.t.Fatal(err)
	}
	return data
}

func (r *project) publish() {
	r.t.Helper()
	if err := r.repo.Publish(r.snapshot, r.timestamp); err != nil {
		r.t.Fatal(err)
	}
}

func (r *project) rootJSON() []byte {
	r.t.Helper()
	data, err := r.repo.RootJSON()
	if err != nil {
		r.t.Fatal(err)
	}
	return data
}

func (r *project) bundle() *bytes.Buffer {
	r.t.Helper()
	var buf bytes.Buffer
	if err := release.WriteBundle(&buf, r.repo.Dir); err != nil {
		r.t.Fatal(err)
	}
	return &buf
}

// snapshotDir copies the repository as it is now, to replay or re-sign later.
func (r *project) snapshotDir() string {
	r.t.Helper()
	dst := r.t.TempDir()
	if err := os.CopyFS(dst, os.DirFS(r.repo.Dir)); err != nil {
		r.t.Fatal(err)
	}
	return dst
}

// gateway is a mirror pinned to a release's root, served over HTTP as the gateway will.
type gateway struct {
	t      testing.TB
	mirror *ota.Mirror
	srv    *httptest.Server
	// wrap, if set, sees each request before the mirror: the hostile gateway's hook.
	wrap func(w http.ResponseWriter, r *http.Request, next http.Handler)
}

// published is a project that published one release for board, and a
// gateway that imported it.
func published(t testing.TB, board, version string) (*project, *gateway) {
	rel := newProject(t)
	rel.add(board, version, "")
	rel.publish()
	gw := newGateway(t, rel.rootJSON())
	gw.importRelease(rel)
	return rel, gw
}

func newGateway(t testing.TB, root []byte) *gateway {
	t.Helper()
	g := &gateway{t: t, mirror: &ota.Mirror{Dir: t.TempDir(), Root: root, Logger: quiet()}}
	h := otahttp.Handler(g.mirror.Dir)
	g.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if g.wrap != nil {
			g.wrap(w, r, h)
			return
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(g.srv.Close)
	return g
}

func (g *gateway) importRelease(r *project) {
	g.t.Helper()
	if _, err := g.mirror.Import(g.t.Context(), r.bundle()); err != nil {
		g.t.Fatal(err)
	}
}

// serveRaw makes the gateway hostile: it serves a repository directory's files as they are, over
// its verified mirror, without any check.
func (g *gateway) serveRaw(dir string) {
	g.t.Helper()
	for _, sub := range []string{"metadata", "targets"} {
		if err := copyTree(filepath.Join(dir, sub), filepath.Join(g.mirror.Dir, sub)); err != nil {
			g.t.Fatal(err)
		}
	}
}

func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		out := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(out, 0o755)
		}
		in, err := os.Open(p)
		if err != nil {
			return err
		}
		defer in.Close()
		f, err := os.Create(out)
		if err != nil {
			return err
		}
		if _, err := io.Copy(f, in); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	})
}

// device is a client for board whose trusted metadata lives in dir (the data partition).
func (g *gateway) device(root []byte, board, dir string, now func() time.Time) *ota.Client {
	g.t.Helper()
	c, err := ota.NewClient(ota.Config{
		Root: root, Dir: dir, BaseURL: g.srv.URL, Fetcher: otahttp.Fetcher{Client: g.srv.Client()},
		Board: board, Now: now, Logger: quiet(),
	})
	if err != nil {
		g.t.Fatal(err)
	}
	return c
}

func quiet() *slog.Logger { return slog.New(slog.DiscardHandler) }

// endless serves the real body of a file followed by zeros until the client hangs up.
func endless(w http.ResponseWriter, r *http.Request, next http.Handler) {
	rec := httptest.NewRecorder()
	next.ServeHTTP(rec, r)
	w.WriteHeader(rec.Code)
	w.Write(rec.Body.Bytes())
	zeros := make([]byte, 32<<10)
	for r.Context().Err() == nil {
		if _, err := w.Write(zeros); err != nil {
			return
		}
	}
}

func noFile(t *testing.T, p string) {
	t.Helper()
	if _, err := os.Stat(p); !os.IsNotExist(err) {
		t.Fatalf("%s exists after a refused download (stat: %v)", p, err)
	}
	entries, _ := os.ReadDir(filepath.Dir(p))
	if len(entries) != 0 {
		t.Fatalf("%d files left beside %s", len(entries), p)
	}
}
