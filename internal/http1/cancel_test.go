package http1

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hearth-home/hearth/internal/identity"
)

// longPoll blocks like the gateway's lease call until the client goes away
// or release is closed, and reports each client that went away.
func longPoll(gone chan<- struct{}, release <-chan struct{}) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/", apiHandler())
	mux.HandleFunc("POST /lease", func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		select {
		case <-r.Context().Done():
			gone <- struct{}{}
		case <-release:
			io.WriteString(w, `{"leases":[]}`)
		}
	})
	mux.HandleFunc("GET /half", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "100000")
		io.WriteString(w, strings.Repeat("h", 50000))
		w.(http.Flusher).Flush()
		<-r.Context().Done()
		gone <- struct{}{}
	})
	return mux
}

func lease(ctx context.Context, c *Client) error {
	body := `{"max":1}`
	resp, err := c.Do(ctx, &Request{Method: "POST", Path: "/lease", Body: strings.NewReader(body), ContentLength: int64(len(body))})
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, err = io.Copy(io.Discard, resp.Body)
	return err
}

func TestCancelLongPoll(t *testing.T) {
	gone, release := make(chan struct{}, 10), make(chan struct{})
	defer close(release)
	s := startServer(t, longPoll(gone, release))
	c := s.client(t)
	if _, _, err := call(c, "GET", "/small", nil); err != nil {
		t.Fatal(err)
	}

	// The long poll takes the pooled connection; calls made meanwhile get
	// their own.
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- lease(ctx, c) }()
	time.Sleep(100 * time.Millisecond)
	for range 5 {
		if _, _, err := call(c, "GET", "/small", nil); err != nil {
			t.Fatal(err)
		}
	}
	start := time.Now()
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("canceled long poll: %v; want context.Canceled", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("cancel took %v", d)
	}
	select {
	case <-gone:
	case <-time.After(2 * time.Second):
		t.Fatal("the server still waits on the canceled call's connection")
	}
	if n := s.accepted.Load(); n != 2 {
		t.Fatalf("%d connections; want 2", n)
	}

	// The canceled call's connection is gone: the pool holds only the
	// healthy one, which serves the next calls.
	if n := c.idleLen(); n != 1 {
		t.Errorf("%d idle connections; want 1", n)
	}
	for range 10 {
		if _, _, err := call(c, "GET", "/small", nil); err != nil {
			t.Fatal(err)
		}
	}
	if n := s.accepted.Load(); n != 2 {
		t.Errorf("%d connections after the cancel; want still 2", n)
	}

	ctx, cancel = context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if err := lease(ctx, c); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("long poll past its deadline: %v; want context.DeadlineExceeded", err)
	}
	<-gone
	if _, _, err := call(c, "GET", "/small", nil); err != nil {
		t.Fatal(err)
	}
}

func TestCancelDuringBody(t *testing.T) {
	gone := make(chan struct{}, 1)
	s := startServer(t, longPoll(gone, nil))
	c := s.client(t)
	ctx, cancel := context.WithCancel(context.Background())
	resp, err := c.Do(ctx, &Request{Method: "GET", Path: "/half"})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if _, err := io.ReadFull(resp.Body, make([]byte, 50000)); err != nil {
		t.Fatal(err)
	}
	time.AfterFunc(50*time.Millisecond, cancel)
	if _, err := resp.Body.Read(make([]byte, 10)); !errors.Is(err, context.Canceled) {
		t.Fatalf("read after cancel: %v; want context.Canceled", err)
	}
	<-gone
	if c.idleLen() != 0 {
		t.Error("a canceled connection went back to the pool")
	}
}

func TestCanceledBeforeStart(t *testing.T) {
	s := startServer(t, apiHandler())
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.client(t).Do(ctx, &Request{Method: "GET", Path: "/small"}); !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v", err)
	}
	if n := s.accepted.Load(); n != 0 {
		t.Errorf("%d connections", n)
	}
}

func TestHandshakeTimeout(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		// Accept and say nothing.
		var held []net.Conn
		defer func() {
			for _, c := range held {
				c.Close()
			}
		}()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			held = append(held, c)
		}
	}()
	c := newClient(t, ln.Addr().String(), newID(t).ID)
	c.HandshakeTimeout = 200 * time.Millisecond
	start := time.Now()
	_, err = c.Do(context.Background(), &Request{Method: "GET", Path: "/"})
	if !errors.Is(err, ErrHandshakeTimeout) {
		t.Fatalf("got %v; want ErrHandshakeTimeout", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %v", d)
	}
}

// The pin runs during the handshake: a wrong server never sees a request,
// and its error reaches the caller.
func TestWrongServerRefused(t *testing.T) {
	hits := 0
	s := startServer(t, http.HandlerFunc(func(http.ResponseWriter, *http.Request) { hits++ }))
	c := newClient(t, s.addr, newID(t).ID)
	if _, err := c.Do(context.Background(), &Request{Method: "GET", Path: "/"}); !errors.Is(err, identity.ErrUnexpectedPeer) {
		t.Fatalf("got %v; want identity.ErrUnexpectedPeer", err)
	}
	if hits != 0 {
		t.Error("the request reached a server that is not the pinned one")
	}
}

func TestDialRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	_, err = newClient(t, addr, newID(t).ID).Do(context.Background(), &Request{Method: "GET", Path: "/"})
	var op *net.OpError
	if !errors.As(err, &op) || op.Op != "dial" {
		t.Fatalf("got %v; want a dial error", err)
	}
}
