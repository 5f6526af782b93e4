// Package registrytest serves an OCI image archive as a read-only registry
// on loopback, for tests that pull by reference.
package registrytest

import (
	"archive/tar"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"strings"
	"sync/atomic"
	"testing"
)

// Registry is a running test registry.
type Registry struct {
	// Host is "127.0.0.1:PORT", the registry part of a reference.
	Host string
	// Requests counts the requests served, blobs and manifests.
	Requests atomic.Int64
	// Blobs counts the blob requests served (layers and configs).
	Blobs atomic.Int64

	repo  string
	tags  map[string]string // tag -> digest
	blobs map[string][]byte // digest -> content
	types map[string]string // digest -> media type, for manifests and indexes
	srv   *httptest.Server
}

// Serve serves the OCI layout archive at archive as repo:tag on loopback
// until the test ends. The archive's index.json must list one image (an
// index or a manifest), as `hearth image pack` writes.
func Serve(t testing.TB, archive, repo, tag string) *Registry {
	t.Helper()
	r, err := load(archive)
	if err != nil {
		t.Fatal(err)
	}
	r.repo = repo
	var index struct {
		Manifests []struct {
			MediaType string `json:"mediaType"`
			Digest    string `json:"digest"`
		} `json:"manifests"`
	}
	if err := json.Unmarshal(r.blobs["index.json"], &index); err != nil || len(index.Manifests) != 1 {
		t.Fatalf("%s: index.json must list one image (err %v)", archive, err)
	}
	r.tags = map[string]string{tag: index.Manifests[0].Digest}
	r.srv = httptest.NewServer(r)
	t.Cleanup(r.srv.Close)
	r.Host = strings.TrimPrefix(r.srv.URL, "http://")
	return r
}

// Ref is the reference of the served image by its tag.
func (r *Registry) Ref(tag string) string { return r.Host + "/" + r.repo + ":" + tag }

// Close stops serving: a registry gone offline.
func (r *Registry) Close() { r.srv.Close() }

func load(archive string) (*Registry, error) {
	f, err := os.Open(archive)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := &Registry{blobs: map[string][]byte{}, types: map[string]string{}}
	tr := tar.NewReader(f)
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", archive, err)
		}
		if hdr.Typeflag != tar.TypeReg {
			continue
		}
		b, err := io.ReadAll(tr)
		if err != nil {
			return nil, err
		}
		name := path.Clean(hdr.Name)
		if name == "index.json" {
			r.blobs[name] = b
			continue
		}
		alg, hex, ok := strings.Cut(strings.TrimPrefix(name, "blobs/"), "/")
		if !ok || !strings.HasPrefix(name, "blobs/") {
			continue
		}
		d := alg + ":" + hex
		r.blobs[d] = b
		var m struct {
			MediaType string `json:"mediaType"`
		}
		if json.Unmarshal(b, &m) == nil && (strings.Contains(m.MediaType, "manifest") || strings.Contains(m.MediaType, "index")) {
			r.types[d] = m.MediaType
		}
	}
	return r, nil
}

// ServeHTTP answers the registry API's pull side: GET /v2/, and HEAD and
// GET of /v2/REPO/manifests/REF and /v2/REPO/blobs/DIGEST.
func (r *Registry) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	r.Requests.Add(1)
	if req.Method != http.MethodGet && req.Method != http.MethodHead {
		http.Error(w, "read-only registry", http.StatusMethodNotAllowed)
		return
	}
	if req.URL.Path == "/v2/" {
		return
	}
	rest, ok := strings.CutPrefix(req.URL.Path, "/v2/"+r.repo+"/")
	if !ok {
		http.Error(w, `{"errors":[{"code":"NAME_UNKNOWN"}]}`, http.StatusNotFound)
		return
	}
	kind, ref, _ := strings.Cut(rest, "/")
	d := ref
	if kind == "manifests" && r.tags[ref] != "" {
		d = r.tags[ref]
	}
	b, ok := r.blobs[d]
	if !ok || (kind != "manifests" && kind != "blobs") || (kind == "manifests" && r.types[d] == "") {
		http.Error(w, `{"errors":[{"code":"MANIFEST_UNKNOWN"}]}`, http.StatusNotFound)
		return
	}
	if kind == "manifests" {
		w.Header().Set("Content-Type", r.types[d])
	} else {
		r.Blobs.Add(1)
		w.Header().Set("Content-Type", "application/octet-stream")
	}
	w.Header().Set("Docker-Content-Digest", d)
	w.Header().Set("Content-Length", fmt.Sprint(len(b)))
	if req.Method == http.MethodGet {
		w.Write(b)
	}
}
