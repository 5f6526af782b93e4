package http1

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// serve runs s on a fresh loopback port until the test ends, and returns
// the address and a function that stops it and returns what Serve
// returned.
func serve(t *testing.T, s *Server) (addr string, stop func() error) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	var once sync.Once
	var serveErr error
	stop = func() error {
		once.Do(func() {
			cancel()
			select {
			case serveErr = <-done:
			case <-time.After(5 * time.Second):
				t.Fatal("Serve did not return within 5 s of its context ending")
			}
		})
		return serveErr
	}
	t.Cleanup(func() {
		if err := stop(); err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return ln.Addr().String(), stop
}

// powerAPI is a small API of the shape the agent serves.
func powerAPI() *Mux {
	var m Mux
	m.Handle("GET", "/v1/power", func(ctx context.Context, r *ServerRequest) (int, any) {
		return 200, map[string]any{"watts": 3.5}
	})
	m.Handle("GET", "/v1/power/history", func(ctx context.Context, r *ServerRequest) (int, any) {
		since, err := time.ParseDuration(r.Query.Get("since"))
		if err != nil {
			return Error(400, "since: %v", err)
		}
		return 200, map[string]any{"since": since.String(), "query": r.Query, "agent": r.Header.Get("User-Agent")}
	})
	m.Handle("POST", "/v1/power/signal", func(ctx context.Context, r *ServerRequest) (int, any) {
		var sig struct {
			Source string  `json:"source"`
			Watts  float64 `json:"watts"`
		}
		if err := json.Unmarshal(r.Body, &sig); err != nil {
			return Error(400, "body: %v", err)
		}
		return 202, map[string]any{"got": sig, "bytes": len(r.Body)}
	})
	m.Handle("PUT", "/v1/power/signal", func(ctx context.Context, r *ServerRequest) (int, any) { return 204, nil })
	return &m
}

// logBuffer collects a server's log for a test to read.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func (b *logBuffer) logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(b, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// reply is a response read whole.
type reply struct {
	status int
	header http.Header
	body   string
}

// errorText returns the message of an {"error": "..."} body, or fails.
func (r reply) errorText(t *testing.T) string {
	t.Helper()
	var e struct {
		Error *string `json:"error"`
	}
	if err := json.Unmarshal([]byte(r.body), &e); err != nil || e.Error == nil {
		t.Fatalf("status %d, body %q: not a JSON error (%v)", r.status, r.body, err)
	}
	return *e.Error
}

func readReply(t *testing.T, resp *http.Response) reply {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	if len(b) > 0 && resp.Header.Get("Content-Type") != "application/json" {
		t.Errorf("Content-Type %q", resp.Header.Get("Content-Type"))
	}
	if !resp.Close {
		t.Error("response does not close the connection")
	}
	return reply{resp.StatusCode, resp.Header, string(b)}
}

// do sends a request with net/http's client, as a program would.
func do(t *testing.T, method, url, body string) reply {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	return readReply(t, resp)
}

// roundTrip writes raw to a new connection and reads the response; the
// connection must close after it.
func roundTrip(t *testing.T, addr, raw string) reply {
	t.Helper()
	c := dial(t, addr)
	defer c.Close()
	if _, err := io.WriteString(c, raw); err != nil {
		t.Fatalf("write: %v", err)
	}
	br := bufio.NewReader(c)
	r := readRaw(t, br)
	if n, err := br.Read(make([]byte, 1)); n != 0 || err != io.EOF {
		t.Errorf("after the response: read %d bytes, %v; want the connection closed", n, err)
	}
	return r
}

func dial(t *testing.T, addr string) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	c.SetDeadline(time.Now().Add(10 * time.Second))
	return c
}

func readRaw(t *testing.T, br *bufio.Reader) reply {
	t.Helper()
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatalf("read response: %v", err)
	}
	return readReply(t, resp)
}

func TestGetWithQuery(t *testing.T) {
	addr, _ := serve(t, &Server{Mux: powerAPI()})
	r := do(t, "GET", "http://"+addr+"/v1/power/history?since=2m&tag=a&tag=b%20c", "")
	want := `{"agent":"Go-http-client/1.1","query":{"since":["2m"],"tag":["a","b c"]},"since":"2m0s"}` + "\n"
	if r.status != 200 || r.body != want {
		t.Errorf("got %d %q, want 200 %q", r.status, r.body, want)
	}
	if r.header.Get("Date") == "" || r.header.Get("Content-Length") != strconv.Itoa(len(want)) {
		t.Errorf("header %v", r.header)
	}

	r = do(t, "GET", "http://"+addr+"/v1/power/history?since=soon", "")
	if msg := r.errorText(t); r.status != 400 || !strings.Contains(msg, "since: ") {
		t.Errorf("bad query: got %d %q", r.status, msg)
	}
}

func TestPostJSON(t *testing.T) {
	addr, _ := serve(t, &Server{Mux: powerAPI()})
	r := do(t, "POST", "http://"+addr+"/v1/power/signal", `{"source":"inverter","watts":812.5}`)
	want := `{"bytes":35,"got":{"source":"inverter","watts":812.5}}` + "\n"
	if r.status != 202 || r.body != want {
		t.Errorf("got %d %q, want 202 %q", r.status, r.body, want)
	}
	r = do(t, "PUT", "http://"+addr+"/v1/power/signal", `{}`)
	if r.status != 204 || r.body != "" || r.header.Get("Content-Length") != "" {
		t.Errorf("204: got %d %q, header %v", r.status, r.body, r.header)
	}
}

