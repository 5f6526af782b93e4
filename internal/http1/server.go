package http1

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"time"
)

// Server serves a Mux's API. The zero value works, with the defaults
// documented on the fields; the fields must not change while it serves.
type Server struct {
	// Mux routes requests to handlers. Nil answers every request 404.
	Mux *Mux
	// MaxBody caps a request body in bytes; a request that announces a
	// longer one is answered 413 without reading it. Default 64 KiB.
	MaxBody int64
	// MaxHeaderBytes caps the request line and header fields together;
	// more is answered 431. Default 16 KiB.
	MaxHeaderBytes int
	// ReadTimeout bounds reading the whole request, body included, from
	// the moment the connection is accepted; a slower client is answered
	// 408. Default 10 s.
	ReadTimeout time.Duration
	// WriteTimeout bounds writing the response, and separately an interim
	// "100 Continue". Default 10 s.
	WriteTimeout time.Duration
	// MaxConns caps the connections served at once. As many again are
	// answered 503 at once; beyond that a connection is closed unanswered.
	// Default 32.
	MaxConns int
	// Logger gets handler panics and failures at error level, refused
	// connections at warn, and one line per request at debug. Nil
	// discards.
	Logger *slog.Logger
}

// withDefaults returns a copy of s with its defaults filled in.
func (s *Server) withDefaults() *Server {
	c := *s
	c.MaxBody = or(c.MaxBody, 64<<10)
	c.MaxHeaderBytes = or(c.MaxHeaderBytes, 16<<10)
	c.ReadTimeout = or(c.ReadTimeout, 10*time.Second)
	c.WriteTimeout = or(c.WriteTimeout, 10*time.Second)
	c.MaxConns = or(c.MaxConns, 32)
	c.Logger = or(c.Logger, slog.New(slog.DiscardHandler))
	return &c
}

// Serve accepts connections on ln and serves each in its own goroutine
// until ctx ends. Then it closes ln, stops reading requests that have not
// fully arrived, waits for running handlers (which see ctx end) and their
// responses, and returns nil. If ln fails in another way, say someone
// else closes it, Serve waits the same way and returns the error. Serve
// closes ln in every case.
//
// A failure to accept that may pass, such as running out of file
// descriptors, is logged and retried after a pause.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := s.withDefaults()
	var wg sync.WaitGroup
	defer wg.Wait()
	defer ln.Close() // before waiting: new clients are refused, not queued
	stop := context.AfterFunc(ctx, func() { ln.Close() })
	defer stop()

	serving := make(chan struct{}, srv.MaxConns)
	refusing := make(chan struct{}, srv.MaxConns)
	var pause time.Duration
	for {
		c, err := ln.Accept()
		switch {
		case ctx.Err() != nil:
			if c != nil {
				c.Close()
			}
			return nil
		case errors.Is(err, net.ErrClosed):
			return fmt.Errorf("http1: %w", err)
		case err != nil:
			pause = min(max(2*pause, 5*time.Millisecond), time.Second)
			srv.Logger.Warn("accepting a connection failed; retrying", "err", err, "pause", pause)
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(pause):
			}
			continue
		}
		pause = 0
		select {
		case serving <- struct{}{}:
			wg.Go(func() {
				defer func() { <-serving }()
				srv.serveConn(ctx, c)
			})
			continue
		default:
		}
		select {
		case refusing <- struct{}{}:
			wg.Go(func() {
				defer func() { <-refusing }()
				srv.refuse(ctx, c)
			})
		default:
			c.Close()
		}
	}
}
