package http1

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestServeStops: when its context ends, Serve stops accepting, drops
// connections whose request has not arrived, lets a running handler
// finish and its answer reach the client, and returns nil with none of
// its goroutines left.
func TestServeStops(t *testing.T) {
	started := make(chan struct{})
	var finished atomic.Bool
	m := powerAPI()
	m.Handle("GET", "/v1/slow", func(ctx context.Context, r *ServerRequest) (int, any) {
		close(started)
		<-ctx.Done()
		time.Sleep(50 * time.Millisecond) // still winding up: Serve waits
		finished.Store(true)
		return Error(503, "shutting down")
	})
	addr, stop := serve(t, &Server{Mux: m})

	// Accepted in this order, so all three are being served once the
	// handler runs.
	half := dial(t, addr)
	io.WriteString(half, "GET /v1/power HTTP/1.1\r\n")
	idle := dial(t, addr)
	slow := dial(t, addr)
	io.WriteString(slow, "GET /v1/slow HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
	answer := make(chan *http.Response, 1)
	go func() {
		resp, _ := http.ReadResponse(bufio.NewReader(slow), nil)
		answer <- resp
	}()
	<-started

	start := time.Now()
	if err := stop(); err != nil {
		t.Errorf("Serve returned %v, want nil", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Serve took %v to return", d)
	}
	if !finished.Load() {
		t.Error("Serve returned before the handler did")
	}
	if resp := <-answer; resp == nil || resp.StatusCode != 503 {
		t.Errorf("the running request got %v, want its handler's 503", resp)
	}
	for name, c := range map[string]net.Conn{"half a request": half, "no request": idle} {
		if n, err := c.Read(make([]byte, 100)); n != 0 || err == nil {
			t.Errorf("%s: read %d bytes, %v; want the connection closed unanswered", name, n, err)
		}
	}
	if c, err := net.Dial("tcp", addr); err == nil {
		c.Close()
		t.Error("the listener is still open")
	}
	deadline := time.Now().Add(time.Second)
	for g := serverGoroutines(); len(g) > 0; g = serverGoroutines() {
		if time.Now().After(deadline) {
			t.Fatalf("goroutines left after Serve returned:\n%s", strings.Join(g, "\n\n"))
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// serverGoroutines returns the stacks of goroutines running the server's
// code.
func serverGoroutines() []string {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	var found []string
	for g := range strings.SplitSeq(string(buf), "\n\n") {
		if strings.Contains(g, "internal/http1.(*Server)") {
			found = append(found, g)
		}
	}
	return found
}

func TestListenerClosed(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- (&Server{}).Serve(context.Background(), ln) }()
	ln.Close()
	select {
	case err := <-done:
		if !errors.Is(err, net.ErrClosed) {
			t.Errorf("Serve returned %v, want net.ErrClosed", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Serve did not return after its listener closed")
	}
}

// TestMaxConns: a connection over the limit is answered 503 at once, and
// the server serves again when a connection ends.
func TestMaxConns(t *testing.T) {
	var log logBuffer
	addr, _ := serve(t, &Server{Mux: powerAPI(), MaxConns: 1, Logger: log.logger()})
	first := dial(t, addr)
	io.WriteString(first, "GET /v1/power HTTP/1.1\r\n")

	r := roundTrip(t, addr, "GET /v1/power HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
	if msg := r.errorText(t); r.status != 503 || !strings.Contains(msg, "too many connections") {
		t.Errorf("over the limit: got %d %q, want 503", r.status, msg)
	}
	if !strings.Contains(log.String(), "too many connections") {
		t.Errorf("refusal not logged:\n%s", log.String())
	}

	io.WriteString(first, "Host: 127.0.0.1\r\n\r\n")
	if r := readRaw(t, bufio.NewReader(first)); r.status != 200 {
		t.Errorf("the first connection got %d, want 200", r.status)
	}
	// Its slot frees once its goroutine ends, just after the answer.
	for try := 0; ; try++ {
		resp, err := http.Get("http://" + addr + "/v1/power")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				break
			}
		}
		if try == 100 {
			t.Fatalf("after the first connection ended: got %v, %v; want 200", resp, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
