package ociimage

import (
	"archive/tar"
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
)

// DefaultEntrypoint is where Pack puts the binary when Options.Entrypoint
// is empty.
const DefaultEntrypoint = "/app"

// Options say how Pack builds the images. The zero value works.
type Options struct {
	// Entrypoint is the binary's absolute path in the image, and the
	// image's entry point. Default DefaultEntrypoint ("/app").
	Entrypoint string
	// RefName, if set, annotates the image in index.json with
	// org.opencontainers.image.ref.name, which `ctr images import` turns
	// into an image name (a bare tag such as "vanity" gets ctr's
	// "import-DATE:" prefix; a full reference such as
	// "hearth.local/vanity:1" is kept). Default none: importers name the
	// image themselves (containerd's WithIndexName or WithDigestRef).
	RefName string
	// Mode is the binary's file mode. Default 0755; the sandbox's tests
	// pack a setuid-root binary (04755) to check that it gains nothing.
	Mode int64
	// Gzip compresses the layers. Default off: a device unpacks an
	// uncompressed layer faster, and the agent caches apps by digest
	// anyway; gzip halves the archive for slow links.
	Gzip bool
}

func (o Options) mode() int64 {
	if o.Mode == 0 {
		return 0o755
	}
	return o.Mode
}

// Pack writes an OCI image archive to w holding, for each platform in
// bins, an image whose only program is the binary at the path bins maps it
// to, installed at entrypoint (DefaultEntrypoint if empty).
func Pack(w io.Writer, entrypoint string, bins map[Platform]string) error {
	return Options{Entrypoint: entrypoint}.Pack(w, bins)
}

// Pack writes the archive as the options say. Same options and same binary
// contents give the same bytes.
//
// The archive holds oci-layout, the blobs (per platform, sorted by
// platform: layer, config, manifest; then the image index) and index.json
// last, which names the image index. Platforms are normalised first (two
// that normalise alike are an error wrapping ErrBadPlatform). A binary is
// read whole into memory, one at a time. On an error after the first
// write, w holds part of an archive: write to a temporary file and rename.
func (o Options) Pack(w io.Writer, bins map[Platform]string) error {
	entrypoint := o.Entrypoint
	if entrypoint == "" {
		entrypoint = DefaultEntrypoint
	}
	if err := checkEntrypoint(entrypoint); err != nil {
		return err
	}
	if len(bins) == 0 {
		return ErrNoBinaries
	}
	type target struct {
		p, given Platform
		bin      string
	}
	var targets []target
	for p, bin := range bins {
		n := normalize(p.OS, p.Architecture, p.Variant)
		if err := n.validate(); err != nil {
			return fmt.Errorf("%w; got %q (%s)", ErrBadPlatform, p, err)
		}
		targets = append(targets, target{n, p, bin})
	}
	slices.SortFunc(targets, func(a, b target) int {
		return cmp.Or(strings.Compare(a.p.String(), b.p.String()), strings.Compare(a.given.String(), b.given.String()))
	})
	for i := 1; i < len(targets); i++ {
		if a, b := targets[i-1], targets[i]; a.p == b.p {
			return fmt.Errorf("%w: %q and %q are the same platform, %s", ErrBadPlatform, a.given, b.given, a.p)
		}
	}

	// A missing binary is found before anything is written.
	for _, t := range targets {
		fi, err := os.Stat(t.bin)
		if err != nil {
			return fmt.Errorf("%s: %w", t.p, err)
		}
		if !fi.Mode().IsRegular() {
			return fmt.Errorf("%s: %s is not a regular file", t.p, t.bin)
		}
	}

	aw := newArchiveWriter(w)
	if err := aw.file(layoutFile, mustJSON(imageLayout{Version: layoutVersion})); err != nil {
		return err
	}
	for _, d := range []string{"blobs/", "blobs/sha256/"} {
		if err := aw.dir(d); err != nil {
			return err
		}
	}
	idx := imageIndex{SchemaVersion: 2, MediaType: mediaTypeIndex}
	for _, t := range targets {
		bin, err := os.ReadFile(t.bin)
		if err != nil {
			return fmt.Errorf("%s: %w", t.p, err)
		}
		m, err := aw.image(t.p, entrypoint, bin, o.Gzip, o.mode())
		if err != nil {
			return fmt.Errorf("%s: %w", t.p, err)
		}
		idx.Manifests = append(idx.Manifests, m)
	}
	top, err := aw.blob(mediaTypeIndex, mustJSON(idx))
	if err != nil {
		return err
	}
	if o.RefName != "" {
		top.Annotations = map[string]string{annotationRefName: o.RefName}
	}
	index := imageIndex{SchemaVersion: 2, MediaType: mediaTypeIndex, Manifests: []descriptor{top}}
	if err := aw.file(indexFile, mustJSON(index)); err != nil {
		return err
	}
	return aw.tw.Close()
}

// image writes one platform's layer, config and manifest, and returns the
// manifest's descriptor.
func (aw *archiveWriter) image(p Platform, entrypoint string, bin []byte, gz bool, mode int64) (descriptor, error) {
	l, err := buildLayer(entrypoint, bin, gz, mode)
	if err != nil {
		return descriptor{}, err
	}
	layerDesc, err := aw.blob(l.mediaType, l.blob)
	if err != nil {
		return descriptor{}, err
	}
	cfg := imageConfig{
		Architecture: p.Architecture,
		OS:           p.OS,
		Variant:      p.Variant,
		Config:       execConfig{Entrypoint: []string{entrypoint}, WorkingDir: "/"},
		RootFS:       rootFS{Type: "layers", DiffIDs: []string{l.diffID}},
	}
	cfgDesc, err := aw.blob(mediaTypeConfig, mustJSON(cfg))
	if err != nil {
		return descriptor{}, err
	}
	m := imageManifest{SchemaVersion: 2, MediaType: mediaTypeManifest, Config: cfgDesc, Layers: []descriptor{layerDesc}}
	md, err := aw.blob(mediaTypeManifest, mustJSON(m))
	if err != nil {
		return descriptor{}, err
	}
	md.Platform = &ociPlatform{Architecture: p.Architecture, OS: p.OS, Variant: p.Variant}
	return md, nil
}

// archiveWriter writes the outer tar, each blob once.
type archiveWriter struct {
	tw      *tar.Writer
	written map[string]bool
}

func newArchiveWriter(w io.Writer) *archiveWriter {
	return &archiveWriter{tw: tar.NewWriter(w), written: map[string]bool{}}
}

func (aw *archiveWriter) dir(name string) error {
	return aw.tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: name, Mode: 0o755, ModTime: epoch})
}

func (aw *archiveWriter) file(name string, b []byte) error {
	hdr := &tar.Header{Typeflag: tar.TypeReg, Name: name, Mode: 0o644, Size: int64(len(b)), ModTime: epoch}
	if err := aw.tw.WriteHeader(hdr); err != nil {
		return err
	}
	_, err := aw.tw.Write(b)
	return err
}

// blob writes b under its digest, unless an identical blob (two platforms
// sharing a binary) is already there.
func (aw *archiveWriter) blob(mediaType string, b []byte) (descriptor, error) {
	d := descriptor{MediaType: mediaType, Digest: digestOf(b), Size: int64(len(b))}
	if aw.written[d.Digest] {
		return d, nil
	}
	aw.written[d.Digest] = true
	return d, aw.file(blobPath(d.Digest), b)
}

// mustJSON marshals the package's own structures, which cannot fail.
func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}
