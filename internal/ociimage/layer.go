package ociimage

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"fmt"
	"path"
	"slices"
	"strings"
	"time"
)

// mountPoints are the empty directories every image holds, so that the
// sandbox can mount /in, /out and a scratch /tmp, and the OCI runtime its
// /dev, /proc and /sys, over a root file system that stays read-only.
var mountPoints = []string{"dev", "in", "out", "proc", "sys", "tmp"}

// epoch is every entry's mtime: the output must not depend on when or from
// which files it was built.
var epoch = time.Unix(0, 0)

// checkEntrypoint accepts a clean absolute path to a file that lies
// outside the mount points.
func checkEntrypoint(p string) error {
	if !path.IsAbs(p) || path.Clean(p) != p || p == "/" {
		return fmt.Errorf("%w %q: want a clean absolute file path such as /app", ErrBadEntrypoint, p)
	}
	top, _, _ := strings.Cut(p[1:], "/")
	if slices.Contains(mountPoints, top) {
		return fmt.Errorf("%w %q: /%s is a mount point, hidden at run time", ErrBadEntrypoint, p, top)
	}
	return nil
}

// layer is an image's one layer: the mount points, the directories above
// the entry point, and the binary, as a tar (digest and size of which are
// the diff ID) optionally gzipped. Entries are sorted by name, owned by
// 0:0 with no owner names, and dated epoch.
type layer struct {
	blob      []byte
	diffID    string
	mediaType string
}

func buildLayer(entrypoint string, bin []byte, gz bool, mode int64) (layer, error) {
	name := entrypoint[1:]
	dirs := slices.Clone(mountPoints)
	for d := path.Dir(name); d != "."; d = path.Dir(d) {
		dirs = append(dirs, d)
	}
	type entry struct {
		hdr  *tar.Header
		data []byte
	}
	var entries []entry
	for _, d := range dirs {
		mode := int64(0o755)
		if d == "tmp" {
			mode = 0o1777
		}
		entries = append(entries, entry{hdr: &tar.Header{Typeflag: tar.TypeDir, Name: d + "/", Mode: mode, ModTime: epoch}})
	}
	entries = append(entries, entry{
		hdr:  &tar.Header{Typeflag: tar.TypeReg, Name: name, Mode: mode, Size: int64(len(bin)), ModTime: epoch},
		data: bin,
	})
	slices.SortFunc(entries, func(a, b entry) int { return strings.Compare(a.hdr.Name, b.hdr.Name) })

	var tarball bytes.Buffer
	tw := tar.NewWriter(&tarball)
	for _, e := range entries {
		if err := tw.WriteHeader(e.hdr); err != nil {
			return layer{}, fmt.Errorf("layer entry %s: %w", e.hdr.Name, err)
		}
		if _, err := tw.Write(e.data); err != nil {
			return layer{}, err
		}
	}
	if err := tw.Close(); err != nil {
		return layer{}, err
	}
	l := layer{blob: tarball.Bytes(), diffID: digestOf(tarball.Bytes()), mediaType: mediaTypeLayer}
	if !gz {
		return l, nil
	}
	// A gzip header with no name and no time; the same Go release
	// compresses the same bytes the same way.
	var zipped bytes.Buffer
	zw, err := gzip.NewWriterLevel(&zipped, gzip.BestCompression)
	if err != nil {
		return layer{}, err
	}
	if _, err := zw.Write(l.blob); err != nil {
		return layer{}, err
	}
	if err := zw.Close(); err != nil {
		return layer{}, err
	}
	l.blob, l.mediaType = zipped.Bytes(), mediaTypeLayerGzip
	return l, nil
}
