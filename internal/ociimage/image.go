package ociimage

import (
	"archive/tar"
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strings"
)

// Image is one platform's image in an archive: what a runtime without
// containerd needs to unpack and run it.
type Image struct {
	Platform   Platform
	Entrypoint []string
	Cmd        []string
	WorkingDir string
	// Layers are the archive entries holding the image's layers, bottom
	// first: tars, plain or compressed.
	Layers []string
}

// SelectFile reads the image archive at path and returns the image of
// the first of want it has, by containerd's matching rule (an arm/v7
// device listing linux/arm/v7 takes a v6 image when there is no v7 one).
// An archive with none of them fails with an error wrapping ErrNoPlatform
// that names the platforms it has; a malformed one wraps ErrNotImage.
func SelectFile(path string, want []Platform) (*Image, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	c, err := scan(bufio.NewReaderSize(f, 1<<16))
	if err != nil {
		return nil, err
	}
	imgs, err := c.images()
	if err != nil {
		return nil, err
	}
	for _, w := range want {
		for _, im := range imgs {
			if im.Platform == FromSpec(w.Spec()) {
				return &im, nil
			}
		}
	}
	for _, w := range want {
		for _, im := range imgs {
			if w.Runs(im.Platform) {
				return &im, nil
			}
		}
	}
	var has []string
	for _, im := range imgs {
		has = append(has, im.Platform.String())
	}
	return nil, fmt.Errorf("%w: it has %s", ErrNoPlatform, strings.Join(has, ", "))
}

// ErrNoPlatform is returned by SelectFile when an archive has no image
// for the platforms asked for.
var ErrNoPlatform = errors.New("no image for this device's platform")

// EachLayer calls apply with each of im's layers, bottom first, read from
// the archive at path (one pass over the archive per layer: images have
// few).
func (im *Image) EachLayer(archive string, apply func(name string, r io.Reader) error) error {
	for _, name := range im.Layers {
		if err := readEntry(archive, name, func(r io.Reader) error { return apply(name, r) }); err != nil {
			return err
		}
	}
	return nil
}

// readEntry calls f with the content of the regular file name in the tar
// archive at file.
func readEntry(file, name string, f func(r io.Reader) error) error {
	fh, err := os.Open(file)
	if err != nil {
		return err
	}
	defer fh.Close()
	tr := tar.NewReader(bufio.NewReaderSize(fh, 1<<16))
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return notImage("layer %s is missing", name)
		}
		if err != nil {
			return fmt.Errorf("%w: %s: %w", ErrNotImage, file, err)
		}
		if hdr.Typeflag == tar.TypeReg && path.Clean(hdr.Name) == name {
			return f(tr)
		}
	}
}
