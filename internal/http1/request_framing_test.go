package http1

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// echoAPI answers POST /echo with the body's length and text.
func echoAPI() *Mux {
	m := powerAPI()
	m.Handle("POST", "/echo", func(ctx context.Context, r *ServerRequest) (int, any) {
		return 200, map[string]any{"n": len(r.Body), "body": string(r.Body)}
	})
	return m
}

func TestMalformedRequests(t *testing.T) {
	addr, _ := serve(t, &Server{Mux: echoAPI(), MaxHeaderBytes: 4 << 10})
	const host = "Host: 127.0.0.1\r\n"
	for _, tc := range []struct {
		name, raw string
		status    int
	}{
		{"garbage", "garbage\r\n\r\n", 400},
		{"TLS handshake", "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n", 400},
		{"no version", "GET /v1/power\r\n\r\n", 400},
		{"two spaces", "GET  /v1/power HTTP/1.1\r\n" + host + "\r\n", 400},
		{"method not a token", "G(T /v1/power HTTP/1.1\r\n" + host + "\r\n", 400},
		{"version", "GET /v1/power HTTP/1.1x\r\n" + host + "\r\n", 400},
		{"HTTP/2", "GET /v1/power HTTP/2.0\r\n" + host + "\r\n", 505},
		{"absolute form", "GET http://127.0.0.1/v1/power HTTP/1.1\r\n" + host + "\r\n", 400},
		{"asterisk", "OPTIONS * HTTP/1.1\r\n" + host + "\r\n", 400},
		{"bad escape", "GET /v1/%zz HTTP/1.1\r\n" + host + "\r\n", 400},
		{"bad query", "GET /v1/power?since=%zz HTTP/1.1\r\n" + host + "\r\n", 400},
		{"semicolon in query", "GET /v1/power?a=1;b=2 HTTP/1.1\r\n" + host + "\r\n", 400},
		{"fragment", "GET /v1/power#x HTTP/1.1\r\n" + host + "\r\n", 400},
		{"non-ASCII target", "GET /v1/pöwer HTTP/1.1\r\n" + host + "\r\n", 400},
		{"control in target", "GET /v1/\x01 HTTP/1.1\r\n" + host + "\r\n", 400},
		{"no Host", "GET /v1/power HTTP/1.1\r\n\r\n", 400},
		{"two Hosts", "GET /v1/power HTTP/1.1\r\n" + host + host + "\r\n", 400},
		{"header without colon", "GET /v1/power HTTP/1.1\r\n" + host + "Accept\r\n\r\n", 400},
		{"space before colon", "GET /v1/power HTTP/1.1\r\n" + host + "Accept : */*\r\n\r\n", 400},
		{"folded header", "GET /v1/power HTTP/1.1\r\n" + host + "Accept: a\r\n b\r\n\r\n", 400},
		{"control in header", "GET /v1/power HTTP/1.1\r\n" + host + "Accept: a\x00b\r\n\r\n", 400},
		{"length not a number", "POST /echo HTTP/1.1\r\n" + host + "Content-Length: ten\r\n\r\n", 400},
		{"negative length", "POST /echo HTTP/1.1\r\n" + host + "Content-Length: -1\r\n\r\n", 400},
		{"signed length", "POST /echo HTTP/1.1\r\n" + host + "Content-Length: +1\r\n\r\nx", 400},
		{"conflicting lengths", "POST /echo HTTP/1.1\r\n" + host + "Content-Length: 1\r\nContent-Length: 2\r\n\r\nxx", 400},
		{"long header", "GET /v1/power HTTP/1.1\r\n" + host + "X-Pad: " + strings.Repeat("a", 5<<10) + "\r\n\r\n", 431},
		{"long target", "GET /v1/power?x=" + strings.Repeat("a", 5<<10) + " HTTP/1.1\r\n" + host + "\r\n", 431},
		{"many headers", "GET /v1/power HTTP/1.1\r\n" + host + strings.Repeat("X-A: b\r\n", 1000) + "\r\n", 431},
		{"expectation", "POST /echo HTTP/1.1\r\n" + host + "Expect: 200-ok\r\nContent-Length: 1\r\n\r\nx", 417},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := roundTrip(t, addr, tc.raw)
			if r.status != tc.status {
				t.Errorf("got %d %q, want %d", r.status, r.body, tc.status)
			}
			r.errorText(t)
		})
	}
}

