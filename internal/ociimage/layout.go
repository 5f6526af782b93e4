package ociimage

// Media types of the OCI image spec, and Docker's older equivalents that
// `docker save` and registries still produce.
const (
	mediaTypeIndex     = "application/vnd.oci.image.index.v1+json"
	mediaTypeManifest  = "application/vnd.oci.image.manifest.v1+json"
	mediaTypeConfig    = "application/vnd.oci.image.config.v1+json"
	mediaTypeLayer     = "application/vnd.oci.image.layer.v1.tar"
	mediaTypeLayerGzip = "application/vnd.oci.image.layer.v1.tar+gzip"

	mediaTypeDockerList     = "application/vnd.docker.distribution.manifest.list.v2+json"
	mediaTypeDockerManifest = "application/vnd.docker.distribution.manifest.v2+json"
)

// Names in an image layout.
const (
	layoutFile    = "oci-layout"
	layoutVersion = "1.0.0"
	indexFile     = "index.json"
	dockerFile    = "manifest.json" // `docker save`'s list of images
)

// annotationRefName names an image in index.json; `ctr images import`
// turns it into the image's name.
const annotationRefName = "org.opencontainers.image.ref.name"

// The structures below hold only the fields this package writes or reads;
// their field order is the order Pack writes, which keeps output stable.

type descriptor struct {
	MediaType   string            `json:"mediaType"`
	Digest      string            `json:"digest"`
	Size        int64             `json:"size"`
	Annotations map[string]string `json:"annotations,omitempty"`
	Platform    *ociPlatform      `json:"platform,omitempty"`
}

type ociPlatform struct {
	Architecture string `json:"architecture"`
	OS           string `json:"os"`
	Variant      string `json:"variant,omitempty"`
}

type imageLayout struct {
	Version string `json:"imageLayoutVersion"`
}

type imageIndex struct {
	SchemaVersion int          `json:"schemaVersion"`
	MediaType     string       `json:"mediaType,omitempty"`
	Manifests     []descriptor `json:"manifests"`
}

type imageManifest struct {
	SchemaVersion int          `json:"schemaVersion"`
	MediaType     string       `json:"mediaType,omitempty"`
	Config        descriptor   `json:"config"`
	Layers        []descriptor `json:"layers"`
}

// imageConfig is an OCI image config, which is also what Docker writes.
type imageConfig struct {
	Architecture string     `json:"architecture"`
	OS           string     `json:"os"`
	Variant      string     `json:"variant,omitempty"`
	Config       execConfig `json:"config"`
	RootFS       rootFS     `json:"rootfs"`
}

type execConfig struct {
	Entrypoint []string `json:"Entrypoint,omitempty"`
	Cmd        []string `json:"Cmd,omitempty"`
	WorkingDir string   `json:"WorkingDir,omitempty"`
}

type rootFS struct {
	Type    string   `json:"type"`
	DiffIDs []string `json:"diff_ids"`
}

// dockerImage is one entry of a `docker save` manifest.json; paths are
// relative to the archive's root.
type dockerImage struct {
	Config   string
	RepoTags []string
	Layers   []string
}

// blobPath is where a layout keeps the blob of a digest "alg:hex".
func blobPath(digest string) string {
	alg, hex, _ := cutDigest(digest)
	return "blobs/" + alg + "/" + hex
}
