package ota

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"os"
	"path"
	"path/filepath"
)

// Download streams u's target from the mirror to w, enforcing the length and hashes that the
// metadata trusted by the last Check signed for it (not the fields of u, which a caller could
// change), and returns its sha256 in hex. A target that the last Check did not list for this
// client's board and product is refused with ErrWrongBoard before anything is fetched. w never
// receives more than the signed length, but it does receive bytes before they are verified: on an
// error, discard what it got. DownloadFile does that for you. Bound ctx with a deadline: a mirror
// may also send slowly (TUF's slow retrieval attack).
func (c *Client) Download(ctx context.Context, u *Update, w io.Writer) (string, error) {
	if u == nil {
		return "", fmt.Errorf("%w: no update", ErrWrongBoard)
	}
	c.mu.Lock()
	targets := c.targets
	c.mu.Unlock()
	if targets == nil {
		return "", ErrNoCheck
	}
	tf, ok := targets[u.Target]
	if !ok {
		return "", fmt.Errorf("%w: %s is not in the trusted targets", ErrWrongBoard, u.Target)
	}
	trusted, ok := c.eligible(u.Target, tf)
	if !ok {
		return "", fmt.Errorf("%w: %s is not a %s target for %s", ErrWrongBoard, u.Target, c.cfg.Product, c.cfg.Board)
	}
	hashes := map[string]hash.Hash{}
	for alg := range tf.Hashes {
		switch alg {
		case "sha256":
			hashes[alg] = sha256.New()
		case "sha512":
			hashes[alg] = sha512.New()
		default:
			return "", fmt.Errorf("%w: %s: unsupported hash %q", ErrMismatch, u.Target, alg)
		}
	}
	// go-tuf's layout with consistent snapshots: <dir>/<sha256>.<base>.
	remote := path.Join(path.Dir(u.Target), trusted.SHA256+"."+path.Base(u.Target))
	body, err := c.cfg.Fetcher.Fetch(ctx, c.cfg.BaseURL+"/targets/"+remote, trusted.Length)
	if err != nil {
		return "", err
	}
	defer body.Close()
	writers := []io.Writer{w}
	for _, h := range hashes {
		writers = append(writers, h)
	}
	n, err := io.Copy(io.MultiWriter(writers...), io.LimitReader(body, trusted.Length))
	if err != nil {
		return "", fmt.Errorf("ota: download %s: %w", u.Target, err)
	}
	if n < trusted.Length {
		return "", fmt.Errorf("%w: %s: got %d bytes, signed length %d", ErrMismatch, u.Target, n, trusted.Length)
	}
	if extra, _ := io.ReadFull(body, make([]byte, 1)); extra > 0 {
		return "", fmt.Errorf("%w: %s: more than the signed %d bytes", ErrTooLarge, u.Target, trusted.Length)
	}
	for alg, h := range hashes {
		if got := h.Sum(nil); !bytes.Equal(got, tf.Hashes[alg]) {
			return "", fmt.Errorf("%w: %s: %s %x, signed %x", ErrMismatch, u.Target, alg, got, []byte(tf.Hashes[alg]))
		}
	}
	return hex.EncodeToString(hashes["sha256"].Sum(nil)), nil
}

// DownloadFile downloads u to dst: it writes a temporary file beside dst, syncs it, and renames it
// to dst only once the download verified, so that dst is either absent or the verified target.
func (c *Client) DownloadFile(ctx context.Context, u *Update, dst string) (string, error) {
	tmp, err := os.CreateTemp(filepath.Dir(dst), "."+filepath.Base(dst)+".part-*")
	if err != nil {
		return "", err
	}
	defer os.Remove(tmp.Name())
	sum, err := c.Download(ctx, u, tmp)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", err
	}
	return sum, os.Rename(tmp.Name(), dst)
}
