package http1

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// call sends a request with an optional buffered body and reads the whole
// answer.
func call(c *Client, method, path string, body []byte) (*Response, []byte, error) {
	req := &Request{Method: method, Path: path}
	if body != nil {
		req.Body, req.ContentLength = bytes.NewReader(body), int64(len(body))
		req.GetBody = func() (io.Reader, error) { return bytes.NewReader(body), nil }
	}
	resp, err := c.Do(context.Background(), req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	return resp, raw, err
}

// bigList is JSON large enough that net/http chunks it.
func bigList(n int) []string {
	l := make([]string, n)
	for i := range l {
		l[i] = fmt.Sprintf("item %d of a list the server will chunk", i)
	}
	return l
}

// apiHandler answers like the gateway does: JSON written without a length.
func apiHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /small", func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(map[string]int{"n": 1})
	})
	mux.HandleFunc("GET /large", func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(bigList(5000))
	})
	mux.HandleFunc("POST /echo", func(w http.ResponseWriter, r *http.Request) {
		// net/http/1.x drops the unread request body once the answer
		// starts: read it all first.
		body, _ := io.ReadAll(r.Body)
		w.Write(body)
	})
	mux.HandleFunc("GET /close", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Connection", "close")
		io.WriteString(w, "bye")
	})
	mux.HandleFunc("GET /until-close", func(w http.ResponseWriter, r *http.Request) {
		// Makes net/http end the body by closing the connection.
		w.Header().Set("Transfer-Encoding", "identity")
		io.WriteString(w, strings.Repeat("x", 10000))
	})
	mux.HandleFunc("GET /host", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, r.Host)
	})
	mux.HandleFunc("GET /empty", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	})
	return mux
}

