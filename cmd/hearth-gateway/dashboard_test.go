package main

import (
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hearth-home/hearth/gateway"
)

// TestStartDashboard: the default address falls back to a free loopback
// port when taken; the login POST /v1/dashboard/login answers opens a
// session; the viewer token is kept in the data directory across starts;
// "off" serves nothing and the login call says how to turn it on.
func TestStartDashboard(t *testing.T) {
	quiet := slog.New(slog.DiscardHandler)
	dir := t.TempDir()
	g, err := gateway.New(gateway.Config{DataDir: dir, Listen: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	// Whoever holds 7380 (maybe nobody), the dashboard starts.
	taken, err := net.Listen("tcp", defaultDashboard)
	if err == nil {
		defer taken.Close()
	}
	d, err := startDashboard(g, options{}, dir, quiet)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(d.where, "http://127.0.0.1:") || strings.Contains(d.where, ":7380 ") {
		t.Fatalf("where = %q, want a free loopback port", d.where)
	}
	go d.run(t.Context())
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar}
	resp, err := browser.Get(d.login())
	if err != nil || resp.StatusCode != http.StatusOK || resp.Request.URL.Path != "/" {
		t.Fatalf("login: %v %v", resp, err)
	}
	resp.Body.Close()
	tok, err := os.ReadFile(filepath.Join(dir, "dashboard-viewer.token"))
	if err != nil || len(strings.TrimSpace(string(tok))) < 32 {
		t.Fatalf("viewer token: %q %v", tok, err)
	}
	g2, err := gateway.New(gateway.Config{DataDir: t.TempDir(), Listen: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	defer g2.Close()
	if _, err := startDashboard(g2, options{dashboard: "127.0.0.1:0"}, dir, quiet); err != nil {
		t.Fatal(err)
	}
	if again, _ := os.ReadFile(filepath.Join(dir, "dashboard-viewer.token")); string(again) != string(tok) {
		t.Errorf("the viewer token changed across starts")
	}
	off, err := startDashboard(g2, options{dashboard: "off"}, dir, quiet)
	if err != nil || off.run != nil || !strings.HasPrefix(off.where, "off") {
		t.Errorf("off: %+v %v", off, err)
	}
	if _, err := startDashboard(g2, options{dashboard: "256.0.0.1:1"}, dir, quiet); err == nil || !strings.Contains(err.Error(), "--dashboard") {
		t.Errorf("a bad address: %v, want an error naming --dashboard", err)
	}
}
