package http1

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"runtime/debug"
	"time"
)

// Draining a request the server did not read (see linger) stops after
// this long or this many bytes.
const (
	lingerTime  = 500 * time.Millisecond
	lingerBytes = 256 << 10
)

// serveConn reads one request from c, answers it, and closes c.
func (s *Server) serveConn(ctx context.Context, c net.Conn) {
	defer c.Close()
	start := time.Now()
	c.SetReadDeadline(start.Add(s.ReadTimeout))
	// Shutting down stops waiting for a request; a running handler and
	// its response still finish.
	stopRead := context.AfterFunc(ctx, func() { c.SetReadDeadline(time.Unix(1, 0)) })
	defer stopRead()

	r, resp, whole, err := s.exchange(ctx, c, bufio.NewReaderSize(c, 4<<10))
	log := s.Logger.With("remote", c.RemoteAddr().String())
	if r != nil {
		log = log.With("method", r.Method, "path", r.Path)
	}
	switch {
	case err == nil:
	case ctx.Err() != nil:
		log.Debug("request abandoned: shutting down", "err", err)
		return
	case errors.Is(err, os.ErrDeadlineExceeded):
		resp = errorResponse(408, fmt.Sprintf("request not received within %s", s.ReadTimeout))
	case errors.Is(err, io.ErrUnexpectedEOF):
		// The client stopped sending half-way, but it may still read.
		resp = errorResponse(400, "request ends early")
	default:
		// Closed before it sent anything, or broken: no one to answer.
		log.Debug("connection ended without a request", "err", err)
		return
	}
	if err := s.write(c, resp); err != nil {
		log.Debug("response not delivered", "status", resp.status, "err", err)
		return
	}
	log.Debug("request", "status", resp.status, "duration", time.Since(start))
	// After a timeout or an early end there is nothing left to drain.
	if err == nil && !whole {
		s.linger(ctx, c)
	}
}

// exchange reads a request and produces its answer. whole reports whether
// the request was read to its end. An error means there is no answer:
// the connection failed, or the client was too slow.
func (s *Server) exchange(ctx context.Context, c net.Conn, br *bufio.Reader) (r *ServerRequest, resp response, whole bool, err error) {
	r, n, expect, err := s.admit(br)
	if se, ok := errors.AsType[*statusError](err); ok {
		return r, errorResponse(se.status, se.msg), false, nil
	} else if err != nil {
		return r, response{}, false, err
	}
	r.RemoteAddr = c.RemoteAddr().String()
	h, allow := s.Mux.route(r.Method, r.Path)
	switch {
	case h == nil && allow == "":
		return r, errorResponse(404, fmt.Sprintf("no such resource: %s", r.Path)), n == 0, nil
	case h == nil:
		resp = errorResponse(405, fmt.Sprintf("method %s not allowed for %s; allowed: %s", r.Method, r.Path, allow))
		resp.allow = allow
		return r, resp, n == 0, nil
	}
	if n > 0 {
		if expect {
			c.SetWriteDeadline(time.Now().Add(s.WriteTimeout))
			if _, err := io.WriteString(c, "HTTP/1.1 100 Continue\r\n\r\n"); err != nil {
				return r, response{}, false, err
			}
		}
		if r.Body, err = readBody(br, n); err != nil {
			return r, response{}, false, err
		}
	}
	return r, s.call(ctx, h, r), true, nil
}

// admit reads the request line and header and checks that the server
// will take the request: n is its body's length, and expect reports
// whether the client waits for "100 Continue" before sending the body.
func (s *Server) admit(br *bufio.Reader) (r *ServerRequest, n int64, expect bool, err error) {
	if r, err = readRequestHead(br, s.MaxHeaderBytes); err != nil {
		return nil, 0, false, err
	}
	if n, err = r.bodyLength(s.MaxBody); err != nil {
		return r, 0, false, err
	}
	if expect, err = r.expectsContinue(); err != nil {
		return r, 0, false, err
	}
	return r, n, expect, r.checkLocal()
}

// call runs the handler and encodes its answer. A panic is the handler's
// bug: it is logged, and the client gets 500.
func (s *Server) call(ctx context.Context, h Handler, r *ServerRequest) (resp response) {
	log := func(msg string, args ...any) {
		s.Logger.Error(msg, append([]any{"method", r.Method, "path", r.Path}, args...)...)
	}
	defer func() {
		if p := recover(); p != nil {
			log("handler panicked", "panic", p, "stack", string(debug.Stack()))
			resp = errorResponse(500, "internal error")
		}
	}()
	resp, err := encode(h(ctx, r))
	if err != nil {
		log("handler answered wrong", "err", err)
	}
	return resp
}

func (s *Server) write(c net.Conn, resp response) error {
	c.SetWriteDeadline(time.Now().Add(s.WriteTimeout))
	_, err := c.Write(resp.bytes(time.Now()))
	return err
}

// linger reads and drops what the client may still be sending, the part
// of a request the server did not read, before the connection closes.
// Closing a socket with unread data makes the kernel reset the
// connection, and the reset can overtake the response: the client would
// see "connection reset" instead of the answer. The client reads the
// response up to the end that CloseWrite sends, and closes its side.
func (s *Server) linger(ctx context.Context, c net.Conn) {
	if cw, ok := c.(interface{ CloseWrite() error }); ok {
		cw.CloseWrite()
	}
	if ctx.Err() != nil {
		return
	}
	c.SetReadDeadline(time.Now().Add(lingerTime))
	io.CopyN(io.Discard, c, lingerBytes)
}

// refuse answers 503 for a connection over the limit.
func (s *Server) refuse(ctx context.Context, c net.Conn) {
	defer c.Close()
	s.Logger.Warn("too many connections; refusing one", "remote", c.RemoteAddr().String(), "max", s.MaxConns)
	if s.write(c, errorResponse(503, "too many connections; try again")) == nil {
		s.linger(ctx, c)
	}
}
