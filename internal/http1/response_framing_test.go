package http1

import (
	"bufio"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"
)

// parse reads one response for method from raw as the client does.
func parse(method, raw string, limit int) (resp *Response, body string, keep bool, err error) {
	br := bufio.NewReaderSize(strings.NewReader(raw), 4<<10)
	if resp, err = readResponseHead(br, limit); err != nil {
		return nil, "", false, err
	}
	r, keep, err := resp.frame(method, br, limit)
	if err != nil || r == nil {
		return resp, "", keep, err
	}
	b, err := io.ReadAll(r)
	return resp, string(b), keep, err
}

func TestResponseFraming(t *testing.T) {
	for _, c := range []struct {
		name, method, raw string
		body              string
		keep              bool
		err               error
	}{
		{"length", "GET", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", "hello", true, nil},
		{"bare LF and no reason", "GET", "HTTP/1.1 200\nContent-Length: 2\n\nok", "ok", true, nil},
		{"repeated equal length", "GET", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nok", "ok", true, nil},
		{"chunked with extension and trailer", "GET",
			"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;name=v\r\nhello\r\n6\r\n world\r\n0\r\nX-Sum: 1\r\n\r\n", "hello world", true, nil},
		{"chunked uppercase hex", "GET", "HTTP/1.1 200 OK\r\nTransfer-Encoding: Chunked\r\n\r\nA\r\n0123456789\r\n0\r\n\r\n", "0123456789", true, nil},
		{"chunked and length", "GET", "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n", "ok", false, nil},
		{"until close", "GET", "HTTP/1.1 200 OK\r\n\r\nall of it", "all of it", false, nil},
		{"connection close", "GET", "HTTP/1.1 200 OK\r\nConnection: keep-alive, Close\r\nContent-Length: 2\r\n\r\nok", "ok", false, nil},
		{"HTTP/1.0", "GET", "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok", "ok", false, nil},
		{"interim response", "POST", "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok", "ok", true, nil},
		{"no content", "POST", "HTTP/1.1 204 No Content\r\n\r\n", "", true, nil},
		{"HEAD", "HEAD", "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n", "", true, nil},

		{"truncated length", "GET", "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello", "hello", true, io.ErrUnexpectedEOF},
		{"truncated chunk", "GET", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel", "hel", true, io.ErrUnexpectedEOF},
		{"missing last chunk", "GET", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n", "ok", true, io.ErrUnexpectedEOF},
		{"truncated head", "GET", "HTTP/1.1 200 OK\r\nContent-Le", "", false, io.ErrUnexpectedEOF},
		{"head cut at a line's end", "GET", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n", "", false, io.ErrUnexpectedEOF},
		{"only an interim response", "POST", "HTTP/1.1 100 Continue\r\n\r\n", "", false, io.ErrUnexpectedEOF},
		{"nothing", "GET", "", "", false, io.EOF},
		{"chunk longer than its size", "GET", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nokay\r\n0\r\n\r\n", "ok", true, ErrMalformed},
		{"bad chunk size", "GET", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "", true, ErrMalformed},
		{"huge chunk size", "GET", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffff\r\n", "", true, ErrMalformed},
		{"chunk line too long", "GET", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1;" + strings.Repeat("e", 5000) + "\r\n", "", true, ErrHeaderTooLarge},
		{"conflicting lengths", "GET", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello", "", false, ErrMalformed},
		{"signed length", "GET", "HTTP/1.1 200 OK\r\nContent-Length: +5\r\n\r\nhello", "", false, ErrMalformed},
		{"other transfer coding", "GET", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", "", false, ErrUnsupported},
		{"switching protocols", "GET", "HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\n\r\n", "", false, ErrUnsupported},
		{"not HTTP", "GET", "SSH-2.0-OpenSSH_9.6\r\n", "", false, ErrMalformed},
		{"bad status", "GET", "HTTP/1.1 2x0 OK\r\n\r\n", "", false, ErrMalformed},
		{"HTTP/2 status", "GET", "HTTP/2 200\r\n\r\n", "", false, ErrMalformed},
		{"folded header", "GET", "HTTP/1.1 200 OK\r\nX-A: 1\r\n  more\r\n\r\n", "", false, ErrMalformed},
		{"space before colon", "GET", "HTTP/1.1 200 OK\r\nContent-Length : 2\r\n\r\nok", "", false, ErrMalformed},
		{"control in header", "GET", "HTTP/1.1 200 OK\r\nX-A: a\rb\r\nContent-Length: 2\r\n\r\nok", "", false, ErrMalformed},
	} {
		_, body, keep, err := parse(c.method, c.raw, 64<<10)
		switch {
		case !errors.Is(err, c.err):
			t.Errorf("%s: error %v, want %v", c.name, err, c.err)
		case err == nil && (body != c.body || keep != c.keep):
			t.Errorf("%s: body %q keep %v, want %q %v", c.name, body, keep, c.body, c.keep)
		}
	}
}

func TestResponseHeaderLimit(t *testing.T) {
	head := "HTTP/1.1 200 OK\r\nX-Big: " + strings.Repeat("b", 1000) + "\r\nContent-Length: 0\r\n\r\n"
	if _, _, _, err := parse("GET", head, len(head)); err != nil {
		t.Errorf("a head of exactly the limit: %v", err)
	}
	if _, _, _, err := parse("GET", head, len(head)-1); !errors.Is(err, ErrHeaderTooLarge) {
		t.Errorf("a head one byte over the limit: %v", err)
	}
	many := "HTTP/1.1 200 OK\r\n" + strings.Repeat("X-A: 1\r\n", 20000) + "\r\n"
	if _, _, _, err := parse("GET", many, 64<<10); !errors.Is(err, ErrHeaderTooLarge) {
		t.Errorf("many small header lines: %v", err)
	}
	trailers := "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n" + strings.Repeat("X-T: 1\r\n", 20000) + "\r\n"
	if _, _, _, err := parse("GET", trailers, 64<<10); !errors.Is(err, ErrHeaderTooLarge) {
		t.Errorf("many trailers: %v", err)
	}
}

// A real server's oversized header is refused, and the client carries on
// with a new connection.
func TestOversizedHeaderRefused(t *testing.T) {
	mux := http.NewServeMux()
	mux.Handle("/", apiHandler())
	mux.HandleFunc("GET /big-header", func(w http.ResponseWriter, r *http.Request) {
		for i := range 200 {
			w.Header().Set(fmt.Sprintf("X-Filler-%d", i), strings.Repeat("f", 1000))
		}
	})
	s := startServer(t, mux)
	c := s.client(t)
	if _, _, err := call(c, "GET", "/big-header", nil); !errors.Is(err, ErrHeaderTooLarge) {
		t.Fatalf("got %v; want ErrHeaderTooLarge", err)
	}
	if _, raw, err := call(c, "GET", "/small", nil); err != nil || len(raw) == 0 {
		t.Fatalf("next call: %v", err)
	}
	small := s.client(t)
	small.MaxHeaderBytes = 50
	if _, _, err := call(small, "GET", "/small", nil); !errors.Is(err, ErrHeaderTooLarge) {
		t.Fatalf("with MaxHeaderBytes 50: %v", err)
	}
}

// noise is a reader that is not a bytes.Reader: PutBlob's body streams.
type noise struct{ r *rand.ChaCha8 }

func (n noise) Read(p []byte) (int, error) { return n.r.Read(p) }

func TestStreamedBody(t *testing.T) {
	mux := http.NewServeMux()
	mux.Handle("/", apiHandler())
	mux.HandleFunc("PUT /blob", func(w http.ResponseWriter, r *http.Request) {
		h := sha256.New()
		n, _ := io.Copy(h, r.Body)
		fmt.Fprintf(w, "%d %d %x", r.ContentLength, n, h.Sum(nil))
	})
	mux.HandleFunc("PUT /refuse", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "no", http.StatusForbidden)
	})
	s := startServer(t, mux)
	c := s.client(t)
	const size = 8 << 20
	put := func(path string, body io.Reader) (*Response, string, error) {
		resp, err := c.Do(context.Background(), &Request{Method: "PUT", Path: path, Body: body, ContentLength: size})
		if err != nil {
			return nil, "", err
		}
		defer resp.Body.Close()
		raw, err := io.ReadAll(resp.Body)
		return resp, string(raw), err
	}

	h := sha256.New()
	io.Copy(h, io.LimitReader(noise{rand.NewChaCha8([32]byte{1})}, size))
	_, got, err := put("/blob", noise{rand.NewChaCha8([32]byte{1})})
	if want := fmt.Sprintf("%d %d %x", size, size, h.Sum(nil)); err != nil || got != want {
		t.Fatalf("PUT: %v %q; want %q", err, got, want)
	}
	if _, _, err := call(c, "GET", "/small", nil); err != nil {
		t.Fatal(err)
	}
	if n := s.accepted.Load(); n != 1 {
		t.Errorf("%d connections; want 1", n)
	}

	// A body shorter than its length fails the call, not the next one.
	_, _, err = put("/blob", strings.NewReader("short"))
	if !errors.Is(err, io.ErrUnexpectedEOF) || !strings.Contains(err.Error(), "request body") {
		t.Errorf("short body: %v", err)
	}
	if _, _, err := call(c, "GET", "/small", nil); err != nil {
		t.Fatal(err)
	}

	// A server that refuses before reading the body: its answer is the
	// result, not the failed write.
	resp, got, err := put("/refuse", noise{rand.NewChaCha8([32]byte{2})})
	if err != nil || resp.StatusCode != http.StatusForbidden || got != "no\n" {
		t.Fatalf("refused PUT: %v %+v %q", err, resp, got)
	}
	if _, _, err := call(c, "GET", "/small", nil); err != nil {
		t.Fatal(err)
	}
}
