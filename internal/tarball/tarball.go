// Package tarball packs a task's /out directory into a deterministic tar
// archive and unpacks one safely.
//
// Determinism matters: the archive's digest is part of the task's result
// digest, which replicas of a task compare. Entries are sorted by path and
// carry no times, owners or host-specific modes. Only directories and
// regular files are kept; symlinks, devices and the like are skipped.
package tarball

import (
	"archive/tar"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"
)

// ErrUnsafe is returned by Unpack for an entry that would land outside the
// target directory or is not a plain file or directory.
var ErrUnsafe = errors.New("unsafe archive entry")

// ErrTooLarge is returned when an archive exceeds the size allowed.
var ErrTooLarge = errors.New("archive too large")

// Pack writes dir's files to w, stopping with ErrTooLarge once the file
// content exceeds limit bytes (limit <= 0: no limit). A missing dir packs to
// an empty archive.
func Pack(dir string, w io.Writer, limit int64) error {
	tw := tar.NewWriter(w)
	var total int64
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) && p == dir {
			return fs.SkipAll
		}
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if rel == "." {
			return nil
		}
		name := filepath.ToSlash(rel)
		hdr := &tar.Header{Name: name, ModTime: time.Unix(0, 0), Format: tar.FormatPAX}
		switch {
		case d.IsDir():
			hdr.Typeflag, hdr.Name, hdr.Mode = tar.TypeDir, name+"/", 0o755
			return tw.WriteHeader(hdr)
		case d.Type().IsRegular():
			info, err := d.Info()
			if err != nil {
				return err
			}
			total += info.Size()
			if limit > 0 && total > limit {
				return fmt.Errorf("%w: /out holds more than %d bytes", ErrTooLarge, limit)
			}
			hdr.Typeflag, hdr.Size, hdr.Mode = tar.TypeReg, info.Size(), 0o644
			if info.Mode()&0o111 != 0 {
				hdr.Mode = 0o755
			}
			if err := tw.WriteHeader(hdr); err != nil {
				return err
			}
			f, err := os.Open(p)
			if err != nil {
				return err
			}
			defer f.Close()
			_, err = io.CopyN(tw, f, info.Size())
			return err
		}
		return nil // symlinks and special files are not results
	})
	if err != nil {
		return err
	}
	return tw.Close()
}

// Unpack extracts r into dir, refusing entries that escape it, and stops
// with ErrTooLarge past limit bytes of content (limit <= 0: no limit).
// It returns the names of the files written.
func Unpack(r io.Reader, dir string, limit int64) ([]string, error) {
	tr := tar.NewReader(r)
	var names []string
	var total int64
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return names, nil
		}
		if err != nil {
			return names, fmt.Errorf("read archive: %w", err)
		}
		clean := path.Clean(hdr.Name)
		if path.IsAbs(clean) || clean == ".." || strings.HasPrefix(clean, "../") || strings.Contains(hdr.Name, "\\") {
			return names, fmt.Errorf("%w: %q leaves the target directory", ErrUnsafe, hdr.Name)
		}
		target := filepath.Join(dir, filepath.FromSlash(clean))
		switch hdr.Typeflag {
		case tar.TypeDir:
			if err := os.MkdirAll(target, 0o755); err != nil {
				return names, err
			}
		case tar.TypeReg:
			total += hdr.Size
			if limit > 0 && total > limit {
				return names, fmt.Errorf("%w: more than %d bytes", ErrTooLarge, limit)
			}
			if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
				return names, err
			}
			f, err := os.OpenFile(target, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, fs.FileMode(hdr.Mode)&0o755|0o600)
			if err != nil {
				return names, err
			}
			_, err = io.Copy(f, tr)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				return names, err
			}
			names = append(names, clean)
		default:
			return names, fmt.Errorf("%w: %q is not a file or directory", ErrUnsafe, hdr.Name)
		}
	}
}