// TestLenientRequests covers requests that are odd but valid, or that a
// server should take anyway (RFC 9112 §2.2).
func TestLenientRequests(t *testing.T) {
	addr, _ := serve(t, &Server{Mux: echoAPI()})
	for _, tc := range []struct{ name, raw, body string }{
		{"HTTP/1.0 without Host", "GET /v1/power HTTP/1.0\r\n\r\n", `{"watts":3.5}`},
		{"bare LF", "GET /v1/power HTTP/1.1\nHost: 127.0.0.1\n\n", `{"watts":3.5}`},
		{"empty lines first", "\r\n\r\nGET /v1/power HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", `{"watts":3.5}`},
		{"escaped path", "GET /v1/%70ower HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", `{"watts":3.5}`},
		{"repeated length", "POST /echo HTTP/1.1\r\nHost: [::1]:7381\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nhi", `{"body":"hi","n":2}`},
		{"HTTP/1.0 body", "POST /echo HTTP/1.0\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\nhi", `{"body":"hi","n":2}`},
		{"body with GET", "GET /v1/power HTTP/1.1\r\nHost: localhost:7381\r\nContent-Length: 2\r\n\r\nhi", `{"watts":3.5}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := roundTrip(t, addr, tc.raw)
			if r.status != 200 || r.body != tc.body+"\n" {
				t.Errorf("got %d %q, want 200 %q", r.status, r.body, tc.body)
			}
		})
	}
}

// TestRequestEndsEarly: a client that stops half-way through its request,
// even right before its body, but still reads gets 400.
func TestRequestEndsEarly(t *testing.T) {
	addr, _ := serve(t, &Server{Mux: echoAPI()})
	for _, raw := range []string{
		"GET /v1/power HTTP/1.1\r\nHost: 127.0.0.1\r\n",
		"POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10\r\n\r\nhalf",
		"POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10\r\n\r\n",
	} {
		c := dial(t, addr)
		io.WriteString(c, raw)
		c.(*net.TCPConn).CloseWrite()
		r := readRaw(t, bufio.NewReader(c))
		if msg := r.errorText(t); r.status != 400 || msg != "request ends early" {
			t.Errorf("%q: got %d %q, want 400", raw, r.status, msg)
		}
	}
}

func TestChunkedRequestRefused(t *testing.T) {
	addr, _ := serve(t, &Server{Mux: echoAPI()})
	r := roundTrip(t, addr, "POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n")
	if msg := r.errorText(t); r.status != 411 || !strings.Contains(msg, "Content-Length") {
		t.Errorf("got %d %q, want 411 asking for a Content-Length", r.status, msg)
	}
	// net/http sends a body of unknown length chunked, Content-Length or not.
	req, _ := http.NewRequest("POST", "http://"+addr+"/echo", io.MultiReader(strings.NewReader(`{"a":1}`)))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if r := readReply(t, resp); r.status != 411 {
		t.Errorf("net/http client: got %d %q, want 411", r.status, r.body)
	}
}

func TestRequestTooLarge(t *testing.T) {
	addr, _ := serve(t, &Server{Mux: echoAPI(), MaxBody: 100, ReadTimeout: 5 * time.Second})
	if r := roundTrip(t, addr, "POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n"+strings.Repeat("a", 100)); r.status != 200 {
		t.Errorf("body of MaxBody bytes: got %d %q, want 200", r.status, r.body)
	}
	for _, length := range []string{"101", "1073741824", "99999999999999999999999"} {
		start := time.Now()
		// A gigabyte is announced and 64 KiB sent: the server answers at
		// once, without waiting for the rest, and the client sees the
		// answer, not a reset connection.
		r := roundTrip(t, addr, "POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: "+length+"\r\n\r\n"+strings.Repeat("a", 64<<10))
		if msg := r.errorText(t); r.status != 413 || !strings.Contains(msg, "over the limit of 100") {
			t.Errorf("Content-Length %s: got %d %q, want 413", length, r.status, msg)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("Content-Length %s: answered after %v", length, d)
		}
	}
}

// TestExpectContinue follows curl: it sends the header with "Expect:
// 100-continue", waits for "100 Continue", then sends the body. A request
// that is refused anyway gets its final answer instead, and the body is
// never sent.
func TestExpectContinue(t *testing.T) {
	addr, _ := serve(t, &Server{Mux: echoAPI(), MaxBody: 1 << 10})
	head := func(path string, n int) string {
		return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nExpect: 100-Continue\r\nContent-Length: " + strconv.Itoa(n) + "\r\n\r\n"
	}
	body := `{"source":"thermostat","watts":12}`

	c := dial(t, addr)
	io.WriteString(c, head("/v1/power/signal", len(body)))
	c.SetReadDeadline(time.Now().Add(2 * time.Second))
	br := bufio.NewReader(c)
	got := make([]byte, len("HTTP/1.1 100 Continue\r\n\r\n"))
	if _, err := io.ReadFull(br, got); err != nil || string(got) != "HTTP/1.1 100 Continue\r\n\r\n" {
		t.Fatalf("before the body: got %q, %v; want 100 Continue", got, err)
	}
	io.WriteString(c, body)
	c.SetReadDeadline(time.Now().Add(2 * time.Second))
	if r := readRaw(t, br); r.status != 202 || !strings.Contains(r.body, `"bytes":34`) {
		t.Errorf("after the body: got %d %q, want 202", r.status, r.body)
	}

	for _, tc := range []struct {
		path   string
		n      int
		status int
	}{{"/v1/nothing", 10, 404}, {"/v1/power", 10, 405}, {"/echo", 2 << 10, 413}} {
		c := dial(t, addr)
		io.WriteString(c, head(tc.path, tc.n))
		c.SetReadDeadline(time.Now().Add(2 * time.Second))
		if r := readRaw(t, bufio.NewReader(c)); r.status != tc.status {
			t.Errorf("%s with %d bytes: got %d %q, want %d and no 100 Continue", tc.path, tc.n, r.status, r.body, tc.status)
		}
	}
}

func TestServerReadTimeout(t *testing.T) {
	const timeout = 200 * time.Millisecond
	addr, _ := serve(t, &Server{Mux: echoAPI(), ReadTimeout: timeout})
	for _, tc := range []struct {
		name  string
		parts []string // written 20 ms apart, until the answer comes
	}{
		{"half a header", []string{"GET /v1/power HTTP/1.1\r\nHost: 127.0.0.1\r\n"}},
		{"half a body", []string{"POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10\r\n\r\nhalf"}},
		{"nothing", nil},
		// The timeout is for the whole request, not for each read: this
		// request would take 900 ms to arrive.
		{"a trickle", strings.Split("GET /v1/power HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", "")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			c := dial(t, addr)
			answered := make(chan struct{})
			go func() {
				for _, p := range tc.parts {
					if _, err := io.WriteString(c, p); err != nil {
						return
					}
					select {
					case <-answered:
						return
					case <-time.After(20 * time.Millisecond):
					}
				}
			}()
			br := bufio.NewReader(c)
			r := readRaw(t, br)
			close(answered)
			d := time.Since(start)
			if msg := r.errorText(t); r.status != 408 || msg != "request not received within 200ms" {
				t.Errorf("got %d %q, want 408", r.status, msg)
			}
			if d < timeout-10*time.Millisecond || d > 10*timeout {
				t.Errorf("answered after %v; the timeout is %v", d, timeout)
			}
			// Closed: an end of file, or a reset when the trickle's next
			// byte reached the server after it closed.
			if n, err := br.Read(make([]byte, 1)); n != 0 || err != io.EOF && !errors.Is(err, syscall.ECONNRESET) {
				t.Errorf("after the response: read %d bytes, %v; want the connection closed", n, err)
			}
		})
	}
}
