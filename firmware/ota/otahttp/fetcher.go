package otahttp

import (
	"context"
	"fmt"
	"io"
	"net/http"

	"github.com/hearth-home/hearth/firmware/ota"
)

var _ ota.Fetcher = Fetcher{}

// Fetcher is an ota.Fetcher over HTTP(S) with Client (nil means http.DefaultClient).
type Fetcher struct {
	Client *http.Client
}

// Fetch implements ota.Fetcher.
func (f Fetcher) Fetch(ctx context.Context, u string, maxLength int64) (io.ReadCloser, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	c := f.Client
	if c == nil {
		c = http.DefaultClient
	}
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	switch {
	case resp.StatusCode == http.StatusNotFound:
		resp.Body.Close()
		return nil, fmt.Errorf("%w: %s", ota.ErrNotFound, u)
	case resp.StatusCode != http.StatusOK:
		resp.Body.Close()
		return nil, fmt.Errorf("otahttp: GET %s: %s", u, resp.Status)
	case resp.ContentLength > maxLength:
		resp.Body.Close()
		return nil, fmt.Errorf("%w: %s is %d bytes, at most %d expected", ota.ErrTooLarge, u, resp.ContentLength, maxLength)
	}
	return resp.Body, nil
}
