package http1

import (
	"bytes"
	"errors"
	"io"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// responseOutcome is what the client made of a response's bytes.
type responseOutcome struct {
	resp     *Response
	body     []byte
	keep     bool // the connection may carry another request
	framed   bool // the head parsed and its framing was accepted
	err      error
	headLen  int // bytes consumed by the head, interim responses included
	consumed int // bytes consumed in all
}

// readResponse parses raw as the client does (see Client.roundTrip): the
// head under limit, the body's framing, then the body to its end.
func readResponse(raw []byte, method string, limit, bufSize int) (out responseOutcome) {
	br, consumed := source(raw, bufSize)
	out.resp, out.err = readResponseHead(br, limit)
	out.headLen = consumed()
	if out.err == nil {
		var r io.Reader
		r, out.keep, out.err = out.resp.frame(method, br, limit)
		out.framed = out.err == nil
		if out.framed && r != nil {
			out.body, out.err = io.ReadAll(r)
		}
	}
	out.consumed = consumed()
	return out
}

// FuzzReadResponse reads raw as the client reads the response to a GET,
// or to a HEAD, with its header under limit bytes, and checks that it
// fails with the client's errors or accepts a well-formed head within the
// limit whose body is exactly what its framing says.
func FuzzReadResponse(f *testing.F) {
	for _, s := range []string{
		"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
		// A second response follows: the body ends at its length.
		"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 204 No Content\r\n\r\n",
		"HTTP/1.1 200\nContent-Length: 2\n\nok",
		"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;name=v\r\nhello\r\n6\r\n world\r\n0\r\nX-Sum: 1\r\n\r\nnext",
		"HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
		"HTTP/1.0 200 OK\r\nConnection: keep-alive\r\n\r\nuntil the end",
		"HTTP/1.1 200 OK\r\nConnection: keep-alive, Close\r\nContent-Length: 2\r\n\r\nok",
		"HTTP/1.1 304 Not Modified\r\nContent-Length: 100\r\n\r\n",
		"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello",
		"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n",
		"HTTP/1.1 100 Continue\r\n\r\n",
		"HTTP/1.1 200 OK\r\nContent-Length: +5\r\n\r\nhello",
		"HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\n\r\n",
		"HTTP/1.1 200 OK\r\nX-A: 1\r\n  more\r\n\r\n",
		"HTTP/1.1 200 OK\r\nX-A: a\rb\r\n\r\n",
		"HTTP/1.1 200 OK\r\nX-Big: " + strings.Repeat("b", 300) + "\r\n\r\n",
		"SSH-2.0-OpenSSH_9.6\r\n",
		"",
	} {
		f.Add([]byte(s), false, uint16(256))
	}
	f.Add([]byte("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n"), true, uint16(0))
	f.Fuzz(func(t *testing.T, raw []byte, head bool, limit uint16) {
		method := "GET"
		if head {
			method = "HEAD"
		}
		// Small limits, so that the fuzzer reaches them; zero is the
		// client's default.
		lim := or(int(limit), 64<<10)
		out := readResponse(raw, method, lim, bigBuffer)

		small := readResponse(raw, method, lim, smallBuffer)
		if errText(small.err) != errText(out.err) {
			t.Fatalf("error with a %d-byte buffer: %v; with %d: %v", smallBuffer, small.err, bigBuffer, out.err)
		}
		if out.err == nil && !reflect.DeepEqual(small, out) {
			t.Fatalf("with a %d-byte buffer: %+v; with %d: %+v", smallBuffer, small, bigBuffer, out)
		}

		switch err := out.err; {
		case err == io.EOF:
			// Only a connection that closed before any answer.
			if len(raw) > 0 {
				t.Fatalf("io.EOF after %q", raw)
			}
		case errors.Is(err, io.ErrUnexpectedEOF):
			if out.consumed != len(raw) {
				t.Fatalf("io.ErrUnexpectedEOF with %d of %d bytes read", out.consumed, len(raw))
			}
		case err != nil && !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrUnsupported) && !errors.Is(err, ErrHeaderTooLarge):
			t.Fatalf("error %v (%T): want ErrMalformed, ErrUnsupported, ErrHeaderTooLarge or io.ErrUnexpectedEOF", err, err)
		}
		if out.resp != nil {
			checkResponse(t, raw, method, lim, out)
		}
	})
}

// checkResponse checks a response whose head the client accepted: the
// head is well formed and within the limit, and the body is exactly what
// its framing says, read no further.
func checkResponse(t *testing.T, raw []byte, method string, limit int, out responseOutcome) {
	t.Helper()
	resp := out.resp
	if resp.StatusCode < 200 || resp.StatusCode > 999 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	checkHeader(t, resp.Header)
	if out.headLen > limit {
		t.Fatalf("head of %d bytes read under a limit of %d", out.headLen, limit)
	}
	if !out.framed {
		return
	}
	h := resp.Header
	if out.keep && (resp.http10 || h.has("connection", "close")) {
		t.Fatal("keeps a connection the server closes")
	}
	rest := raw[out.headLen:]
	after := out.consumed - out.headLen // bytes of the body's framing read
	te, chunked := h["transfer-encoding"]
	cl, sized := h["content-length"]
	switch {
	case method == "HEAD" || resp.StatusCode == 204 || resp.StatusCode == 304:
		if resp.ContentLength != 0 || after != 0 {
			t.Fatalf("no body expected; length %d, %d bytes read", resp.ContentLength, after)
		}
	case chunked:
		if !strings.EqualFold(strings.TrimSpace(te), "chunked") || resp.ContentLength != -1 {
			t.Fatalf("Transfer-Encoding %q read as length %d", te, resp.ContentLength)
		}
		if sized && out.keep {
			t.Fatal("keeps a connection after both Content-Length and chunked")
		}
		if len(out.body) > after {
			t.Fatalf("%d bytes decoded from %d", len(out.body), after)
		}
	case sized:
		n, err := strconv.ParseInt(strings.TrimSpace(strings.Split(cl, ",")[0]), 10, 64)
		if err != nil || n != resp.ContentLength {
			t.Fatalf("Content-Length %q read as %d", cl, resp.ContentLength)
		}
		// Never past the length: what follows may be the next response.
		if !bytes.Equal(out.body, rest[:after]) || out.err == nil && int64(after) != n || int64(after) > n {
			t.Fatalf("Content-Length %d: %d bytes read, body of %d, %v", n, after, len(out.body), out.err)
		}
	default:
		if resp.ContentLength != -1 || out.keep || out.err != nil || !bytes.Equal(out.body, rest) {
			t.Fatalf("body until the end: length %d, keep %v, %d of %d bytes read, %v", resp.ContentLength, out.keep, after, len(rest), out.err)
		}
	}
}
