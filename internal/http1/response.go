package http1

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Response is a server's answer. Its body streams from the connection.
type Response struct {
	StatusCode int
	Header     Header
	// ContentLength is the body's length in bytes, or -1 when the body is
	// chunked or ends with the connection.
	ContentLength int64
	// Body must be closed. The connection returns to the pool once Body
	// has returned io.EOF; closing a Body before that closes the
	// connection instead, since the rest of the body is still on it. Read
	// and Close must not be called concurrently: cancel the request's
	// context to abort a read.
	Body io.ReadCloser

	http10 bool
}

// readResponseHead reads a status line and header, skipping interim
// (1xx) responses. Together they may not exceed limit bytes. It fails
// with io.EOF only if the input ended before the first status line began,
// the one case in which the server cannot have answered at all.
func readResponseHead(br *bufio.Reader, limit int) (*Response, error) {
	budget := limit
	for first := true; ; first = false {
		line, err := readLine(br, &budget)
		if err != nil {
			if !first {
				err = eof(err)
			}
			return nil, err
		}
		resp, err := parseStatus(line)
		if err != nil {
			return nil, err
		}
		for {
			line, err := readLine(br, &budget)
			if err != nil {
				return nil, eof(err)
			}
			if len(line) == 0 {
				break
			}
			if err := resp.Header.add(line); err != nil {
				return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
			}
		}
		switch {
		case resp.StatusCode == 101:
			return nil, fmt.Errorf("%w: switching protocols", ErrUnsupported)
		case resp.StatusCode >= 200:
			return resp, nil
		}
	}
}

// parseStatus parses "HTTP/1.1 200 OK"; the reason phrase may be missing.
func parseStatus(line []byte) (*Response, error) {
	proto, rest, _ := bytes.Cut(line, []byte(" "))
	code, reason := rest, []byte(nil)
	if len(rest) > 3 {
		code, reason = rest[:3], rest[3:]
	}
	n, err := strconv.Atoi(string(code))
	if err != nil || len(code) != 3 || n < 100 || len(reason) > 0 && reason[0] != ' ' ||
		string(proto) != "HTTP/1.1" && string(proto) != "HTTP/1.0" {
		return nil, fmt.Errorf("%w: status line %q", ErrMalformed, clip(line))
	}
	return &Response{StatusCode: n, Header: Header{}, http10: string(proto) == "HTTP/1.0"}, nil
}

// frame decides how the body is delimited (RFC 9112 §6.3) and whether the
// connection may carry another request after it. A nil reader means there
// is no body.
func (resp *Response) frame(method string, br *bufio.Reader, limit int) (r io.Reader, keep bool, err error) {
	h := resp.Header
	keep = !resp.http10 && !h.has("connection", "close")
	te, chunked := h["transfer-encoding"]
	cl, sized := h["content-length"]
	switch {
	case method == "HEAD" || resp.StatusCode == 204 || resp.StatusCode == 304:
		resp.ContentLength = 0
		return nil, keep, nil
	case chunked:
		if !strings.EqualFold(strings.TrimSpace(te), "chunked") {
			return nil, false, fmt.Errorf("%w: transfer encoding %q", ErrUnsupported, te)
		}
		// Both lengths at once may be an attempt to smuggle a response:
		// chunked wins, and the connection is not trusted further
		// (RFC 9112 §6.3).
		resp.ContentLength = -1
		return &chunkedReader{br: br, trailerBudget: limit}, keep && !sized, nil
	case sized:
		n, err := parseLength(cl)
		if err != nil {
			return nil, false, err
		}
		resp.ContentLength = n
		if n == 0 {
			return nil, keep, nil
		}
		return &lengthReader{br: br, n: n}, keep, nil
	default:
		resp.ContentLength = -1
		return br, false, nil
	}
}

// parseLength parses a Content-Length, which a response may repeat only
// with the same value ("10, 10" once joined).
func parseLength(v string) (int64, error) {
	var n int64 = -1
	for f := range strings.SplitSeq(v, ",") {
		f = strings.TrimSpace(f)
		m, err := strconv.ParseInt(f, 10, 64)
		if err != nil || f == "" || f[0] < '0' || f[0] > '9' || n >= 0 && m != n {
			return 0, fmt.Errorf("%w: content length %q", ErrMalformed, v)
		}
		n = m
	}
	return n, nil
}
