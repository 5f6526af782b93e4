package http1

import (
	"bufio"
	"context"
	"io"
)

// body streams a response body and settles its connection when the body
// ends: back to the pool if it can carry another request, closed if not.
type body struct {
	c    *Client
	cn   *conn
	r    io.Reader // the body's framing over the connection
	ctx  context.Context
	stop func() bool // stops closing the connection when ctx ends
	keep bool        // the connection may carry another request
	err  error       // once set, returned by every Read
}

func (b *body) Read(p []byte) (int, error) {
	if b.err != nil {
		return 0, b.err
	}
	n, err := b.r.Read(p)
	switch {
	case err == io.EOF:
		b.err = io.EOF
		b.settle(b.keep)
	case err != nil:
		if b.ctx.Err() != nil {
			err = context.Cause(b.ctx)
		}
		b.err = err
		b.settle(false)
	}
	return n, err
}

func (b *body) Close() error {
	if b.err == nil {
		b.err = ErrBodyClosed
		b.settle(false)
	}
	return nil
}

// settle parks or closes the connection. If the context has already
// ended, stop fails and the connection is being closed: it is not parked.
func (b *body) settle(keep bool) {
	if b.stop() && keep {
		b.c.put(b.cn)
		return
	}
	b.cn.close()
}

// lengthReader reads a body of known length. It returns io.EOF with the
// last bytes, so that a reader that stops at the end of what it wanted
// (a JSON decoder) still frees the connection.
type lengthReader struct {
	br *bufio.Reader
	n  int64
}

func (r *lengthReader) Read(p []byte) (int, error) {
	if int64(len(p)) > r.n {
		p = p[:r.n]
	}
	n, err := r.br.Read(p)
	r.n -= int64(n)
	switch {
	case r.n == 0:
		return n, io.EOF
	case err == io.EOF:
		return n, io.ErrUnexpectedEOF
	}
	return n, err
}

// noBody is the body of a response without one.
type noBody struct{}

func (noBody) Read([]byte) (int, error) { return 0, io.EOF }
func (noBody) Close() error             { return nil }
