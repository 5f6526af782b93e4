package http1

import (
	"bytes"
	"errors"
	"io"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// requestOutcome is what the server made of a request's bytes.
type requestOutcome struct {
	r        *ServerRequest
	n        int64 // the body's length
	expect   bool  // the client waits for 100 Continue
	err      error
	headLen  int // bytes consumed by the head
	consumed int // bytes consumed in all
}

// readRequest parses raw as the server does (see Server.exchange): the
// head and its checks, then a body of the length they allowed. The
// handler's routing between the two does not change how much is read.
func readRequest(s *Server, raw []byte, bufSize int) (out requestOutcome) {
	br, consumed := source(raw, bufSize)
	out.r, out.n, out.expect, out.err = s.admit(br)
	out.headLen = consumed()
	if out.err == nil && out.n > 0 {
		out.r.Body, out.err = readBody(br, out.n)
	}
	out.consumed = consumed()
	return out
}

// requestHeadLen returns the length of raw's head as RFC 9112 frames a
// request's: any empty lines, the request line, field lines, and the
// empty line that ends them; -1 if raw holds no whole head.
func requestHeadLen(raw []byte) int {
	pos, started := 0, false
	for {
		i := bytes.IndexByte(raw[pos:], '\n')
		if i < 0 {
			return -1
		}
		line := bytes.TrimSuffix(raw[pos:pos+i], []byte("\r"))
		pos += i + 1
		switch {
		case len(line) > 0:
			started = true
		case started:
			return pos
		}
	}
}

// statuses are the ones the server answers a request with before any
// handler runs.
var statuses = []int{400, 403, 411, 413, 417, 431, 505}

// FuzzReadRequest reads raw as the server reads a request, under limits
// of maxHeader and maxBody bytes, and checks that it refuses with an
// answer of its own or a broken connection, or accepts a well-formed
// request within its limits whose body is exactly what Content-Length
// announced.
func FuzzReadRequest(f *testing.F) {
	for _, s := range []string{
		"GET /v1/power HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
		"\r\n\nGET /v1/power/history?since=2m&tag=b%20c HTTP/1.0\n\n",
		// A second request follows the body: the body ends at its length.
		"POST /echo HTTP/1.1\r\nHost: [::1]:7381\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\nhelloGET / HTTP/1.1\r\n\r\n",
		"POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nhi",
		"POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nhi",
		"POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 99999999999999999999\r\n\r\n",
		"POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 10\r\n\r\nhalf",
		"POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 10\r\n\r\n",
		"GET /v1/power HTTP/1.1\r\nHost: 127.0.0.1\r\n",
		"POST /echo HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n",
		"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: 127.0.0.1\r\n\r\n",
		"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-A: a\x00b\r\n\r\n",
		"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-A: a\r\n b\r\n\r\n",
		"GET / HTTP/1.1\r\nHost: rebind.example\r\nOrigin: https://ads.example\r\n\r\n",
		"GET / HTTP/2.0\r\n\r\n",
		"GET /%zz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
		"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: " + strings.Repeat("p", 300) + "\r\n\r\n",
		"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nExpect: 200-ok\r\n\r\n",
		"",
	} {
		f.Add([]byte(s), uint16(256), uint16(16))
	}
	// A body one byte over the limit.
	f.Add([]byte("POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 17\r\n\r\n0123456789abcdefg"), uint16(256), uint16(16))
	f.Fuzz(func(t *testing.T, raw []byte, maxHeader, maxBody uint16) {
		// Small limits, so that the fuzzer reaches them; zero is the
		// default.
		s := (&Server{MaxHeaderBytes: int(maxHeader), MaxBody: int64(maxBody)}).withDefaults()
		out := readRequest(s, raw, bigBuffer)

		small := readRequest(s, raw, smallBuffer)
		if errText(small.err) != errText(out.err) {
			t.Fatalf("error with a %d-byte buffer: %v; with %d: %v", smallBuffer, small.err, bigBuffer, out.err)
		}
		if out.err == nil && !reflect.DeepEqual(small, out) {
			t.Fatalf("with a %d-byte buffer: %+v %+v; with %d: %+v %+v", smallBuffer, small, small.r, bigBuffer, out, out.r)
		}

		head := requestHeadLen(raw)
		switch se, _ := errors.AsType[*statusError](out.err); {
		case out.err == nil:
			checkRequest(t, s, raw, out, head)
		case se != nil:
			if !slices.Contains(statuses, se.status) || se.msg == "" {
				t.Fatalf("answer %d %q", se.status, se.msg)
			}
			// A refused request's body is left unread: a gigabyte
			// announced costs the server nothing.
			if out.consumed != out.headLen {
				t.Fatalf("answered %d after reading %d bytes past the head", se.status, out.consumed-out.headLen)
			}
			// The budget counts the head's bytes, or all of them when
			// the head is not whole: a head within it is not refused.
			seen := len(raw)
			if head >= 0 {
				seen = head
			}
			if se.status == 431 && seen <= s.MaxHeaderBytes {
				t.Fatalf("431 for a head of %d bytes, within the limit of %d", seen, s.MaxHeaderBytes)
			}
		case out.err == io.EOF:
			// Only a connection that closed before its request began.
			if len(bytes.Trim(raw, "\r\n")) > 0 {
				t.Fatalf("io.EOF after %q", raw)
			}
		case out.err == io.ErrUnexpectedEOF:
			if out.consumed != len(raw) {
				t.Fatalf("io.ErrUnexpectedEOF with %d of %d bytes read", out.consumed, len(raw))
			}
		default:
			t.Fatalf("error %v (%T): want a *statusError, io.EOF or io.ErrUnexpectedEOF", out.err, out.err)
		}
	})
}

// checkRequest checks a request the server accepted: it is well formed,
// within the server's limits, and its body is exactly the bytes its
// Content-Length announced.
func checkRequest(t *testing.T, s *Server, raw []byte, out requestOutcome, head int) {
	t.Helper()
	r := out.r
	switch {
	case !isToken(r.Method):
		t.Fatalf("method %q is not a token", r.Method)
	case !strings.HasPrefix(r.Path, "/"):
		t.Fatalf("path %q", r.Path)
	case r.Query == nil || r.Header == nil:
		t.Fatal("nil Query or Header")
	case !r.http10 && r.Header["host"] == "":
		t.Fatal("HTTP/1.1 request without Host")
	case r.Header["transfer-encoding"] != "":
		t.Fatalf("Transfer-Encoding %q accepted", r.Header["transfer-encoding"])
	case out.expect && (r.http10 || !strings.EqualFold(strings.TrimSpace(r.Header["expect"]), "100-continue")):
		t.Fatalf("expects 100 Continue with Expect %q", r.Header["expect"])
	}
	if _, ok := r.Header["origin"]; ok {
		t.Fatal("a browser's request (Origin) got through")
	}
	if h, ok := r.Header["host"]; ok && !localHost(h) {
		t.Fatalf("Host %q got through", h)
	}
	checkHeader(t, r.Header)

	if out.headLen != head || head > s.MaxHeaderBytes {
		t.Fatalf("head of %d bytes read as %d; limit %d", head, out.headLen, s.MaxHeaderBytes)
	}
	cl, sized := r.Header["content-length"]
	if !sized && out.n != 0 {
		t.Fatalf("body of %d bytes without a Content-Length", out.n)
	}
	if sized {
		first, _, _ := strings.Cut(cl, ",")
		if n, err := strconv.ParseInt(strings.TrimSpace(first), 10, 64); err != nil || n != out.n {
			t.Fatalf("Content-Length %q read as %d", cl, out.n)
		}
	}
	if out.n > s.MaxBody || int64(len(r.Body)) != out.n {
		t.Fatalf("body of %d bytes for a length of %d; limit %d", len(r.Body), out.n, s.MaxBody)
	}
	// The body is the bytes after the head, and nothing after it was
	// read: it may be the next request.
	if end := out.headLen + int(out.n); out.consumed != end || !bytes.Equal(r.Body, raw[out.headLen:end]) {
		t.Fatalf("read %d bytes for a head of %d and a body of %d", out.consumed, out.headLen, out.n)
	}
}
