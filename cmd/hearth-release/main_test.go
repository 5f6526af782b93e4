package main

import (
	"bytes"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hearth-home/hearth/firmware/ota"
)

// The whole release ceremony through the command line, then the gateway's import and a device's
// check of what it made.
func TestReleaseCeremony(t *testing.T) {
	dir := t.TempDir()
	p := func(name string) string { return filepath.Join(dir, name) }
	hr := func(args ...string) string {
		t.Helper()
		var out, errb bytes.Buffer
		if code := run(args, &out, &errb); code != 0 {
			t.Fatalf("hearth-release %s: exit %d: %s", strings.Join(args, " "), code, errb.String())
		}
		return out.String()
	}
	out := hr("keys", "new", p("root1.key"), p("root2.key"), p("root3.key"), p("targets.key"), p("snapshot.key"), p("timestamp.key"))
	if strings.Count(out, "ed25519") != 6 {
		t.Fatalf("keys new printed %q", out)
	}
	repo := p("repo")
	// root3 stays offline: only its public half takes part.
	hr("init", "-repo", repo, "-root", p("root1.key")+","+p("root2.key")+","+p("root3.key.pub"), "-threshold", "2",
		"-targets", p("targets.key.pub"), "-snapshot", p("snapshot.key.pub"), "-timestamp", p("timestamp.key.pub"))
	img := p("slot.img.zst")
	if err := os.WriteFile(img, []byte("slot image v2"), 0o644); err != nil {
		t.Fatal(err)
	}
	hr("add", "-repo", repo, "-key", p("targets.key"), "-board", "generic-arm64", "-version", "2.0.0", img)
	hr("add", "-repo", repo, "-key", p("targets.key"), "-board", "linux-arm64", "-version", "2.0.0", "-program", "hearth-agent", img)
	hr("add", "-repo", repo, "-key", p("targets.key"), "-board", "generic-arm64", "-version", "2.0.0", "-gateway", img)
	hr("publish", "-repo", repo, "-snapshot", p("snapshot.key"), "-timestamp", p("timestamp.key"))
	hr("timestamp", "-repo", repo, "-key", p("timestamp.key"))
	hr("bundle", "-repo", repo, "-o", p("bundle.tar"))

	var errb bytes.Buffer
	if code := run([]string{"publish", "-repo", repo, "-snapshot", p("timestamp.key"), "-timestamp", p("timestamp.key")}, &bytes.Buffer{}, &errb); code != 1 ||
		!strings.Contains(errb.String(), "not the snapshot key") {
		t.Fatalf("publish with the wrong key: exit %d, %q", code, errb.String())
	}

	root, err := os.ReadFile(filepath.Join(repo, "metadata", "root.json"))
	if err != nil {
		t.Fatal(err)
	}
	m := &ota.Mirror{Dir: p("mirror"), Root: root, Logger: slog.New(slog.DiscardHandler)}
	f, err := os.Open(p("bundle.tar"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	res, err := m.Import(t.Context(), f)
	if err != nil {
		t.Fatal(err)
	}
	if res.Timestamp != 2 || res.Files != 3 {
		t.Fatalf("Import = %+v; want timestamp 2, 3 files", res)
	}
	base, err := ota.DirURL(m.Dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ product, board string }{{ota.ProductOS, "generic-arm64"}, {"hearth-agent", "linux-arm64"}, {ota.ProductGatewayOS, "generic-arm64"}} {
		c, err := ota.NewClient(ota.Config{Root: root, Dir: t.TempDir(), BaseURL: base, Fetcher: ota.DirFetcher(m.Dir),
			Product: tc.product, Board: tc.board, Logger: slog.New(slog.DiscardHandler)})
		if err != nil {
			t.Fatal(err)
		}
		u, err := c.Check(t.Context(), "1.0.0")
		if err != nil || u == nil || u.Version != "2.0.0" {
			t.Fatalf("%s %s: Check = %+v, %v", tc.product, tc.board, u, err)
		}
		var got bytes.Buffer
		if _, err := c.Download(t.Context(), u, &got); err != nil || got.String() != "slot image v2" {
			t.Fatalf("Download = %q, %v", got.String(), err)
		}
	}
}

func TestUsage(t *testing.T) {
	for _, args := range [][]string{nil, {"frobnicate"}, {"keys"}, {"add", "-repo", "x"}, {"add", "-gateway", "-program", "hearth-agent", "f"}} {
		if code := run(args, &bytes.Buffer{}, &bytes.Buffer{}); code != 2 {
			t.Errorf("run(%q) = %d, want 2", args, code)
		}
	}
}
