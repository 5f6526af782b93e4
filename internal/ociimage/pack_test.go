package ociimage

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// fourPlatforms are the devices Hearth supports that are not ARMv5.
var fourPlatforms = []string{"linux/amd64", "linux/arm64", "linux/arm/v7", "linux/arm/v6"}

// writeBins writes a small distinct "binary" per platform into a fresh
// directory; format tests need no real programs.
func writeBins(t *testing.T, platforms ...string) map[Platform]string {
	t.Helper()
	dir := t.TempDir()
	bins := map[Platform]string{}
	for _, s := range platforms {
		p := mustPlatform(t, s)
		path := filepath.Join(dir, strings.ReplaceAll(s, "/", "-"))
		if err := os.WriteFile(path, []byte("binary for "+s+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		bins[p] = path
	}
	return bins
}

func pack(t *testing.T, o Options, bins map[Platform]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := o.Pack(&buf, bins); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// entry is one file of a tar, in order.
type entry struct {
	hdr  tar.Header
	data []byte
}

func readTar(t *testing.T, b []byte) []entry {
	t.Helper()
	var out []entry
	tr := tar.NewReader(bytes.NewReader(b))
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, entry{*hdr, data})
	}
}

func files(t *testing.T, b []byte) map[string][]byte {
	t.Helper()
	m := map[string][]byte{}
	for _, e := range readTar(t, b) {
		if e.hdr.Typeflag == tar.TypeReg {
			m[e.hdr.Name] = e.data
		}
	}
	return m
}

func decode(t *testing.T, b []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%v in %s", err, b)
	}
}

func TestPackDeterministic(t *testing.T) {
	bins := writeBins(t, fourPlatforms...)
	a := pack(t, Options{Entrypoint: "/app"}, bins)
	// The same contents elsewhere, with other modes and times, pack alike.
	moved := map[Platform]string{}
	dir := t.TempDir()
	for p, path := range bins {
		b, _ := os.ReadFile(path)
		q := filepath.Join(dir, "x-"+filepath.Base(path))
		if err := os.WriteFile(q, b, 0o755); err != nil {
			t.Fatal(err)
		}
		os.Chtimes(q, time.Now(), time.Now().Add(-time.Hour))
		moved[p] = q
	}
	for range 3 {
		if b := pack(t, Options{Entrypoint: "/app"}, moved); !bytes.Equal(a, b) {
			t.Fatal("two packs of the same binaries differ")
		}
	}
	if b := pack(t, Options{Entrypoint: "/bin/app"}, bins); bytes.Equal(a, b) {
		t.Error("the entry point does not change the archive")
	}
	// Pack is Options.Pack with an entry point.
	var buf bytes.Buffer
	if err := Pack(&buf, "", bins); err != nil || !bytes.Equal(buf.Bytes(), a) {
		t.Errorf("Pack(w, \"\", bins) differs from the default options: %v", err)
	}
	for _, e := range readTar(t, a) {
		h := e.hdr
		if !h.ModTime.Equal(epoch) || h.Uid != 0 || h.Gid != 0 || h.Uname != "" || h.Gname != "" {
			t.Errorf("%s: mtime %v, owner %d:%d %q:%q", h.Name, h.ModTime, h.Uid, h.Gid, h.Uname, h.Gname)
		}
	}
}

