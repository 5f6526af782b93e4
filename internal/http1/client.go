package http1

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"
)

// Client sends HTTP/1.1 requests to one server over TLS and keeps
// connections open between them. Addr and TLS must be set; the other
// fields have working defaults. A Client is safe for concurrent use; its
// fields must not change once it is in use.
type Client struct {
	// Addr is the server's host:port; an IPv6 host goes in brackets, as in
	// "[fd00::1]:7443". It is also the Host header of every request.
	Addr string
	// TLS configures the connections. An empty ServerName is taken from
	// Addr's host.
	TLS *tls.Config
	// DialTimeout bounds connecting. Default 5 s.
	DialTimeout time.Duration
	// HandshakeTimeout bounds the TLS handshake. Default 5 s.
	HandshakeTimeout time.Duration
	// MaxIdle caps the connections kept open between requests. Default 32.
	MaxIdle int
	// IdleTimeout closes a connection unused for this long. Default 90 s.
	IdleTimeout time.Duration
	// MaxHeaderBytes caps a response's status line and header fields, and
	// separately its trailer fields. Default 64 KiB.
	MaxHeaderBytes int

	tlsOnce sync.Once
	tls     *tls.Config
	mu      sync.Mutex
	idle    []*conn // parked connections, most recently used last
}

// Do sends req and reads the response's status and header; the body
// streams from Response.Body, which the caller must close. ctx bounds the
// whole exchange, body included: when it ends the connection is closed and
// Do, or a read from the body, returns context.Cause(ctx).
//
// Do repeats a failed request once, on a new connection, only when the
// server cannot have acted on it; the package documentation gives the rule.
// An answer with any status is a Response, not an error.
func (c *Client) Do(ctx context.Context, req *Request) (*Response, error) {
	if err := req.check(); err != nil {
		return nil, err
	}
	if ctx.Err() != nil {
		return nil, context.Cause(ctx)
	}
	cn := c.take()
	if cn == nil {
		var err error
		if cn, err = c.dial(ctx); err != nil {
			return nil, err
		}
	}
	resp, a, err := c.roundTrip(ctx, cn, req, req.Body)
	if err == nil || !a.retry(req) {
		return resp, err
	}
	body := req.Body
	if req.GetBody != nil {
		var gerr error
		if body, gerr = req.GetBody(); gerr != nil {
			return nil, err
		}
	}
	if cn, err = c.dial(ctx); err != nil {
		return nil, err
	}
	resp, _, err = c.roundTrip(ctx, cn, req, body)
	return resp, err
}

// attempt records how far a failed request got on its connection.
type attempt struct {
	reused   bool // the connection had carried a request before
	wrote    bool // some of the request reached the connection
	answered bool // some of a response came back
}

// retry is the rule the package documentation states: a request is
// repeated only after its reused connection failed before any answer, and
// then only if none of it was sent or it is idempotent and its body can be
// sent again.
func (a attempt) retry(r *Request) bool {
	switch {
	case !a.reused || a.answered:
		return false
	case !a.wrote:
		return true
	}
	return r.idempotent() && (r.Body == nil || r.GetBody != nil)
}

// roundTrip makes one attempt on cn, which it owns from now on: cn ends up
// closed, parked, or in the returned body. On failure the attempt says
// whether the request may be repeated; it is zero for failures that no
// repetition could mend (the context ended, the request body failed).
func (c *Client) roundTrip(ctx context.Context, cn *conn, req *Request, reqBody io.Reader) (*Response, attempt, error) {
	stop := context.AfterFunc(ctx, cn.close)
	nr, nw := cn.w.nr, cn.w.nw
	fail := func(err error) (*Response, attempt, error) {
		stop()
		cn.close()
		var be bodyError
		switch {
		case ctx.Err() != nil:
			return nil, attempt{}, context.Cause(ctx)
		case errors.As(err, &be):
			return nil, attempt{}, err
		}
		return nil, attempt{reused: cn.used, wrote: cn.w.nw > nw, answered: cn.w.nr > nr}, err
	}

	werr := req.write(cn.bw, c.Addr, reqBody)
	if werr != nil && (ctx.Err() != nil || errors.As(werr, new(bodyError)) || cn.w.nw == nw) {
		return fail(werr)
	}
	// A failed write may still have an answer behind it: a server may
	// refuse a request before reading all of its body, then close. That
	// answer says more than the write error.
	limit := or(c.MaxHeaderBytes, 64<<10)
	resp, err := readResponseHead(cn.br, limit)
	if err != nil {
		if werr != nil {
			return fail(werr)
		}
		return fail(fmt.Errorf("read response: %w", err))
	}
	r, keep, err := resp.frame(req.Method, cn.br, limit)
	if err != nil {
		return fail(err)
	}
	b := &body{c: c, cn: cn, r: r, ctx: ctx, stop: stop, keep: keep && werr == nil}
	if r == nil {
		b.settle(b.keep)
		resp.Body = noBody{}
	} else {
		resp.Body = b
	}
	return resp, attempt{}, nil
}
