package dashboard

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
)

// The page's files are small and fixed in the binary: each is compressed
// once, at start, and served from memory with an ETag, gzip-encoded to
// browsers that take it (all do), so that the first load stays small on a
// phone over Wi-Fi.

type asset struct {
	ctype     string
	etag      string
	raw, gzip []byte
}

// loadAssets reads every embedded file under assets/.
func loadAssets() map[string]*asset {
	out := map[string]*asset{}
	fs.WalkDir(assets, "assets", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		raw, err := fs.ReadFile(assets, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(raw)
		a := &asset{raw: raw, etag: `"` + hex.EncodeToString(sum[:8]) + `"`, ctype: mime.TypeByExtension(path.Ext(p))}
		if a.ctype == "" {
			a.ctype = "text/plain; charset=utf-8"
		}
		var b bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
		zw.Write(raw)
		zw.Close()
		if b.Len() < len(raw) {
			a.gzip = b.Bytes()
		}
		out[strings.TrimPrefix(p, "assets/")] = a
		return nil
	})
	return out
}

// serve writes the asset named name, or 404.
func (s *Server) serveAsset(w http.ResponseWriter, r *http.Request, name string) {
	a := s.assets[name]
	if a == nil {
		writeError(w, http.StatusNotFound, "not_found", "no such file: "+name)
		return
	}
	h := w.Header()
	h.Set("Content-Type", a.ctype)
	h.Set("ETag", a.etag)
	// Revalidated each time (a 304 costs a round trip, no bytes): the
	// files change with the binary, under the same names.
	h.Set("Cache-Control", "no-cache")
	h.Add("Vary", "Accept-Encoding")
	if r.Header.Get("If-None-Match") == a.etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	body := a.raw
	if a.gzip != nil && acceptsGzip(r) {
		h.Set("Content-Encoding", "gzip")
		body = a.gzip
	}
	w.Write(body)
}

func acceptsGzip(r *http.Request) bool {
	for _, e := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		name, params, _ := strings.Cut(e, ";")
		if strings.TrimSpace(name) == "gzip" {
			q := strings.ReplaceAll(params, " ", "")
			return strings.Trim(strings.TrimPrefix(q, "q=0"), ".0") != "" || !strings.HasPrefix(q, "q=0")
		}
	}
	return false
}

// ChartsBuilt says whether the chart library was fetched (make ui) before
// this binary was built; without it the page shows its tables only.
func ChartsBuilt() bool {
	_, err := fs.Stat(assets, "assets/vendor/uPlot.iife.min.js")
	return err == nil
}

// FirstLoad is the compressed size in bytes of what a browser fetches on
// its first visit: the page, its script and style, and the chart library.
func FirstLoad() int {
	n := 0
	for name, a := range loadAssets() {
		if strings.HasSuffix(name, ".js") || strings.HasSuffix(name, ".css") || name == "index.html" {
			if a.gzip != nil {
				n += len(a.gzip)
			} else {
				n += len(a.raw)
			}
		}
	}
	return n
}
