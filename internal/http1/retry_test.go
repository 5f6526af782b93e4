package http1

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// A server that closes idle connections (net/http's IdleTimeout) costs the
// next call nothing, whatever its method: the pool sees the close and never
// writes to that connection.
func TestServerClosesIdleConnection(t *testing.T) {
	var posts atomic.Int32
	mux := http.NewServeMux()
	mux.Handle("/", apiHandler())
	mux.HandleFunc("POST /report", func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		posts.Add(1)
		io.WriteString(w, `{"acks":[]}`)
	})
	s := startServerOn(t, "127.0.0.1:0", func(srv *http.Server) { srv.IdleTimeout = 100 * time.Millisecond }, mux)
	c := s.client(t)
	if _, _, err := call(c, "GET", "/small", nil); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the closed connection to leave the pool", func() bool { return c.idleLen() == 0 })
	if _, raw, err := call(c, "POST", "/report", []byte(`{"results":[]}`)); err != nil || string(raw) != `{"acks":[]}` {
		t.Fatalf("POST after the server closed the idle connection: %v %q", err, raw)
	}
	if n := posts.Load(); n != 1 {
		t.Errorf("server saw the POST %d times", n)
	}
	if n := s.accepted.Load(); n != 2 {
		t.Errorf("%d connections; want 2", n)
	}
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !cond(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// dropper answers the first request on each connection and then, for
// requests drop selects, reads the request and closes the connection
// without a word: the server may have acted on it or not, the client
// cannot tell. It records every request it read.
type dropper struct {
	mu   sync.Mutex
	seen []string
	drop func(conn, req int) bool
}

func (d *dropper) serve(i int, c *tls.Conn, br *bufio.Reader) {
	for n := 0; ; n++ {
		req, err := http.ReadRequest(br)
		if err != nil {
			return
		}
		io.Copy(io.Discard, req.Body)
		d.mu.Lock()
		d.seen = append(d.seen, req.Method+" "+req.URL.Path)
		d.mu.Unlock()
		if d.drop(i, n) {
			return
		}
		fmt.Fprintf(c, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
	}
}

func (d *dropper) requests() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return strings.Join(d.seen, ", ")
}

func TestRetryRule(t *testing.T) {
	t.Run("idempotent request on a reused connection", func(t *testing.T) {
		d := &dropper{drop: func(conn, req int) bool { return req > 0 }}
		c := startRaw(t, d.serve).client(t)
		for _, path := range []string{"/a", "/b"} {
			if _, raw, err := call(c, "GET", path, nil); err != nil || string(raw) != "ok" {
				t.Fatalf("GET %s: %v", path, err)
			}
		}
		if got, want := d.requests(), "GET /a, GET /b, GET /b"; got != want {
			t.Errorf("server saw %s; want %s (one repetition on a new connection)", got, want)
		}
	})
	t.Run("POST that may have been processed", func(t *testing.T) {
		d := &dropper{drop: func(conn, req int) bool { return req > 0 }}
		c := startRaw(t, d.serve).client(t)
		if _, _, err := call(c, "POST", "/a", []byte("{}")); err != nil {
			t.Fatal(err)
		}
		_, _, err := call(c, "POST", "/b", []byte("{}"))
		if err == nil || !strings.Contains(err.Error(), "EOF") {
			t.Fatalf("POST on a connection that died after it: %v; want an EOF error", err)
		}
		if got, want := d.requests(), "POST /a, POST /b"; got != want {
			t.Errorf("server saw %s; want %s (never repeated)", got, want)
		}
	})
	t.Run("once", func(t *testing.T) {
		d := &dropper{drop: func(conn, req int) bool { return conn > 0 || req > 0 }}
		c := startRaw(t, d.serve).client(t)
		if _, _, err := call(c, "GET", "/a", nil); err != nil {
			t.Fatal(err)
		}
		if _, _, err := call(c, "GET", "/b", nil); err == nil {
			t.Fatal("GET succeeded against a server that drops it")
		}
		if got, want := d.requests(), "GET /a, GET /b, GET /b"; got != want {
			t.Errorf("server saw %s; want %s", got, want)
		}
	})
	t.Run("not on a new connection", func(t *testing.T) {
		d := &dropper{drop: func(conn, req int) bool { return true }}
		c := startRaw(t, d.serve).client(t)
		if _, _, err := call(c, "GET", "/a", nil); err == nil {
			t.Fatal("GET succeeded against a server that drops it")
		}
		if got, want := d.requests(), "GET /a"; got != want {
			t.Errorf("server saw %s; want %s", got, want)
		}
	})
}

// A reused connection that fails before any of the request left makes any
// request, POST included, repeatable. The pool's watcher makes this rare,
// so it is provoked here: the connection dies between take and write.
func TestRetryWhenNothingWasWritten(t *testing.T) {
	s := startServer(t, apiHandler())
	c := s.client(t)
	if _, _, err := call(c, "GET", "/small", nil); err != nil {
		t.Fatal(err)
	}
	cn := c.take()
	if cn == nil {
		t.Fatal("no pooled connection")
	}
	cn.close()
	body := []byte("{}")
	req := &Request{Method: "POST", Path: "/echo", Body: bytes.NewReader(body), ContentLength: 2,
		GetBody: func() (io.Reader, error) { return bytes.NewReader(body), nil }}
	_, a, err := c.roundTrip(context.Background(), cn, req, req.Body)
	if err == nil || !a.reused || a.wrote || a.answered || !a.retry(req) {
		t.Fatalf("attempt %+v, %v; want a repeatable failure before writing", a, err)
	}
}

func TestRetryRuleTable(t *testing.T) {
	body := strings.NewReader("x")
	getBody := func() (io.Reader, error) { return strings.NewReader("x"), nil }
	get := &Request{Method: "GET", Path: "/"}
	getWithBody := &Request{Method: "GET", Path: "/", Body: body, ContentLength: 1}
	getWithGetBody := &Request{Method: "GET", Path: "/", Body: body, ContentLength: 1, GetBody: getBody}
	post := &Request{Method: "POST", Path: "/", Body: body, ContentLength: 1, GetBody: getBody}
	put := &Request{Method: "PUT", Path: "/", Body: body, ContentLength: 1}
	for _, c := range []struct {
		a    attempt
		req  *Request
		want bool
	}{
		{attempt{}, get, false},
		{attempt{wrote: true}, get, false},
		{attempt{reused: true}, post, true},
		{attempt{reused: true}, put, true},
		{attempt{reused: true, wrote: true}, get, true},
		{attempt{reused: true, wrote: true}, getWithGetBody, true},
		{attempt{reused: true, wrote: true}, getWithBody, false},
		{attempt{reused: true, wrote: true}, post, false},
		{attempt{reused: true, wrote: true}, put, false},
		{attempt{reused: true, wrote: true, answered: true}, get, false},
		{attempt{reused: true, answered: true}, post, false},
	} {
		if got := c.a.retry(c.req); got != c.want {
			t.Errorf("%+v %s (body %v, GetBody %v): retry %v, want %v", c.a, c.req.Method, c.req.Body != nil, c.req.GetBody != nil, got, c.want)
		}
	}
}
