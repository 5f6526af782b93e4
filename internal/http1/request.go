package http1

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Request is one HTTP/1.1 request.
type Request struct {
	// Method is a token such as "GET" or "POST".
	Method string
	// Path is the request target: an absolute path, already escaped, with
	// an optional query.
	Path string
	// Header holds the fields to send besides Host and Content-Length,
	// which Do writes itself. Nil means none.
	Header Header
	// Body, if not nil, is sent after the header and must yield at least
	// ContentLength bytes; no more are read. Do reads it as it writes, so a
	// large body streams.
	Body io.Reader
	// ContentLength is the body's size in bytes; 0 without a Body.
	ContentLength int64
	// GetBody, if set, returns a fresh copy of Body. Do needs one to repeat
	// a request whose body an attempt has already read (see the package
	// documentation for when it repeats a request); without it such a
	// request is never repeated.
	GetBody func() (io.Reader, error)
}

// check refuses a request that would write something other than one
// well-formed request.
func (r *Request) check() error {
	switch {
	case !isToken(r.Method):
		return fmt.Errorf("%w: method %q", ErrBadRequest, r.Method)
	case !strings.HasPrefix(r.Path, "/") || strings.ContainsFunc(r.Path, func(c rune) bool { return c <= ' ' || c == 0x7f }):
		return fmt.Errorf("%w: path %q", ErrBadRequest, r.Path)
	case r.ContentLength < 0 || r.Body == nil && r.ContentLength != 0:
		return fmt.Errorf("%w: content length %d", ErrBadRequest, r.ContentLength)
	}
	for k, v := range r.Header {
		switch {
		case !isToken(k) || strings.ContainsAny(v, "\r\n\x00"):
			return fmt.Errorf("%w: header %q", ErrBadRequest, k)
		case strings.EqualFold(k, "Host") || strings.EqualFold(k, "Content-Length") ||
			strings.EqualFold(k, "Transfer-Encoding") || strings.EqualFold(k, "Connection"):
			return fmt.Errorf("%w: header %s is the client's to set", ErrBadRequest, k)
		}
	}
	return nil
}

// idempotent reports whether repeating the request cannot change more on
// the server than sending it once (RFC 9110 §9.2.2). Of those only the
// methods without a body are listed: the others are not used here.
func (r *Request) idempotent() bool {
	switch r.Method {
	case "GET", "HEAD", "OPTIONS":
		return true
	}
	return false
}

// write sends the request line, the header and body through w. A body
// without GetBody is read only once the header has reached the connection,
// so that a connection that fails at once leaves the body unread and the
// request can be repeated. Errors from reading body are returned wrapped in
// bodyError.
func (r *Request) write(w *bufio.Writer, host string, body io.Reader) error {
	w.WriteString(r.Method + " " + r.Path + " HTTP/1.1\r\nHost: " + host + "\r\n")
	for k, v := range r.Header {
		w.WriteString(k + ": " + v + "\r\n")
	}
	if body != nil || r.Method == "POST" || r.Method == "PUT" || r.Method == "PATCH" {
		w.WriteString("Content-Length: " + strconv.FormatInt(r.ContentLength, 10) + "\r\n")
	}
	w.WriteString("\r\n")
	if body != nil && r.GetBody == nil {
		if err := w.Flush(); err != nil {
			return err
		}
	}
	if body != nil {
		if _, err := io.CopyN(w, bodyReader{body}, r.ContentLength); err != nil {
			return err
		}
	}
	return w.Flush()
}

// bodyError marks a failure to read the request body, as opposed to a
// failure of the connection.
type bodyError struct{ err error }

func (e bodyError) Error() string { return "read request body: " + e.err.Error() }
func (e bodyError) Unwrap() error { return e.err }

type bodyReader struct{ r io.Reader }

func (b bodyReader) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	switch {
	case err == io.EOF && n == 0:
		// io.CopyN stops at the length, so an EOF here is early.
		return 0, bodyError{io.ErrUnexpectedEOF}
	case err != nil && err != io.EOF:
		return n, bodyError{err}
	}
	return n, nil
}
