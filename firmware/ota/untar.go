package ota

import (
	"archive/tar"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// untar unpacks a bundle into dir, refusing anything but directories and regular files under
// metadata/ (flat) and targets/, names that leave dir or are hidden, and more than limit bytes.
func untar(r io.Reader, dir string, limit int64) error {
	tr := tar.NewReader(r)
	left := limit
	files := 0
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("%w: not a tar: %w", ErrBadBundle, err)
		}
		name, err := bundleName(hdr.Name)
		if err != nil {
			return err
		}
		if name == "" {
			continue
		}
		dst := filepath.Join(dir, filepath.FromSlash(name))
		switch hdr.Typeflag {
		case tar.TypeDir:
			if err := os.MkdirAll(dst, 0o755); err != nil {
				return err
			}
			continue
		case tar.TypeReg:
		default:
			return fmt.Errorf("%w: %s: only files and directories are allowed", ErrBadBundle, hdr.Name)
		}
		if hdr.Size > left {
			return fmt.Errorf("%w: larger than %d bytes", ErrBadBundle, limit)
		}
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		f, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			return fmt.Errorf("%w: %s: %w", ErrBadBundle, hdr.Name, err)
		}
		n, err := io.Copy(f, io.LimitReader(tr, hdr.Size))
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("%w: %s: %w", ErrBadBundle, hdr.Name, err)
		}
		left -= n
		files++
	}
	if files == 0 {
		return fmt.Errorf("%w: no files (want a tar of metadata/ and targets/)", ErrBadBundle)
	}
	return nil
}

// bundleName checks a tar entry's name and returns it cleaned ("" for the top directories).
func bundleName(raw string) (string, error) {
	name := strings.TrimPrefix(raw, "./")
	name = strings.TrimSuffix(name, "/")
	bad := func(why string) (string, error) {
		return "", fmt.Errorf("%w: entry %q: %s (want a tar of a repository's metadata/ and targets/)", ErrBadBundle, raw, why)
	}
	if name == "" || name == "." {
		return "", nil
	}
	if path.IsAbs(name) || path.Clean(name) != name {
		return bad("not a clean relative path")
	}
	parts := strings.Split(name, "/")
	for _, p := range parts {
		if p == ".." || strings.HasPrefix(p, ".") {
			return bad("hidden or parent element")
		}
	}
	switch {
	case parts[0] == "metadata" && len(parts) <= 2:
	case parts[0] == "targets":
	default:
		return bad("outside metadata/ and targets/")
	}
	if len(parts) == 1 {
		return "", nil
	}
	return name, nil
}
