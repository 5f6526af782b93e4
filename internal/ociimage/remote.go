package ociimage

import (
	"fmt"
	"slices"
	"strings"
)

// Fetch reads the blob a digest names from wherever an image is kept (a
// registry); size is the size its descriptor gives, so that a fetcher can
// refuse more. RemotePlatforms checks what it returns against the digest.
type Fetch func(mediaType, digest string, size int64) ([]byte, error)

// RemotePlatforms lists the platforms of an image whose root, an index or
// a manifest, has the given media type, digest and size, reading only its
// indexes, manifests and configs through fetch (layers are left where they
// are). The list is sorted and without repeats, as Platforms gives it.
// Errors about the image's content wrap ErrNotImage.
func RemotePlatforms(mediaType, digest string, size int64, fetch Fetch) ([]Platform, error) {
	src := remote{fetch}
	root := descriptor{MediaType: mediaType, Digest: digest, Size: size}
	var imgs []Image
	switch mediaType {
	case mediaTypeIndex, mediaTypeDockerList:
		b, err := src.blob(root)
		if err != nil {
			return nil, err
		}
		if err := walkIndex(src, "index "+digest, b, 0, &imgs); err != nil {
			return nil, err
		}
	case mediaTypeManifest, mediaTypeDockerManifest:
		im, err := manifestImage(src, root)
		if err != nil {
			return nil, err
		}
		imgs = append(imgs, im)
	default:
		return nil, notImage("%s is a %q, not an image index or manifest", digest, mediaType)
	}
	if len(imgs) == 0 {
		return nil, notImage("no image in %s names a platform", digest)
	}
	var ps []Platform
	for _, im := range imgs {
		ps = append(ps, im.Platform)
	}
	slices.SortFunc(ps, func(a, b Platform) int { return strings.Compare(a.String(), b.String()) })
	return slices.Compact(ps), nil
}

// remote is a source that fetches blobs as they are needed.
type remote struct{ fetch Fetch }

func (r remote) blob(d descriptor) ([]byte, error) {
	if _, _, ok := cutDigest(d.Digest); !ok {
		return nil, notImage("bad digest %q", d.Digest)
	}
	if d.Size < 0 || d.Size > maxJSONBlob {
		return nil, notImage("%s: %d bytes is too large for JSON metadata", d.Digest, d.Size)
	}
	b, err := r.fetch(d.MediaType, d.Digest, d.Size)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", d.Digest, err)
	}
	if int64(len(b)) != d.Size || !matches(d.Digest, b) {
		return nil, notImage("blob %s does not hash to its digest", d.Digest)
	}
	return b, nil
}

// present leaves layers to whoever pulls the image: fetching them only to
// list platforms would cost their whole size.
func (remote) present(descriptor) error { return nil }
