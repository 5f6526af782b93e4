package http1

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"
)

// ServerRequest is one parsed request, body included.
type ServerRequest struct {
	// Method is a token such as "GET" or "POST", case as sent.
	Method string
	// Path is the request target's path, percent-decoded, without the
	// query: "/v1/power/history".
	Path string
	// Query holds the decoded query parameters ("since=2m"); never nil.
	Query url.Values
	// Header holds the header fields by lower-case name; never nil.
	Header Header
	// Body is the whole request body; empty without one.
	Body []byte
	// RemoteAddr is the client's address, as "127.0.0.1:50312".
	RemoteAddr string

	http10 bool // the request line said HTTP/1.0
}

// statusError is a request the server answers itself, without calling a
// handler: a malformed or unsupported request.
type statusError struct {
	status int
	msg    string
}

func (e *statusError) Error() string { return e.msg }

func answer(status int, format string, args ...any) error {
	return &statusError{status, fmt.Sprintf(format, args...)}
}

func badRequest(format string, args ...any) error { return answer(400, format, args...) }

// readRequestHead reads a request line and header fields, which together
// may not exceed limit bytes. Empty lines before the request line are
// skipped (RFC 9112 §2.2). A request the server must refuse fails with a
// *statusError; a connection that breaks, with the read error, io.EOF
// only if it closed before the request began.
func readRequestHead(br *bufio.Reader, limit int) (*ServerRequest, error) {
	budget := limit
	var line []byte
	var err error
	for len(line) == 0 {
		if line, err = readLine(br, &budget); err != nil {
			return nil, headError(err)
		}
	}
	r, err := parseRequestLine(line)
	if err != nil {
		return nil, err
	}
	for {
		line, err := readLine(br, &budget)
		switch {
		case err == io.EOF:
			return nil, io.ErrUnexpectedEOF
		case err != nil:
			return nil, headError(err)
		case len(line) == 0:
			if !r.http10 && r.Header["host"] == "" {
				// RFC 9112 §3.2: an HTTP/1.1 request without Host gets 400.
				return nil, badRequest("missing Host header")
			}
			return r, nil
		}
		if err := r.Header.add(line); err != nil {
			return nil, badRequest("%v", err)
		}
	}
}

func headError(err error) error {
	if err == ErrHeaderTooLarge {
		return answer(431, "request line and header exceed the server's limit")
	}
	return err
}

// parseRequestLine parses "GET /v1/power?since=2m HTTP/1.1".
func parseRequestLine(line []byte) (*ServerRequest, error) {
	method, rest, ok1 := bytes.Cut(line, []byte(" "))
	target, proto, ok2 := bytes.Cut(rest, []byte(" "))
	if !ok1 || !ok2 || !isToken(string(method)) {
		return nil, badRequest("malformed request line %q", clip(line))
	}
	r := &ServerRequest{Method: string(method), Header: Header{}}
	switch string(proto) {
	case "HTTP/1.1":
	case "HTTP/1.0":
		r.http10 = true
	default:
		if len(proto) == 8 && bytes.HasPrefix(proto, []byte("HTTP/")) && isDigit(proto[5]) && proto[6] == '.' && isDigit(proto[7]) {
			return nil, answer(505, "HTTP version %s is not supported; use HTTP/1.1", proto)
		}
		return nil, badRequest("malformed request line %q", clip(line))
	}
	var err error
	if r.Path, r.Query, err = parseTarget(string(target)); err != nil {
		return nil, err
	}
	return r, nil
}

// parseTarget splits a request target in origin form (RFC 9112 §3.2.1)
// into its decoded path and query.
func parseTarget(t string) (string, url.Values, error) {
	if !strings.HasPrefix(t, "/") || strings.ContainsFunc(t, func(c rune) bool { return c <= ' ' || c >= 0x7f || c == '#' }) {
		return "", nil, badRequest("request target %q is not an absolute path", clip([]byte(t)))
	}
	rawPath, rawQuery, _ := strings.Cut(t, "?")
	path, err := url.PathUnescape(rawPath)
	if err != nil {
		return "", nil, badRequest("malformed path %q", clip([]byte(rawPath)))
	}
	q, err := url.ParseQuery(rawQuery)
	if err != nil {
		return "", nil, badRequest("malformed query %q", clip([]byte(rawQuery)))
	}
	return path, q, nil
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// bodyLength returns the length of the request's body from its
// Content-Length, which it may repeat only with the same value ("10, 10"
// once joined). A body is accepted only with a length of at most max.
func (r *ServerRequest) bodyLength(max int64) (int64, error) {
	if te, ok := r.Header["transfer-encoding"]; ok {
		return 0, answer(411, "Transfer-Encoding %q is not supported: send the body with a Content-Length", te)
	}
	v, ok := r.Header["content-length"]
	if !ok {
		return 0, nil
	}
	var n int64 = -1
	for f := range strings.SplitSeq(v, ",") {
		f = strings.TrimSpace(f)
		if f == "" || strings.ContainsFunc(f, func(c rune) bool { return c < '0' || c > '9' }) {
			return 0, badRequest("malformed Content-Length %q", v)
		}
		m, err := strconv.ParseInt(f, 10, 64)
		switch {
		case errors.Is(err, strconv.ErrRange):
			m = max + 1
		case n >= 0 && m != n:
			return 0, badRequest("conflicting Content-Length %q", v)
		}
		n = m
	}
	if n > max {
		return 0, answer(413, "request body of %s bytes is over the limit of %d", v, max)
	}
	return n, nil
}

// readBody reads the body of n bytes that bodyLength allowed, and not a
// byte more. A body that ends early, even before its first byte, is a
// request cut short (io.ErrUnexpectedEOF), which the client may still be
// waiting to hear about.
func readBody(br *bufio.Reader, n int64) ([]byte, error) {
	b := make([]byte, n)
	if _, err := io.ReadFull(br, b); err != nil {
		return nil, eof(err)
	}
	return b, nil
}

// expectsContinue reports whether the client waits for "100 Continue"
// before it sends the body. An expectation other than 100-continue fails
// with 417 (RFC 9110 §10.1.1); HTTP/1.0 clients cannot expect anything.
func (r *ServerRequest) expectsContinue() (bool, error) {
	e, ok := r.Header["expect"]
	if !ok || r.http10 {
		return false, nil
	}
	if !strings.EqualFold(strings.TrimSpace(e), "100-continue") {
		return false, answer(417, "Expect %q is not supported", e)
	}
	return true, nil
}
