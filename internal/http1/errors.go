package http1

import "errors"

// The client's errors. The server answers a request it refuses with a
// status and {"error": "..."} instead; of these errors it meets only
// ErrHeaderTooLarge, from reading a request's head, and answers it 431.
var (
	// ErrHeaderTooLarge is returned when a response's status line and
	// headers, its trailers, or one chunk-size line exceed the client's
	// limit.
	ErrHeaderTooLarge = errors.New("http1: header too large")
	// ErrMalformed is returned when a response does not parse as HTTP/1.x:
	// a bad status line, header line, Content-Length or chunk.
	ErrMalformed = errors.New("http1: malformed response")
	// ErrUnsupported is returned when a response uses a feature this client
	// does not speak: a transfer coding other than chunked, or a protocol
	// switch.
	ErrUnsupported = errors.New("http1: unsupported response")
	// ErrHandshakeTimeout is returned when the TLS handshake does not finish
	// within the client's HandshakeTimeout.
	ErrHandshakeTimeout = errors.New("http1: TLS handshake timeout")
	// ErrBodyClosed is returned by a read from a response body after Close.
	ErrBodyClosed = errors.New("http1: read on closed response body")
	// ErrBadRequest is returned, before anything is sent, for a request this
	// client will not write: an invalid method, path or header, a header it
	// sets itself, or a body without a length.
	ErrBadRequest = errors.New("http1: invalid request")
)