// TestPackLayout checks the archive against the image layout spec: blobs
// named by their digests, descriptors with true sizes, and for every
// platform an image whose config and layer say what the brief wants.
func TestPackLayout(t *testing.T) {
	for _, gz := range []bool{false, true} {
		bins := writeBins(t, fourPlatforms...)
		arch := pack(t, Options{Entrypoint: "/usr/bin/app", RefName: "vanity", Gzip: gz}, bins)
		blobs := files(t, arch)

		var names []string
		for _, e := range readTar(t, arch) {
			names = append(names, e.hdr.Name)
		}
		if names[0] != "oci-layout" || names[len(names)-1] != "index.json" {
			t.Errorf("entries %v: want oci-layout first and index.json last", names)
		}
		for name, b := range blobs {
			if rest, ok := strings.CutPrefix(name, "blobs/sha256/"); ok {
				if d := digestOf(b); d != "sha256:"+rest {
					t.Errorf("blob %s hashes to %s", name, d)
				}
			} else if name != "oci-layout" && name != "index.json" {
				t.Errorf("unexpected entry %s", name)
			}
		}
		if string(blobs["oci-layout"]) != `{"imageLayoutVersion":"1.0.0"}` {
			t.Errorf("oci-layout = %s", blobs["oci-layout"])
		}
		blob := func(d descriptor, mediaType string) []byte {
			t.Helper()
			b, ok := blobs[blobPath(d.Digest)]
			if !ok {
				t.Fatalf("blob %s missing", d.Digest)
			}
			if int64(len(b)) != d.Size || d.MediaType != mediaType {
				t.Errorf("descriptor %+v: blob is %d bytes, want media type %s", d, len(b), mediaType)
			}
			return b
		}

		var top imageIndex
		decode(t, blobs["index.json"], &top)
		if top.SchemaVersion != 2 || top.MediaType != mediaTypeIndex || len(top.Manifests) != 1 {
			t.Fatalf("index.json = %s", blobs["index.json"])
		}
		if got := top.Manifests[0].Annotations[annotationRefName]; got != "vanity" {
			t.Errorf("ref name %q", got)
		}
		var idx imageIndex
		decode(t, blob(top.Manifests[0], mediaTypeIndex), &idx)
		var got []string
		for _, md := range idx.Manifests {
			p := Platform{md.Platform.OS, md.Platform.Architecture, md.Platform.Variant}
			got = append(got, p.String())
			var m imageManifest
			decode(t, blob(md, mediaTypeManifest), &m)
			if m.SchemaVersion != 2 || m.MediaType != mediaTypeManifest || len(m.Layers) != 1 {
				t.Fatalf("manifest %s", blob(md, mediaTypeManifest))
			}
			var cfg imageConfig
			cfgBytes := blob(m.Config, mediaTypeConfig)
			decode(t, cfgBytes, &cfg)
			if (Platform{cfg.OS, cfg.Architecture, cfg.Variant}) != p {
				t.Errorf("%s: config says %s/%s/%s", p, cfg.OS, cfg.Architecture, cfg.Variant)
			}
			if !slices.Equal(cfg.Config.Entrypoint, []string{"/usr/bin/app"}) || cfg.Config.WorkingDir != "/" {
				t.Errorf("%s: config %s", p, cfgBytes)
			}
			if bytes.Contains(cfgBytes, []byte(`"Env"`)) || bytes.Contains(cfgBytes, []byte(`"created"`)) {
				t.Errorf("%s: config has Env or a time: %s", p, cfgBytes)
			}
			wantLayer := mediaTypeLayer
			if gz {
				wantLayer = mediaTypeLayerGzip
			}
			layer := blob(m.Layers[0], wantLayer)
			if gz {
				zr, err := gzip.NewReader(bytes.NewReader(layer))
				if err != nil {
					t.Fatal(err)
				}
				layer, err = io.ReadAll(zr)
				if err != nil {
					t.Fatal(err)
				}
			}
			if len(cfg.RootFS.DiffIDs) != 1 || cfg.RootFS.DiffIDs[0] != digestOf(layer) || cfg.RootFS.Type != "layers" {
				t.Errorf("%s: rootfs %+v, layer tar hashes to %s", p, cfg.RootFS, digestOf(layer))
			}
			checkLayer(t, layer, "usr/bin/app", "binary for "+p.String()+"\n")
		}
		if want := []string{"linux/amd64", "linux/arm/v6", "linux/arm/v7", "linux/arm64"}; !slices.Equal(got, want) {
			t.Errorf("image index lists %v, want %v", got, want)
		}
	}
}

