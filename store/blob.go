package store

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Digest names content: "sha256:" followed by 64 lowercase hex characters.
type Digest string

// ParseDigest checks the form of s.
func ParseDigest(s string) (Digest, error) {
	hexpart, ok := strings.CutPrefix(s, "sha256:")
	if !ok || len(hexpart) != 64 || strings.ToLower(hexpart) != hexpart {
		return "", fmt.Errorf("%w: %q", ErrBadDigest, s)
	}
	if _, err := hex.DecodeString(hexpart); err != nil {
		return "", fmt.Errorf("%w: %q", ErrBadDigest, s)
	}
	return Digest(s), nil
}

// DigestOf hashes b.
func DigestOf(b []byte) Digest {
	sum := sha256.Sum256(b)
	return Digest("sha256:" + hex.EncodeToString(sum[:]))
}

func (d Digest) hex() string { return strings.TrimPrefix(string(d), "sha256:") }

// Short is the first 12 hex characters, for logs and listings.
func (d Digest) Short() string { return d.hex()[:min(12, len(d.hex()))] }

// Blobs is a directory of content-addressed files.
type Blobs struct {
	dir string
}

// OpenBlobs opens (creating) the blob directory dir.
func OpenBlobs(dir string) (*Blobs, error) {
	if err := os.MkdirAll(filepath.Join(dir, "tmp"), 0o700); err != nil {
		return nil, fmt.Errorf("create blob dir: %w", err)
	}
	return &Blobs{dir: dir}, nil
}

// Path is where the blob lives on disk. The file may be read directly (a
// sandbox maps it), but readers that want the integrity check use Open.
func (s *Blobs) Path(d Digest) string {
	h := d.hex()
	return filepath.Join(s.dir, "sha256", h[:2], h)
}

// Has reports whether the blob is present.
func (s *Blobs) Has(d Digest) bool {
	_, err := os.Stat(s.Path(d))
	return err == nil
}

// Put stores r's content and returns its digest and size. When want is not
// empty and the content hashes differently, nothing is stored and the error
// wraps ErrDigestMismatch. The write is atomic: a crash leaves either the
// whole blob or none.
func (s *Blobs) Put(r io.Reader, want Digest) (Digest, int64, error) {
	if want != "" {
		if _, err := ParseDigest(string(want)); err != nil {
			return "", 0, err
		}
	}
	tmp, err := os.CreateTemp(filepath.Join(s.dir, "tmp"), "put-*")
	if err != nil {
		return "", 0, err
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(tmp, h), r)
	if err != nil {
		return "", 0, fmt.Errorf("write blob: %w", err)
	}
	got := Digest("sha256:" + hex.EncodeToString(h.Sum(nil)))
	if want != "" && got != want {
		return "", 0, fmt.Errorf("%w: got %s, want %s", ErrDigestMismatch, got.Short(), want.Short())
	}
	if s.Has(got) {
		return got, n, nil
	}
	if err := tmp.Sync(); err != nil {
		return "", 0, err
	}
	if err := tmp.Close(); err != nil {
		return "", 0, err
	}
	dst := s.Path(got)
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return "", 0, err
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		return "", 0, err
	}
	// The rename is durable only once the directory is: a crash must not
	// leave a blob that the caller was told is stored and that is gone.
	if err := SyncDir(filepath.Dir(dst)); err != nil {
		return "", 0, err
	}
	return got, n, nil
}

// BlobInfo describes one stored blob.
type BlobInfo struct {
	Digest  Digest
	Size    int64
	ModTime time.Time // when it was stored, or last touched
}

// List returns every stored blob. Files that are not blobs (a name that is
// not 64 hex digits) are skipped.
func (s *Blobs) List() ([]BlobInfo, error) {
	var out []BlobInfo
	root := filepath.Join(s.dir, "sha256")
	err := filepath.WalkDir(root, func(path string, e fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && path == root {
				return fs.SkipAll
			}
			return err
		}
		if e.IsDir() {
			return nil
		}
		d, perr := ParseDigest("sha256:" + e.Name())
		if perr != nil {
			return nil
		}
		st, err := e.Info()
		if err != nil {
			return nil // removed meanwhile
		}
		out = append(out, BlobInfo{Digest: d, Size: st.Size(), ModTime: st.ModTime()})
		return nil
	})
	return out, err
}

// PutBytes is Put for content already in memory.
func (s *Blobs) PutBytes(b []byte) (Digest, error) {
	d, _, err := s.Put(strings.NewReader(string(b)), "")
	return d, err
}

// Open returns a reader of the blob that fails with ErrDigestMismatch at the
// end if the file on disk no longer hashes to d, and ErrNotFound when absent.
func (s *Blobs) Open(d Digest) (io.ReadCloser, int64, error) {
	if _, err := ParseDigest(string(d)); err != nil {
		return nil, 0, err
	}
	f, err := os.Open(s.Path(d))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, 0, fmt.Errorf("%w: blob %s", ErrNotFound, d.Short())
	}
	if err != nil {
		return nil, 0, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, err
	}
	return &verifyingReader{f: f, h: sha256.New(), want: d}, st.Size(), nil
}

// ReadAll reads a whole blob, verified.
func (s *Blobs) ReadAll(d Digest) ([]byte, error) {
	rc, _, err := s.Open(d)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}

// Verify re-hashes a stored blob.
func (s *Blobs) Verify(d Digest) error {
	rc, _, err := s.Open(d)
	if err != nil {
		return err
	}
	defer rc.Close()
	_, err = io.Copy(io.Discard, rc)
	return err
}

// Remove deletes a blob; removing an absent blob is not an error.
func (s *Blobs) Remove(d Digest) error {
	err := os.Remove(s.Path(d))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

type verifyingReader struct {
	f    *os.File
	h    hash.Hash
	want Digest
}

func (v *verifyingReader) Read(p []byte) (int, error) {
	n, err := v.f.Read(p)
	v.h.Write(p[:n])
	if errors.Is(err, io.EOF) {
		if got := "sha256:" + hex.EncodeToString(v.h.Sum(nil)); Digest(got) != v.want {
			return n, fmt.Errorf("%w: blob %s on disk is corrupt", ErrDigestMismatch, v.want.Short())
		}
	}
	return n, err
}

func (v *verifyingReader) Close() error { return v.f.Close() }
