package otahttp_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hearth-home/hearth/firmware/ota/otahttp"
)

// The handler serves the mirror read-only and nothing beside it.
func TestHandlerIsReadOnly(t *testing.T) {
	dir := t.TempDir()
	for name, data := range map[string]string{
		"metadata/timestamp.json": "{}", "metadata/1.root.json": "{}", ".trusted/timestamp.json": "{}",
		"targets/hearth-os/rpi-arm64/1.0.0/ab.slot.img.zst": "image",
	} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	srv := httptest.NewServer(otahttp.Handler(dir))
	t.Cleanup(srv.Close)
	c := srv.Client()
	get := func(method, path string) *http.Response {
		t.Helper()
		req, err := http.NewRequestWithContext(t.Context(), method, srv.URL+path, strings.NewReader("x"))
		if err != nil {
			t.Fatal(err)
		}
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	if r := get("GET", "/targets/hearth-os/rpi-arm64/1.0.0/ab.slot.img.zst"); r.StatusCode != 200 ||
		!strings.Contains(r.Header.Get("Cache-Control"), "immutable") {
		t.Fatalf("GET target: %s %v", r.Status, r.Header)
	}
	if r := get("GET", "/metadata/timestamp.json"); r.StatusCode != 200 || r.Header.Get("Cache-Control") != "no-cache" ||
		r.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("GET timestamp.json: %s %v", r.Status, r.Header)
	}
	for _, p := range []string{"/metadata/", "/metadata/nope.json", "/targets/", "/.trusted/timestamp.json",
		"/metadata/../.trusted/timestamp.json", "/targets/hearth-os", "/metadata/x/1.root.json", "/", "/etc/passwd"} {
		if r := get("GET", p); r.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: %s; want 404", p, r.Status)
		}
	}
	for _, m := range []string{"PUT", "POST", "DELETE"} {
		if r := get(m, "/metadata/timestamp.json"); r.StatusCode != http.StatusMethodNotAllowed {
			t.Errorf("%s: %s; want 405", m, r.Status)
		}
	}
}
