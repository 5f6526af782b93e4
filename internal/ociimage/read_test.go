package ociimage

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// file is an entry for makeTar; link makes a symlink.
type file struct {
	name string
	data []byte
	link string
}

func makeTar(t *testing.T, files []file) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, f := range files {
		hdr := &tar.Header{Typeflag: tar.TypeReg, Name: f.name, Mode: 0o644, Size: int64(len(f.data))}
		if f.link != "" {
			hdr = &tar.Header{Typeflag: tar.TypeSymlink, Name: f.name, Linkname: f.link}
		}
		if err := tw.WriteHeader(hdr); err != nil {
			t.Fatal(err)
		}
		tw.Write(f.data)
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// entriesOf lists a packed archive's regular files in order.
func entriesOf(t *testing.T, arch []byte) []file {
	t.Helper()
	var out []file
	for _, e := range readTar(t, arch) {
		if e.hdr.Typeflag == tar.TypeReg {
			out = append(out, file{name: e.hdr.Name, data: e.data})
		}
	}
	return out
}

// edit repacks an archive with f applied to each regular file; f returns
// false to drop the file.
func edit(t *testing.T, arch []byte, f func(*file) bool) []byte {
	t.Helper()
	var kept []file
	for _, e := range entriesOf(t, arch) {
		if f(&e) {
			kept = append(kept, e)
		}
	}
	return makeTar(t, kept)
}

func platformStrings(ps []Platform) []string {
	var s []string
	for _, p := range ps {
		s = append(s, p.String())
	}
	return s
}

var wantFour = []string{"linux/amd64", "linux/arm/v6", "linux/arm/v7", "linux/arm64"}

func wantPlatforms(t *testing.T, arch []byte, want []string) {
	t.Helper()
	ps, err := Platforms(bytes.NewReader(arch))
	if err != nil {
		t.Fatalf("Platforms: %v", err)
	}
	if got := platformStrings(ps); !slices.Equal(got, want) {
		t.Errorf("Platforms = %v, want %v", got, want)
	}
}

func wantNotImage(t *testing.T, what string, arch []byte, msg string) {
	t.Helper()
	_, err := Platforms(bytes.NewReader(arch))
	if !errors.Is(err, ErrNotImage) || !strings.Contains(err.Error(), msg) {
		t.Errorf("%s: error %v, want ErrNotImage saying %q", what, err, msg)
	}
}

func TestPlatformsOfPack(t *testing.T) {
	arch := pack(t, Options{}, writeBins(t, fourPlatforms...))
	wantPlatforms(t, arch, wantFour)

	path := filepath.Join(t.TempDir(), "app.oci.tar")
	os.WriteFile(path, arch, 0o644)
	if ps, err := PlatformsFile(path); err != nil || !slices.Equal(platformStrings(ps), wantFour) {
		t.Errorf("PlatformsFile = %v, %v", ps, err)
	}
	if _, err := PlatformsFile(path + ".missing"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("PlatformsFile of a missing file: %v", err)
	}
	os.WriteFile(path, []byte("garbage"), 0o644)
	if _, err := PlatformsFile(path); !errors.Is(err, ErrNotImage) || !strings.Contains(err.Error(), path) {
		t.Errorf("PlatformsFile of garbage: %v, want ErrNotImage naming the file", err)
	}
}

// Entries may come in any order, with "./" in front, and with directory
// entries or not.
func TestPlatformsAnyOrder(t *testing.T) {
	entries := entriesOf(t, pack(t, Options{Gzip: true}, writeBins(t, fourPlatforms...)))
	rng := rand.New(rand.NewPCG(1, 2))
	for range 5 {
		rng.Shuffle(len(entries), func(i, j int) { entries[i], entries[j] = entries[j], entries[i] })
		wantPlatforms(t, makeTar(t, entries), wantFour)
	}
	slices.Reverse(entries)
	for i := range entries {
		entries[i].name = "./" + entries[i].name
	}
	wantPlatforms(t, makeTar(t, entries), wantFour)
}

// index.json may list the manifests directly; a descriptor without a
// platform takes its config's.
func TestPlatformsFlatIndex(t *testing.T) {
	arch := pack(t, Options{}, writeBins(t, "linux/amd64", "linux/arm/v6"))
	blobs := files(t, arch)
	var top, idx imageIndex
	decode(t, blobs["index.json"], &top)
	decode(t, blobs[blobPath(top.Manifests[0].Digest)], &idx)
	flat, _ := json.Marshal(idx)
	wantPlatforms(t, edit(t, arch, func(f *file) bool {
		if f.name == "index.json" {
			f.data = flat
		}
		return true
	}), []string{"linux/amd64", "linux/arm/v6"})

	for i := range idx.Manifests {
		idx.Manifests[i].Platform = nil
	}
	// A BuildKit attestation is no image.
	idx.Manifests = append(idx.Manifests, descriptor{
		MediaType:   mediaTypeManifest,
		Digest:      digestOf([]byte("attestation")),
		Size:        11,
		Platform:    &ociPlatform{OS: "unknown", Architecture: "unknown"},
		Annotations: map[string]string{"vnd.docker.reference.type": "attestation-manifest"},
	})
	bare, _ := json.Marshal(idx)
	wantPlatforms(t, edit(t, arch, func(f *file) bool {
		if f.name == "index.json" {
			f.data = bare
		}
		return true
	}), []string{"linux/amd64", "linux/arm/v6"})
}

func TestPlatformsDockerSave(t *testing.T) {
	cfg := func(arch, variant string) []byte {
		b, _ := json.Marshal(imageConfig{OS: "linux", Architecture: arch, Variant: variant})
		return b
	}
	layer := makeTar(t, []file{{name: "app", data: []byte("binary")}})
	arch := makeTar(t, []file{
		{name: "abc/layer.tar", data: layer},
		{name: "def/layer.tar", link: "../abc/layer.tar"},
		{name: "manifest.json", data: []byte(`[
			{"Config":"abc.json","RepoTags":["vanity:latest"],"Layers":["abc/layer.tar"]},
			{"Config":"def.json","RepoTags":null,"Layers":["def/layer.tar"]}]`)},
		{name: "abc.json", data: cfg("arm", "")},
		{name: "def.json", data: cfg("aarch64", "v8")},
		{name: "repositories", data: []byte(`{"vanity":{"latest":"abc"}}`)},
	})
	wantPlatforms(t, arch, []string{"linux/arm/v7", "linux/arm64"})

	noLayer := makeTar(t, []file{
		{name: "manifest.json", data: []byte(`[{"Config":"abc.json","Layers":["abc/layer.tar"]}]`)},
		{name: "abc.json", data: cfg("amd64", "")},
	})
	wantNotImage(t, "docker save without its layer", noLayer, "layer abc/layer.tar is missing")
	noConfig := makeTar(t, []file{
		{name: "manifest.json", data: []byte(`[{"Config":"abc.json","Layers":[]}]`)},
	})
	wantNotImage(t, "docker save without its config", noConfig, "abc.json is missing")
}

func TestPlatformsNotImage(t *testing.T) {
	arch := pack(t, Options{}, writeBins(t, fourPlatforms...))
	blobs := files(t, arch)
	var top imageIndex
	decode(t, blobs["index.json"], &top)
	var idx imageIndex
	decode(t, blobs[blobPath(top.Manifests[0].Digest)], &idx)
	var m imageManifest
	decode(t, blobs[blobPath(idx.Manifests[0].Digest)], &m)
	drop := func(name string) []byte {
		return edit(t, arch, func(f *file) bool { return f.name != name })
	}
	replace := func(name string, data []byte) []byte {
		return edit(t, arch, func(f *file) bool {
			if f.name == name {
				f.data = data
			}
			return true
		})
	}
	var zipped bytes.Buffer
	zw := gzip.NewWriter(&zipped)
	zw.Write(arch)
	zw.Close()
	random := make([]byte, 4096)
	rand.NewChaCha8([32]byte{3, 4}).Read(random)
	badSize := top
	badSize.Manifests = slices.Clone(top.Manifests)
	badSize.Manifests[0].Size++
	badSizeJSON, _ := json.Marshal(badSize)
	wrongPlatform := idx
	wrongPlatform.Manifests = slices.Clone(idx.Manifests)
	wrongPlatform.Manifests[0].Platform = &ociPlatform{OS: "linux", Architecture: "riscv64"}
	wrongPlatformJSON, _ := json.Marshal(wrongPlatform)

	for _, tc := range []struct {
		what string
		arch []byte
		msg  string
	}{
		{"empty", nil, "no index.json and no manifest.json"},
		{"text", []byte("this is not a program\n"), "not a tar archive"},
		{"random bytes", random, "not a tar archive"},
		{"a tar of other files", makeTar(t, []file{{name: "README", data: []byte("hi")}}), "no index.json and no manifest.json"},
		{"gzipped", zipped.Bytes(), "gunzip"},
		{"no oci-layout", drop("oci-layout"), "index.json without oci-layout"},
		{"layout version", replace("oci-layout", []byte(`{"imageLayoutVersion":"2.0.0"}`)), `version "2.0.0"`},
		{"no index.json", drop("index.json"), "index.json is missing"},
		{"index.json not JSON", replace("index.json", []byte("index")), "index.json is not JSON"},
		{"index.json bad JSON", replace("index.json", []byte(`{"schemaVersion":2,"manifests":[`)), "index.json: unexpected end of JSON"},
		{"index.json schema", replace("index.json", []byte(`{"schemaVersion":1,"manifests":[]}`)), "schemaVersion 1"},
		{"no images", replace("index.json", []byte(`{"schemaVersion":2,"manifests":[]}`)), "no image"},
		{"no media type", replace("index.json", []byte(`{"schemaVersion":2,"manifests":[{"digest":"sha256:00","size":1}]}`)), "without a mediaType"},
		{"bad digest", replace("index.json", []byte(`{"schemaVersion":2,"manifests":[{"mediaType":"`+mediaTypeManifest+`","digest":"sha256:00","size":1}]}`)), `malformed digest "sha256:00"`},
		{"size", replace("index.json", badSizeJSON), "its descriptor says"},
		{"nested index missing", drop(blobPath(top.Manifests[0].Digest)), "is missing"},
		{"manifest missing", drop(blobPath(idx.Manifests[0].Digest)), "is missing"},
		{"config missing", drop(blobPath(m.Config.Digest)), "config: " + ErrNotImage.Error() + ": blob " + m.Config.Digest},
		{"layer missing", drop(blobPath(m.Layers[0].Digest)), "layer: " + ErrNotImage.Error() + ": blob " + m.Layers[0].Digest},
		{"config tampered", replace(blobPath(m.Config.Digest), bytes.Replace(blobs[blobPath(m.Config.Digest)], []byte("amd64"), []byte("arm64"), 1)), "does not hash to its digest"},
		{"nested index replaced", replace(blobPath(top.Manifests[0].Digest), wrongPlatformJSON), "its descriptor says"},
	} {
		wantNotImage(t, tc.what, tc.arch, tc.msg)
	}

	// A descriptor's platform that its config contradicts; the index is
	// rewritten whole so that every digest holds.
	nested, _ := json.Marshal(wrongPlatform)
	top2 := top
	top2.Manifests = []descriptor{{MediaType: mediaTypeIndex, Digest: digestOf(nested), Size: int64(len(nested))}}
	top2JSON, _ := json.Marshal(top2)
	contradicted := edit(t, arch, func(f *file) bool {
		if f.name == "index.json" {
			f.data = top2JSON
		}
		return true
	})
	contradicted = makeTar(t, append(entriesOf(t, contradicted), file{name: blobPath(digestOf(nested)), data: nested}))
	wantNotImage(t, "platform and config disagree", contradicted, "is listed for linux/riscv64 but its config says linux/amd64")
}

// Any cut before the end of the last entry (index.json) is caught: inside
// an entry the tar is truncated; at an entry's end what follows is
// missing.
func TestPlatformsTruncated(t *testing.T) {
	arch := pack(t, Options{}, writeBins(t, fourPlatforms...))
	blobs := files(t, arch)
	padded := (len(blobs["index.json"]) + 511) / 512 * 512
	end := len(arch) - 1024 - padded + len(blobs["index.json"])
	for cut := 0; cut < end; cut += 97 {
		wantNotImage(t, "cut at "+strconv.Itoa(cut), arch[:cut], "")
	}
	wantNotImage(t, "cut in index.json", arch[:end-1], "truncated")
}
