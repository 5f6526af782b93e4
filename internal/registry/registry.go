// Package registry resolves image references against OCI registries: a
// tag to the digest every task of a job then runs, and the platforms the
// image provides. The gateway resolves at submit; agents pull by the
// digest it pinned (sandbox/containerd).
//
// Registries are reached over HTTPS, except loopback ones and those the
// owner lists as insecure, reached over plain HTTP (a registry on the home
// network seldom has a certificate). Credentials are not supported yet:
// only public and home registries work.
package registry

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"

	"github.com/containerd/containerd/v2/core/remotes"
	"github.com/containerd/containerd/v2/core/remotes/docker"
	"github.com/containerd/errdefs"
	"github.com/distribution/reference"
	"github.com/opencontainers/go-digest"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"

	"github.com/hearth-home/hearth/internal/ociimage"
)

// Errors, for errors.Is.
var (
	// ErrBadRef: the reference does not parse.
	ErrBadRef = errors.New("bad image reference")
	// ErrNotFound: the registry answered and has no such image.
	ErrNotFound = errors.New("image not found in its registry")
	// ErrUnreachable: the registry did not answer, or not as a registry.
	ErrUnreachable = errors.New("registry unreachable")
)

// Options say how to reach registries.
type Options struct {
	// Insecure lists registries ("host" or "host:port") reached over plain
	// HTTP. Loopback registries always are.
	Insecure []string
	// Client makes the requests; nil for a default one.
	Client *http.Client
}

// Resolver is a containerd resolver with these options.
func (o Options) Resolver() remotes.Resolver {
	ropts := []docker.RegistryOpt{docker.WithPlainHTTP(o.plainHTTP)}
	if o.Client != nil {
		ropts = append(ropts, docker.WithClient(o.Client))
	}
	return docker.NewResolver(docker.ResolverOptions{Hosts: docker.ConfigureDefaultRegistries(ropts...)})
}

func (o Options) plainHTTP(host string) (bool, error) {
	if slices.Contains(o.Insecure, host) {
		return true, nil
	}
	return docker.MatchLocalhost(host)
}

// Normalize gives a reference its full form, as Docker reads it:
// "alpine" is "docker.io/library/alpine:latest".
func Normalize(ref string) (reference.Named, error) {
	if strings.TrimSpace(ref) != ref || ref == "" {
		return nil, fmt.Errorf("%w %q: empty, or space around it", ErrBadRef, ref)
	}
	named, err := reference.ParseDockerRef(ref)
	if err != nil {
		return nil, fmt.Errorf("%w %q: %v", ErrBadRef, ref, err)
	}
	return named, nil
}

// Image is a resolved reference.
type Image struct {
	// Ref is the reference pinned to its digest, tag kept for people:
	// "registry.lan:5000/vanity:1@sha256:...".
	Ref string
	// Digest is the digest of the image's root: its index, or its manifest.
	Digest string
	// Platforms are the platforms the image provides, sorted.
	Platforms []string
}

// Resolve finds what a reference names now, reading the image's indexes,
// manifests and configs but not its layers.
func Resolve(ctx context.Context, ref string, o Options) (Image, error) {
	named, err := Normalize(ref)
	if err != nil {
		return Image{}, err
	}
	r := o.Resolver()
	name, desc, err := r.Resolve(ctx, named.String())
	if err != nil {
		return Image{}, classify(named.String(), err)
	}
	fetcher, err := r.Fetcher(ctx, name)
	if err != nil {
		return Image{}, classify(named.String(), err)
	}
	ps, err := ociimage.RemotePlatforms(desc.MediaType, desc.Digest.String(), desc.Size,
		func(mediaType, dgst string, size int64) ([]byte, error) {
			rc, err := fetcher.Fetch(ctx, ocispec.Descriptor{MediaType: mediaType, Digest: digest.Digest(dgst), Size: size})
			if err != nil {
				return nil, classify(named.String(), err)
			}
			defer rc.Close()
			return io.ReadAll(io.LimitReader(rc, size+1))
		})
	if err != nil {
		return Image{}, fmt.Errorf("%s: %w", named, err)
	}
	pinned, err := reference.WithDigest(named, desc.Digest)
	if err != nil {
		return Image{}, fmt.Errorf("%w %q: %v", ErrBadRef, ref, err)
	}
	img := Image{Ref: pinned.String(), Digest: desc.Digest.String()}
	for _, p := range ps {
		img.Platforms = append(img.Platforms, p.String())
	}
	return img, nil
}

// classify wraps a resolver's error in this package's errors.
func classify(ref string, err error) error {
	switch {
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("%w: %s: %w", ErrUnreachable, ref, err)
	case errdefs.IsNotFound(err):
		return fmt.Errorf("%w: %s: %v", ErrNotFound, ref, err)
	default:
		return fmt.Errorf("%w: %s: %v", ErrUnreachable, ref, err)
	}
}

// InsecureFlag is the help of the --insecure-registry flag that the gateway
// and the agent share.
const InsecureFlag = "comma-separated registries (host or host:port) reached over plain HTTP, for\noci jobs with image: a reference (loopback registries always are)"

// SplitHosts reads an --insecure-registry value.
func SplitHosts(s string) []string {
	var out []string
	for _, h := range strings.Split(s, ",") {
		if h = strings.TrimSpace(h); h != "" {
			out = append(out, h)
		}
	}
	return out
}
