package ociimage

import (
	"archive/tar"
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"path"
)

// Bounds on what reading an archive keeps in memory. Manifests, indexes
// and configs are a few KiB; layers are skipped whatever their size.
const (
	maxJSONBlob = 1 << 20  // a larger entry is taken for a layer
	maxJSONAll  = 32 << 20 // all JSON entries together
)

// contents is what a pass over an archive keeps: the JSON entries, and the
// name and size of every regular file, so that references to layers can be
// checked without keeping them.
type contents struct {
	json  map[string][]byte
	sizes map[string]int64
	links map[string]string // symlink name -> target, as `docker save` once wrote layers
}

// notImage wraps ErrNotImage with what is wrong.
func notImage(format string, a ...any) error {
	return fmt.Errorf("%w: %s", ErrNotImage, fmt.Sprintf(format, a...))
}

// scan reads a tar stream to its end. Entry names are cleaned ("./x" is
// "x"), as containerd cleans them.
func scan(r io.Reader) (*contents, error) {
	br := bufio.NewReader(r)
	if magic, _ := br.Peek(2); bytes.Equal(magic, []byte{0x1f, 0x8b}) {
		return nil, notImage("the archive is gzip-compressed; containerd imports a plain tar, so gunzip it first")
	}
	c := &contents{json: map[string][]byte{}, sizes: map[string]int64{}, links: map[string]string{}}
	tr := tar.NewReader(br)
	var kept int
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return c, nil
		}
		if errors.Is(err, tar.ErrHeader) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, tar.ErrFieldTooLong) {
			return nil, fmt.Errorf("%w: not a tar archive, or a truncated one: %w", ErrNotImage, err)
		}
		if err != nil {
			return nil, fmt.Errorf("read image archive: %w", err)
		}
		name := path.Clean(hdr.Name)
		switch hdr.Typeflag {
		case tar.TypeSymlink:
			c.links[name] = path.Join(path.Dir(name), hdr.Linkname)
		case tar.TypeReg:
			c.sizes[name] = hdr.Size
			if hdr.Size > maxJSONBlob {
				continue // tar.Reader skips the rest at Next
			}
			b, err := io.ReadAll(tr)
			if errors.Is(err, io.ErrUnexpectedEOF) {
				return nil, fmt.Errorf("%w: truncated in %s: %w", ErrNotImage, hdr.Name, err)
			}
			if err != nil {
				return nil, fmt.Errorf("read image archive: %s: %w", hdr.Name, err)
			}
			if !looksJSON(b) {
				continue
			}
			if kept += len(b); kept > maxJSONAll {
				return nil, notImage("more than %d MiB of JSON entries", maxJSONAll>>20)
			}
			c.json[name] = b
		}
	}
}

// looksJSON tells a JSON document from a layer (a tar, or compressed).
func looksJSON(b []byte) bool {
	b = bytes.TrimLeft(b, " \t\r\n")
	return len(b) > 0 && (b[0] == '{' || b[0] == '[')
}

// resolve follows symlinks to a regular file's name.
func (c *contents) resolve(name string) string {
	for range 8 {
		target, ok := c.links[name]
		if !ok {
			break
		}
		name = target
	}
	return name
}

// size is the size of the regular file at name.
func (c *contents) size(name string) (int64, bool) {
	n, ok := c.sizes[c.resolve(name)]
	return n, ok
}

// jsonFile is the JSON entry at name.
func (c *contents) jsonFile(name string) ([]byte, error) {
	name = c.resolve(name)
	n, ok := c.sizes[name]
	switch {
	case !ok:
		return nil, notImage("%s is missing", name)
	case c.json[name] == nil && n > maxJSONBlob:
		return nil, notImage("%s is %d bytes, too large for JSON metadata", name, n)
	case c.json[name] == nil:
		return nil, notImage("%s is not JSON", name)
	}
	return c.json[name], nil
}

// blob is the content of a JSON blob named by a descriptor, checked
// against the descriptor's size and digest.
func (c *contents) blob(d descriptor) ([]byte, error) {
	if err := c.present(d); err != nil {
		return nil, err
	}
	b, err := c.jsonFile(blobPath(d.Digest))
	if err != nil {
		return nil, err
	}
	if !matches(d.Digest, b) {
		return nil, notImage("blob %s does not hash to its digest", d.Digest)
	}
	return b, nil
}

// present checks that the blob a descriptor names is in the archive with
// the descriptor's size; its content is not read (layers are not kept).
func (c *contents) present(d descriptor) error {
	if _, _, ok := cutDigest(d.Digest); !ok {
		return notImage("malformed digest %q", d.Digest)
	}
	n, ok := c.size(blobPath(d.Digest))
	switch {
	case !ok:
		return notImage("blob %s (%s) is missing", d.Digest, d.MediaType)
	case n != d.Size:
		return notImage("blob %s is %d bytes, its descriptor says %d", d.Digest, n, d.Size)
	}
	return nil
}
