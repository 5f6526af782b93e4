package sandboxtest

import (
	"bufio"
	"io/fs"
	"maps"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
)

func itoa(i int) string { return strconv.Itoa(i) }

// writeTree makes a directory holding files (by slash-separated path).
func (h *harness) writeTree(files map[string]string) string {
	h.t.Helper()
	dir := h.t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			h.t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			h.t.Fatal(err)
		}
	}
	return dir
}

// readTree lists what a directory holds: files by content, symlinks by
// target ("-> target"), directories not at all.
func (h *harness) readTree(dir string) map[string]string {
	h.t.Helper()
	got := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		if d.Type()&fs.ModeSymlink != 0 {
			target, err := os.Readlink(p)
			got[rel] = "-> " + target
			return err
		}
		b, err := os.ReadFile(p)
		got[rel] = string(b)
		return err
	})
	if err != nil {
		h.t.Fatal(err)
	}
	return got
}

// /in is readable and stays untouched; /out is writable and what the task
// writes there appears in Spec.OutDir.
func testFiles(h *harness) {
	in := map[string]string{"a.txt": "alpha\n", "sub/b.bin": "\x00\x01beta", "sub/deeper/c": ""}
	spec := h.spec("copy")
	spec.InDir = h.writeTree(in)
	spec.OutDir = h.t.TempDir()
	res := h.run(spec)
	h.exited(res, 0)
	lines := strings.Split(strings.TrimSpace(string(res.Stdout)), "\n")
	slices.Sort(lines)
	if want := []string{"copied a.txt", "copied sub/b.bin", "copied sub/deeper/c"}; !slices.Equal(lines, want) {
		h.t.Errorf("stdout %q, want %q", lines, want)
	}
	if got := h.readTree(spec.OutDir); !maps.Equal(got, in) {
		h.t.Errorf("out dir holds %q, want %q", got, in)
	}
	if got := h.readTree(spec.InDir); !maps.Equal(got, in) {
		h.t.Errorf("in dir changed to %q, want %q", got, in)
	}
}

// Nothing of the host is reachable: not its files, by path, "..", or links
// made in /out, and not its network.
func testSealed(h *harness) {
	secretDir := h.t.TempDir()
	secret := filepath.Join(secretDir, "secret")
	const token = "host-secret-5bd1c0f3"
	if err := os.WriteFile(secret, []byte(token), 0o644); err != nil {
		h.t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		h.t.Fatal(err)
	}
	defer ln.Close()
	var dialed atomic.Int32
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			dialed.Add(1)
			bufio.NewReader(c).ReadString('\n')
			c.Close()
		}
	}()

	spec := h.spec("probe", secret, ln.Addr().String())
	spec.InDir = h.writeTree(map[string]string{"x": "x"})
	spec.OutDir = h.t.TempDir()
	res := h.run(spec)
	h.exited(res, 0)
	out := string(res.Stdout)
	if strings.Contains(out, "leak") || !strings.HasSuffix(out, "sealed\n") ||
		strings.Contains(out+string(res.Stderr), token) {
		h.t.Errorf("the task reached the host:\n%s%s", res.Stdout, res.Stderr)
	}
	if n := dialed.Load(); n != 0 {
		h.t.Errorf("the task opened %d connections to the host", n)
	}
	if _, err := os.Lstat(filepath.Join(secretDir, "planted")); err == nil {
		h.t.Errorf("the task wrote a host file through a link in /out")
	}
	// Links the task made in /out may remain (a container can make them);
	// whoever collects Spec.OutDir must not follow them.
	for name, v := range h.readTree(spec.OutDir) {
		if strings.Contains(v, token) {
			h.t.Errorf("out dir holds %s %q", name, v)
		}
	}
}
