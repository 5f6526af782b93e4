package ociimage

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
)

// maxDepth bounds nested indexes (index.json -> index -> manifests is 2).
const maxDepth = 4

// Platforms reads an image archive from r to its end and lists the
// platforms it provides, sorted and without repeats. It reads OCI image
// layouts (oci-layout and index.json, nested image indexes included) and
// `docker save` archives (manifest.json), in any entry order, preferring
// the OCI layout when an archive has both, as containerd does. A
// manifest's platform comes from its descriptor, else from its config.
// Attestation manifests (platform unknown/unknown) are skipped.
//
// Every error about the archive's content wraps ErrNotImage.
func Platforms(r io.Reader) ([]Platform, error) {
	c, err := scan(r)
	if err != nil {
		return nil, err
	}
	imgs, err := c.images()
	if err != nil {
		return nil, err
	}
	var ps []Platform
	for _, im := range imgs {
		ps = append(ps, im.Platform)
	}
	slices.SortFunc(ps, func(a, b Platform) int { return strings.Compare(a.String(), b.String()) })
	return slices.Compact(ps), nil
}

// PlatformsFile is Platforms of the archive at path.
func PlatformsFile(path string) ([]Platform, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	ps, err := Platforms(bufio.NewReaderSize(f, 1<<16))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return ps, nil
}

// images lists the images of an archive, one per platform manifest.
func (c *contents) images() ([]Image, error) {
	var imgs []Image
	var err error
	_, hasLayout := c.sizes[layoutFile]
	_, hasIndex := c.sizes[indexFile]
	_, hasDocker := c.sizes[dockerFile]
	switch {
	case hasLayout:
		imgs, err = c.ociImages()
	case hasDocker:
		imgs, err = c.dockerImages()
	case hasIndex:
		return nil, notImage("index.json without oci-layout (containerd reads index.json only in an OCI layout)")
	default:
		return nil, notImage("no index.json and no manifest.json: neither an OCI image layout nor a `docker save` archive")
	}
	if err != nil {
		return nil, err
	}
	if len(imgs) == 0 {
		return nil, notImage("no image in the archive names a platform")
	}
	return imgs, nil
}

func (c *contents) ociImages() ([]Image, error) {
	b, err := c.jsonFile(layoutFile)
	if err != nil {
		return nil, err
	}
	var layout imageLayout
	if err := json.Unmarshal(b, &layout); err != nil {
		return nil, notImage("oci-layout: %v", err)
	}
	if layout.Version != layoutVersion {
		return nil, notImage("oci-layout: image layout version %q, want %q", layout.Version, layoutVersion)
	}
	b, err = c.jsonFile(indexFile)
	if err != nil {
		return nil, err
	}
	var imgs []Image
	return imgs, walkIndex(c, indexFile, b, 0, &imgs)
}

// source is where the walk over an image reads its blobs: an archive, or a
// registry.
type source interface {
	// blob is the content of a JSON blob, checked against its descriptor.
	blob(d descriptor) ([]byte, error)
	// present checks that a layer is there, as far as the source can tell
	// without reading it.
	present(d descriptor) error
}

// walkIndex adds the image of every manifest an index lists, directly or
// through nested indexes.
func walkIndex(c source, name string, b []byte, depth int, out *[]Image) error {
	var idx imageIndex
	if err := json.Unmarshal(b, &idx); err != nil {
		return notImage("%s: %v", name, err)
	}
	if idx.SchemaVersion != 2 {
		return notImage("%s: schemaVersion %d, want 2", name, idx.SchemaVersion)
	}
	for i, d := range idx.Manifests {
		where := fmt.Sprintf("%s manifests[%d]", name, i)
		switch {
		case isAttestation(d):
			continue
		case d.MediaType == mediaTypeIndex || d.MediaType == mediaTypeDockerList:
			if depth+1 >= maxDepth {
				return notImage("%s: indexes nested more than %d deep", where, maxDepth)
			}
			b, err := c.blob(d)
			if err != nil {
				return fmt.Errorf("%s: %w", where, err)
			}
			if err := walkIndex(c, "index "+d.Digest, b, depth+1, out); err != nil {
				return err
			}
		case d.MediaType == mediaTypeManifest || d.MediaType == mediaTypeDockerManifest:
			im, err := manifestImage(c, d)
			if err != nil {
				return fmt.Errorf("%s: %w", where, err)
			}
			*out = append(*out, im)
		case d.MediaType == "":
			return notImage("%s: descriptor without a mediaType", where)
		}
		// Other media types (artifacts, signatures) are not images.
	}
	return nil
}

// isAttestation tells the provenance and SBOM manifests that BuildKit adds
// beside the images; they run nowhere.
func isAttestation(d descriptor) bool {
	if d.Annotations["vnd.docker.reference.type"] == "attestation-manifest" {
		return true
	}
	return d.Platform != nil && d.Platform.OS == "unknown" && d.Platform.Architecture == "unknown"
}

// manifestImage checks a manifest, its config and its layers, and
// returns its image. The platform is the descriptor's, else the config's.
func manifestImage(c source, d descriptor) (Image, error) {
	b, err := c.blob(d)
	if err != nil {
		return Image{}, err
	}
	var m imageManifest
	if err := json.Unmarshal(b, &m); err != nil {
		return Image{}, notImage("manifest %s: %v", d.Digest, err)
	}
	if m.SchemaVersion != 2 {
		return Image{}, notImage("manifest %s: schemaVersion %d, want 2", d.Digest, m.SchemaVersion)
	}
	var layers []string
	for _, l := range m.Layers {
		if err := c.present(l); err != nil {
			return Image{}, fmt.Errorf("manifest %s: layer: %w", d.Digest, err)
		}
		layers = append(layers, blobPath(l.Digest))
	}
	cb, err := c.blob(m.Config)
	if err != nil {
		return Image{}, fmt.Errorf("manifest %s: config: %w", d.Digest, err)
	}
	im, err := configImage("config "+m.Config.Digest, cb)
	if err != nil {
		return Image{}, err
	}
	im.Layers = layers
	if d.Platform == nil || d.Platform.OS == "" || d.Platform.Architecture == "" {
		return im, nil
	}
	p := normalize(d.Platform.OS, d.Platform.Architecture, d.Platform.Variant)
	// Configs often leave out the variant; OS and architecture must agree.
	if p.OS != im.Platform.OS || p.Architecture != im.Platform.Architecture {
		return Image{}, notImage("manifest %s is listed for %s but its config says %s", d.Digest, p, im.Platform)
	}
	im.Platform = p
	return im, nil
}

// configImage reads an image config: its platform and what it runs.
func configImage(name string, b []byte) (Image, error) {
	var cfg imageConfig
	if err := json.Unmarshal(b, &cfg); err != nil {
		return Image{}, notImage("%s: %v", name, err)
	}
	if cfg.OS == "" || cfg.Architecture == "" {
		return Image{}, notImage("%s names no os and architecture", name)
	}
	return Image{
		Platform:   normalize(cfg.OS, cfg.Architecture, cfg.Variant),
		Entrypoint: cfg.Config.Entrypoint,
		Cmd:        cfg.Config.Cmd,
		WorkingDir: cfg.Config.WorkingDir,
	}, nil
}
