package main

import (
	"context"
	"errors"
	"net"
	"net/http"
	"time"
)

// listenDefault listens on addr; when addr is the default (the flag was
// not given) and is taken, as by a second gateway on the machine, it
// takes a free loopback port instead.
func listenDefault(addr string, explicit bool) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil && !explicit {
		ln, err = net.Listen("tcp", "127.0.0.1:0")
	}
	return ln, err
}

// serveUntil serves srv on ln until ctx ends, then shuts it down, giving
// requests under way grace to finish and closing what is still open.
func serveUntil(ctx context.Context, srv *http.Server, ln net.Listener, grace time.Duration) error {
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), grace)
		defer cancel()
		if srv.Shutdown(sctx) != nil {
			srv.Close()
		}
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) && ctx.Err() == nil {
		return err
	}
	return nil
}