func TestNotFound(t *testing.T) {
	addr, _ := serve(t, &Server{Mux: powerAPI()})
	for _, path := range []string{"/", "/v1/power/", "/v1/Power", "/v1/power/history/x", "/v1/power/../power"} {
		r := do(t, "GET", "http://"+addr+path, "")
		if msg := r.errorText(t); r.status != 404 || !strings.Contains(msg, "no such resource") {
			t.Errorf("GET %s: got %d %q, want 404", path, r.status, msg)
		}
	}
	// A server without a Mux has nothing to serve.
	addr, _ = serve(t, &Server{})
	if r := do(t, "GET", "http://"+addr+"/v1/power", ""); r.status != 404 {
		t.Errorf("no Mux: got %d, want 404", r.status)
	}
}

func TestMethodNotAllowed(t *testing.T) {
	addr, _ := serve(t, &Server{Mux: powerAPI()})
	for _, tc := range []struct{ method, path, allow string }{
		{"DELETE", "/v1/power/signal", "POST, PUT"},
		{"GET", "/v1/power/signal", "POST, PUT"},
		{"POST", "/v1/power", "GET"},
		{"HEAD", "/v1/power", "GET"},
		{"OPTIONS", "/v1/power", "GET"},
		{"get", "/v1/power", "GET"},
	} {
		r := roundTrip(t, addr, tc.method+" "+tc.path+" HTTP/1.1\r\nHost: "+addr+"\r\n\r\n")
		if r.status != 405 || r.header.Get("Allow") != tc.allow {
			t.Errorf("%s %s: got %d, Allow %q; want 405, Allow %q", tc.method, tc.path, r.status, r.header.Get("Allow"), tc.allow)
		}
		if tc.method != "HEAD" {
			if msg := r.errorText(t); !strings.Contains(msg, "not allowed") {
				t.Errorf("%s %s: error %q", tc.method, tc.path, msg)
			}
		}
	}
}

func TestHandlerPanic(t *testing.T) {
	var log logBuffer
	m := powerAPI()
	m.Handle("GET", "/boom", func(ctx context.Context, r *ServerRequest) (int, any) {
		var m map[string]int
		m["x"]++
		return 200, nil
	})
	addr, _ := serve(t, &Server{Mux: m, Logger: log.logger()})
	for range 3 {
		r := do(t, "GET", "http://"+addr+"/boom", "")
		if msg := r.errorText(t); r.status != 500 || msg != "internal error" {
			t.Errorf("got %d %q, want 500 internal error", r.status, msg)
		}
		if r := do(t, "GET", "http://"+addr+"/v1/power", ""); r.status != 200 {
			t.Errorf("after a panic: got %d, want 200", r.status)
		}
	}
	if l := log.String(); !strings.Contains(l, "handler panicked") || !strings.Contains(l, "assignment to entry in nil map") ||
		!strings.Contains(l, "path=/boom") {
		t.Errorf("log does not record the panic:\n%s", l)
	}
}

// TestHandlerAnswers covers what a handler may return besides a status
// and a value.
func TestHandlerAnswers(t *testing.T) {
	var log logBuffer
	var m Mux
	answer := func(status int, body any) Handler {
		return func(context.Context, *ServerRequest) (int, any) { return status, body }
	}
	m.Handle("GET", "/err", answer(409, errors.New(`lease "x" is held`)))
	m.Handle("GET", "/nil", answer(200, nil))
	m.Handle("GET", "/zero", answer(0, "forgot the status"))
	m.Handle("GET", "/info", answer(101, nil))
	m.Handle("GET", "/chan", answer(200, make(chan int)))
	m.Handle("GET", "/raw", answer(200, json.RawMessage(`[1,2]`)))
	addr, _ := serve(t, &Server{Mux: &m, Logger: log.logger()})
	for _, tc := range []struct {
		path   string
		status int
		body   string
	}{
		{"/err", 409, `{"error":"lease \"x\" is held"}` + "\n"},
		{"/nil", 200, ""},
		{"/zero", 500, `{"error":"internal error"}` + "\n"},
		{"/info", 500, `{"error":"internal error"}` + "\n"},
		{"/chan", 500, `{"error":"internal error"}` + "\n"},
		{"/raw", 200, "[1,2]\n"},
	} {
		r := do(t, "GET", "http://"+addr+tc.path, "")
		if r.status != tc.status || r.body != tc.body {
			t.Errorf("%s: got %d %q, want %d %q", tc.path, r.status, r.body, tc.status, tc.body)
		}
		if tc.body == "" && r.header.Get("Content-Length") != "0" {
			t.Errorf("%s: Content-Length %q, want 0", tc.path, r.header.Get("Content-Length"))
		}
	}
	for _, want := range []string{"handler returned status 0", "handler returned status 101", "encode chan int"} {
		if !strings.Contains(log.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, log.String())
		}
	}
}
