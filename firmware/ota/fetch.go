package ota

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/theupdateframework/go-tuf/v2/metadata"
)

// Fetcher gets one file of a repository mirror. On a device it wraps the agent's mutual-TLS client
// to its gateway; a Mirror verifying a bundle uses a DirFetcher; otahttp.Fetcher uses net/http
// (which this package does not import, for the small agent's sake).
type Fetcher interface {
	// Fetch opens url for reading. maxLength is the most that the caller will read; a Fetcher may
	// refuse a file it knows to be longer with ErrTooLarge, but need not: the caller enforces the
	// limit. A file that does not exist is an error wrapping ErrNotFound (go-tuf learns from it
	// that no newer root exists). The caller closes the body; cancelling ctx aborts the transfer.
	Fetch(ctx context.Context, url string, maxLength int64) (io.ReadCloser, error)
}

// DirFetcher serves file:// URLs from inside a directory (a mirror or an unpacked bundle).
type DirFetcher string

// Fetch implements Fetcher.
func (d DirFetcher) Fetch(ctx context.Context, u string, maxLength int64) (io.ReadCloser, error) {
	pu, err := url.Parse(u)
	if err != nil {
		return nil, err
	}
	root, err := filepath.Abs(string(d))
	if err != nil {
		return nil, err
	}
	p := filepath.Clean(filepath.FromSlash(pu.Path))
	if pu.Scheme != "file" || !strings.HasPrefix(p, root+string(filepath.Separator)) {
		return nil, fmt.Errorf("ota: %s is not a file URL under %s", u, root)
	}
	f, err := os.Open(p)
	if os.IsNotExist(err) {
		return nil, fmt.Errorf("%w: %s", ErrNotFound, u)
	}
	return f, err
}

// DirURL is the file:// URL of a directory, for use with DirFetcher.
func DirURL(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}).String(), nil
}

// readLimited reads a whole file of at most limit bytes through f. On an error it also returns
// what it read, for the count.
func readLimited(ctx context.Context, f Fetcher, u string, limit int64) ([]byte, error) {
	body, err := f.Fetch(ctx, u, limit)
	if err != nil {
		return nil, err
	}
	defer body.Close()
	data, err := io.ReadAll(io.LimitReader(body, limit+1))
	if err != nil {
		return data, err
	}
	if int64(len(data)) > limit {
		return data, fmt.Errorf("%w: %s is longer than %d bytes", ErrTooLarge, u, limit)
	}
	return data, nil
}

// tufFetcher adapts a Fetcher to go-tuf's, which knows no context, and counts the bytes it got.
type tufFetcher struct {
	ctx   context.Context
	f     Fetcher
	bytes int64
	files int
}

// DownloadFile implements go-tuf's fetcher.Fetcher.
func (t *tufFetcher) DownloadFile(u string, maxLength int64, _ time.Duration) ([]byte, error) {
	data, err := readLimited(t.ctx, t.f, u, maxLength)
	t.bytes += int64(len(data))
	switch {
	case err == nil:
		t.files++
		return data, nil
	case isNotFound(err):
		// go-tuf stops looking for newer roots at a 404, and only at one.
		return nil, fmt.Errorf("%w: %w", err, &metadata.ErrDownloadHTTP{StatusCode: 404, URL: u})
	default:
		return nil, err
	}
}