// checkLayer wants the mount points, the entry point's directories, and
// the binary, sorted, with fixed owners, modes and times.
func checkLayer(t *testing.T, layer []byte, name, content string) {
	t.Helper()
	want := map[string]fs.FileMode{
		"dev/": fs.ModeDir | 0o755, "in/": fs.ModeDir | 0o755, "out/": fs.ModeDir | 0o755,
		"proc/": fs.ModeDir | 0o755, "sys/": fs.ModeDir | 0o755, "tmp/": fs.ModeDir | fs.ModeSticky | 0o777,
		"usr/": fs.ModeDir | 0o755, "usr/bin/": fs.ModeDir | 0o755, name: 0o755,
	}
	var names []string
	for _, e := range readTar(t, layer) {
		h := e.hdr
		names = append(names, h.Name)
		if mode, ok := want[h.Name]; !ok || h.FileInfo().Mode() != mode {
			t.Errorf("layer entry %s mode %v, want %v", h.Name, h.FileInfo().Mode(), mode)
		}
		if h.Uid != 0 || h.Gid != 0 || h.Uname != "" || h.Gname != "" || !h.ModTime.Equal(epoch) {
			t.Errorf("layer entry %s: owner %d:%d %q:%q, mtime %v", h.Name, h.Uid, h.Gid, h.Uname, h.Gname, h.ModTime)
		}
		if h.Name == name && string(e.data) != content {
			t.Errorf("binary is %q, want %q", e.data, content)
		}
	}
	if !slices.IsSorted(names) || len(names) != len(want) {
		t.Errorf("layer entries %v: want the %d of %v, sorted", names, len(want), want)
	}
}

func TestPackSharedBinaryOnce(t *testing.T) {
	bins := writeBins(t, "linux/arm/v6")
	bins[mustPlatform(t, "linux/arm/v7")] = bins[mustPlatform(t, "linux/arm/v6")]
	arch := pack(t, Options{}, bins)
	seen := map[string]bool{}
	for _, e := range readTar(t, arch) {
		if seen[e.hdr.Name] {
			t.Errorf("%s written twice", e.hdr.Name)
		}
		seen[e.hdr.Name] = true
	}
	ps, err := Platforms(bytes.NewReader(arch))
	if err != nil || len(ps) != 2 {
		t.Errorf("Platforms = %v, %v", ps, err)
	}
}

func TestPackErrors(t *testing.T) {
	bins := writeBins(t, "linux/amd64")
	for _, ep := range []string{"app", "/", "/usr/../app", "/app/", "/in", "/out/app", "/tmp/x", "/proc/self", "./app"} {
		err := Pack(io.Discard, ep, bins)
		if !errors.Is(err, ErrBadEntrypoint) || !strings.Contains(err.Error(), ep) {
			t.Errorf("entry point %q: %v, want ErrBadEntrypoint naming it", ep, err)
		}
	}
	if err := Pack(io.Discard, "", nil); !errors.Is(err, ErrNoBinaries) {
		t.Errorf("no binaries: %v", err)
	}

	dup := writeBins(t, "linux/arm/v7")
	dup[Platform{"linux", "arm", ""}] = dup[mustPlatform(t, "linux/arm/v7")]
	err := Pack(io.Discard, "", dup)
	if !errors.Is(err, ErrBadPlatform) || !strings.Contains(err.Error(), `"linux/arm" and "linux/arm/v7"`) {
		t.Errorf("duplicate platform: %v", err)
	}
	err = Pack(io.Discard, "", map[Platform]string{{"linux", "amd46", ""}: bins[mustPlatform(t, "linux/amd64")]})
	if !errors.Is(err, ErrBadPlatform) || !strings.Contains(err.Error(), "amd46") {
		t.Errorf("bad platform: %v", err)
	}

	missing := filepath.Join(t.TempDir(), "vanity-linux-arm64")
	err = Pack(io.Discard, "", map[Platform]string{mustPlatform(t, "linux/arm64"): missing})
	if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), missing) || !strings.Contains(err.Error(), "linux/arm64") {
		t.Errorf("missing binary: %v", err)
	}
}
