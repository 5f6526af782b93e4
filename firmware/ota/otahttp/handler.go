package otahttp

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
)

// Handler serves a mirror's (or a repository's) directory read-only: GET /metadata/<name>.json and
// GET /targets/<path>, as an ota.Client with BaseURL at the handler's root expects, and nothing
// else (not the mirror's .trusted state). Mount it under a prefix with http.StripPrefix. Metadata
// is served uncached (the timestamp changes); targets are immutable, named by their hash.
func Handler(dir string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "read-only mirror", http.StatusMethodNotAllowed)
			return
		}
		rel, kind, ok := servedPath(r.URL.Path)
		if !ok {
			http.NotFound(w, r)
			return
		}
		f, err := os.Open(filepath.Join(dir, filepath.FromSlash(rel)))
		if err != nil {
			http.NotFound(w, r)
			return
		}
		defer f.Close()
		st, err := f.Stat()
		if err != nil || !st.Mode().IsRegular() {
			http.NotFound(w, r)
			return
		}
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		if kind == "metadata" {
			h.Set("Content-Type", "application/json")
			h.Set("Cache-Control", "no-cache")
		} else {
			h.Set("Content-Type", "application/octet-stream")
			h.Set("Cache-Control", "public, max-age=31536000, immutable")
		}
		http.ServeContent(w, r, "", st.ModTime(), f)
	})
}

// servedPath maps a request path to a file under the mirror: metadata/<name>.json (flat) or
// targets/<path>, with no empty, hidden or parent elements.
func servedPath(p string) (rel, kind string, ok bool) {
	parts := strings.Split(strings.TrimPrefix(p, "/"), "/")
	if len(parts) < 2 {
		return "", "", false
	}
	for _, s := range parts {
		if s == "" || strings.HasPrefix(s, ".") {
			return "", "", false
		}
	}
	switch {
	case parts[0] == "metadata" && len(parts) == 2 && strings.HasSuffix(parts[1], ".json"):
	case parts[0] == "targets":
	default:
		return "", "", false
	}
	return strings.Join(parts, "/"), parts[0], true
}