func TestResponseBodyFramings(t *testing.T) {
	s := startServer(t, apiHandler())
	c := s.client(t)

	resp, raw, err := call(c, "GET", "/small", nil)
	if err != nil || resp.StatusCode != 200 || resp.ContentLength != int64(len(raw)) || string(raw) != "{\"n\":1}\n" {
		t.Fatalf("small: %v %+v %q", err, resp, raw)
	}

	resp, raw, err = call(c, "GET", "/large", nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	if resp.ContentLength != -1 || resp.Header.Get("Transfer-Encoding") != "chunked" {
		t.Errorf("large: length %d, transfer encoding %q; want a chunked body", resp.ContentLength, resp.Header.Get("Transfer-Encoding"))
	}
	if err := json.Unmarshal(raw, &got); err != nil || len(raw) < 200<<10 || fmt.Sprint(got) != fmt.Sprint(bigList(5000)) {
		t.Fatalf("large: %d bytes, %v", len(raw), err)
	}

	resp, raw, err = call(c, "GET", "/empty", nil)
	if err != nil || resp.StatusCode != 204 || len(raw) != 0 {
		t.Fatalf("empty: %v %+v %q", err, resp, raw)
	}
	if n := s.accepted.Load(); n != 1 {
		t.Errorf("%d connections for three calls; want 1", n)
	}

	resp, raw, err = call(c, "GET", "/until-close", nil)
	if err != nil || resp.ContentLength != -1 || string(raw) != strings.Repeat("x", 10000) {
		t.Fatalf("until-close: %v %+v %d bytes", err, resp, len(raw))
	}
	if _, _, err := call(c, "GET", "/small", nil); err != nil {
		t.Fatal(err)
	}
	if n := s.accepted.Load(); n != 2 {
		t.Errorf("%d connections; want 2: a body ended by the connection ends it", n)
	}
}

func TestKeepAlive(t *testing.T) {
	s := startServer(t, apiHandler())
	c := s.client(t)
	for i := range 60 {
		switch i % 3 {
		case 0:
			if _, raw, err := call(c, "GET", "/small", nil); err != nil || len(raw) == 0 {
				t.Fatal(i, err)
			}
		case 1:
			// The decoder leaves the encoder's newline unread, as the
			// gateway client's does; the caller drains it.
			resp, err := c.Do(context.Background(), &Request{Method: "GET", Path: "/large"})
			if err != nil {
				t.Fatal(err)
			}
			var l []string
			if err := json.NewDecoder(resp.Body).Decode(&l); err != nil || len(l) != 5000 {
				t.Fatal(i, err, len(l))
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		case 2:
			body := bytes.Repeat([]byte("e"), 100*i)
			if _, raw, err := call(c, "POST", "/echo", body); err != nil || !bytes.Equal(raw, body) {
				t.Fatal(i, err, len(raw))
			}
		}
	}
	if n := s.accepted.Load(); n != 1 {
		t.Errorf("%d connections for 60 sequential calls; want 1", n)
	}
}

func TestConcurrentCalls(t *testing.T) {
	s := startServer(t, apiHandler())
	c := s.client(t)
	const workers, calls = 16, 40
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Go(func() {
			for i := range calls {
				body := bytes.Repeat([]byte{byte('a' + w)}, 1+(w*calls+i)*37%9000)
				_, raw, err := call(c, "POST", "/echo", body)
				if err == nil && !bytes.Equal(raw, body) {
					err = fmt.Errorf("echo of %d bytes came back as %d", len(body), len(raw))
				}
				if err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := s.accepted.Load(); n > workers {
		t.Errorf("%d connections for %d concurrent callers", n, workers)
	}
	if n := c.idleLen(); n != int(s.accepted.Load()) {
		t.Errorf("%d idle connections after the calls; want all %d", n, s.accepted.Load())
	}
}

func TestConnectionClose(t *testing.T) {
	s := startServer(t, apiHandler())
	c := s.client(t)
	for range 3 {
		if _, raw, err := call(c, "GET", "/close", nil); err != nil || string(raw) != "bye" {
			t.Fatal(err, raw)
		}
	}
	if n := s.accepted.Load(); n != 3 {
		t.Errorf("%d connections; want 3, one per answer with Connection: close", n)
	}
}

// A body closed before its end leaves the rest on the connection, which
// therefore must not carry another request.
func TestUnreadBodyClosesConnection(t *testing.T) {
	s := startServer(t, apiHandler())
	c := s.client(t)
	resp, err := c.Do(context.Background(), &Request{Method: "GET", Path: "/large"})
	if err != nil {
		t.Fatal(err)
	}
	io.ReadFull(resp.Body, make([]byte, 100))
	resp.Body.Close()
	if _, err := resp.Body.Read(make([]byte, 1)); err != ErrBodyClosed {
		t.Errorf("read after close: %v", err)
	}
	if c.idleLen() != 0 {
		t.Fatal("a connection with unread body went back to the pool")
	}
	if _, raw, err := call(c, "GET", "/small", nil); err != nil || string(raw) != "{\"n\":1}\n" {
		t.Fatalf("next call: %v %q", err, raw)
	}
	if n := s.accepted.Load(); n != 2 {
		t.Errorf("%d connections; want 2", n)
	}
}

func TestIPv6Literal(t *testing.T) {
	ln, err := net.Listen("tcp6", "[::1]:0")
	if err != nil {
		t.Skip("no IPv6 loopback:", err)
	}
	ln.Close()
	s := startServerOn(t, "[::1]:0", func(*http.Server) {}, apiHandler())
	if !strings.HasPrefix(s.addr, "[::1]:") {
		t.Fatalf("server address %s", s.addr)
	}
	_, raw, err := call(s.client(t), "GET", "/host", nil)
	if err != nil || string(raw) != s.addr {
		t.Fatalf("Host seen by the server: %q, %v; want %s", raw, err, s.addr)
	}
}

func TestInvalidRequestsAreNotSent(t *testing.T) {
	s := startServer(t, apiHandler())
	c := s.client(t)
	for _, r := range []*Request{
		{Method: "GE T", Path: "/"},
		{Method: "GET", Path: "small"},
		{Method: "GET", Path: "/a b"},
		{Method: "GET", Path: "/", Header: Header{"x-a": "1\r\nx-b: 2"}},
		{Method: "GET", Path: "/", Header: Header{"host": "elsewhere"}},
		{Method: "POST", Path: "/", ContentLength: 3},
		{Method: "POST", Path: "/", Body: strings.NewReader("x"), ContentLength: -1},
	} {
		if _, err := c.Do(context.Background(), r); err == nil || !strings.Contains(err.Error(), ErrBadRequest.Error()) {
			t.Errorf("%+v: %v; want ErrBadRequest", r, err)
		}
	}
	if n := s.accepted.Load(); n != 0 {
		t.Errorf("%d connections for invalid requests", n)
	}
}

func TestPoolLimits(t *testing.T) {
	s := startServer(t, apiHandler())
	c := s.client(t)
	c.MaxIdle, c.IdleTimeout = 2, 200*time.Millisecond
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 20 {
				if _, _, err := call(c, "POST", "/echo", []byte("x")); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	if n := c.idleLen(); n > 2 {
		t.Errorf("%d idle connections; MaxIdle is 2", n)
	}
	waitFor(t, "idle connections to time out", func() bool { return c.idleLen() == 0 })
	before := s.accepted.Load()
	if _, _, err := call(c, "GET", "/small", nil); err != nil {
		t.Fatal(err)
	}
	if n := s.accepted.Load(); n != before+1 {
		t.Errorf("%d connections after the idle ones timed out; want %d", n, before+1)
	}
}
