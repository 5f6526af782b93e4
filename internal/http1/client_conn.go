package http1

import (
	"bufio"
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"time"
)

// conn is one TLS connection. One request at a time uses it; between
// requests it waits in the client's pool.
type conn struct {
	raw  net.Conn // TCP; closing it aborts whatever the connection is doing
	w    *wire
	br   *bufio.Reader
	bw   *bufio.Writer
	used bool // it has carried a request before

	// Set while the connection is idle; see Client.watch.
	watched  chan struct{}
	watchErr error
}

// wire counts the bytes that cross the connection, so that a failed
// attempt can tell whether any of the request left or any answer came.
type wire struct {
	tls    *tls.Conn
	nr, nw int64
}

func (w *wire) Read(p []byte) (int, error) {
	n, err := w.tls.Read(p)
	w.nr += int64(n)
	return n, err
}

func (w *wire) Write(p []byte) (int, error) {
	n, err := w.tls.Write(p)
	w.nw += int64(n)
	return n, err
}

func (cn *conn) close() { cn.raw.Close() }

// dial opens a connection and completes the TLS handshake, each step
// bounded by its own timeout as well as by ctx.
func (c *Client) dial(ctx context.Context) (*conn, error) {
	d := net.Dialer{Timeout: or(c.DialTimeout, 5*time.Second), KeepAlive: 30 * time.Second}
	raw, err := d.DialContext(ctx, "tcp", c.Addr)
	if err != nil {
		return nil, err
	}
	hctx, cancel := context.WithTimeout(ctx, or(c.HandshakeTimeout, 5*time.Second))
	defer cancel()
	tc := tls.Client(raw, c.tlsConfig())
	if err := tc.HandshakeContext(hctx); err != nil {
		raw.Close()
		if ctx.Err() == nil && hctx.Err() != nil {
			return nil, fmt.Errorf("%w with %s", ErrHandshakeTimeout, c.Addr)
		}
		return nil, err
	}
	w := &wire{tls: tc}
	return &conn{raw: raw, w: w, br: bufio.NewReaderSize(w, 4<<10), bw: bufio.NewWriterSize(w, 4<<10)}, nil
}

// tlsConfig is c.TLS with ServerName set from Addr when it is empty, as a
// browser would; the caller's config is not changed.
func (c *Client) tlsConfig() *tls.Config {
	c.tlsOnce.Do(func() {
		c.tls = c.TLS.Clone()
		if c.tls == nil {
			c.tls = &tls.Config{}
		}
		if c.tls.ServerName == "" {
			host, _, err := net.SplitHostPort(c.Addr)
			if err != nil {
				host = c.Addr
			}
			c.tls.ServerName = host
		}
	})
	return c.tls
}
