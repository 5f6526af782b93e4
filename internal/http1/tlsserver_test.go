package http1

import (
	"bufio"
	"crypto/tls"
	"io"
	"log"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/hearth-home/hearth/internal/identity"
)

// testServer is a real net/http server over TLS, as the gateway runs it,
// that counts the connections it accepts.
type testServer struct {
	addr     string
	id       identity.Identity
	srv      *http.Server
	accepted atomic.Int32
}

func startServer(t testing.TB, h http.Handler) *testServer {
	return startServerOn(t, "127.0.0.1:0", func(*http.Server) {}, h)
}

func startServerOn(t testing.TB, addr string, configure func(*http.Server), h http.Handler) *testServer {
	t.Helper()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	s := &testServer{addr: ln.Addr().String(), id: newID(t)}
	cfg, err := s.id.ServerTLS()
	if err != nil {
		t.Fatal(err)
	}
	s.srv = &http.Server{Handler: h, TLSConfig: cfg, ErrorLog: log.New(io.Discard, "", 0)}
	configure(s.srv)
	go s.srv.Serve(tls.NewListener(&countingListener{ln, &s.accepted}, cfg))
	t.Cleanup(func() { s.srv.Close() })
	return s
}

type countingListener struct {
	net.Listener
	n *atomic.Int32
}

func (l *countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err == nil {
		l.n.Add(1)
	}
	return c, err
}

func newID(t testing.TB) identity.Identity {
	t.Helper()
	id, err := identity.Generate()
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// newClient returns a client of addr that presents a node certificate and
// pins the server's ID, as agents do.
func newClient(t testing.TB, addr string, server identity.NodeID) *Client {
	t.Helper()
	cfg, err := newID(t).ClientTLS(true, identity.Pin(server))
	if err != nil {
		t.Fatal(err)
	}
	c := &Client{Addr: addr, TLS: cfg}
	t.Cleanup(c.CloseIdle)
	return c
}

func (s *testServer) client(t testing.TB) *Client { return newClient(t, s.addr, s.id.ID) }

// rawServer is a TLS server that hands each accepted connection to serve,
// numbered in order of arrival, for answers net/http would not give.
type rawServer struct {
	addr string
	id   identity.Identity
	wg   sync.WaitGroup
}

func startRaw(t *testing.T, serve func(i int, c *tls.Conn, br *bufio.Reader)) *rawServer {
	t.Helper()
	s := &rawServer{id: newID(t)}
	cfg, err := s.id.ServerTLS()
	if err != nil {
		t.Fatal(err)
	}
	ln, err := tls.Listen("tcp", "127.0.0.1:0", cfg)
	if err != nil {
		t.Fatal(err)
	}
	s.addr = ln.Addr().String()
	var conns sync.Map
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for i := 0; ; i++ {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			conns.Store(c, true)
			s.wg.Add(1)
			go func() {
				defer s.wg.Done()
				defer c.Close()
				serve(i, c.(*tls.Conn), bufio.NewReader(c))
			}()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		conns.Range(func(c, _ any) bool { c.(net.Conn).Close(); return true })
		s.wg.Wait()
	})
	return s
}

func (s *rawServer) client(t *testing.T) *Client { return newClient(t, s.addr, s.id.ID) }

func (c *Client) idleLen() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.idle)
}
