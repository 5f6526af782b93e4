package http1

import (
	"errors"
	"os"
	"slices"
	"time"
)

// aLongTimeAgo is a read deadline that wakes a blocked read at once.
var aLongTimeAgo = time.Unix(1, 0)

// put parks a connection whose last response was read to its end, or
// closes it when the pool is full.
func (c *Client) put(cn *conn) {
	cn.used = true
	c.mu.Lock()
	if len(c.idle) >= or(c.MaxIdle, 32) {
		c.mu.Unlock()
		cn.close()
		return
	}
	// The deadline is set before the connection can be taken, so that a
	// taker's earlier deadline always wins over it.
	cn.w.tls.SetReadDeadline(time.Now().Add(or(c.IdleTimeout, 90*time.Second)))
	cn.watched = make(chan struct{})
	c.idle = append(c.idle, cn)
	c.mu.Unlock()
	go c.watch(cn)
}

// watch reads from an idle connection. Nothing is due on it, so the read
// returns only when the server closes it (as servers do with connections
// idle too long), when it sends bytes nobody asked for, when the idle
// timeout passes, or when a taker wakes it. In the first three cases the
// connection leaves the pool at once, so that no request is ever written
// to a connection already known to be dead; the taker that woke it (its
// owner) waits for it in take.
func (c *Client) watch(cn *conn) {
	_, err := cn.br.Peek(1)
	c.mu.Lock()
	i := slices.Index(c.idle, cn)
	if i >= 0 {
		c.idle = slices.Delete(c.idle, i, i+1)
	}
	c.mu.Unlock()
	if i >= 0 {
		cn.close()
	}
	cn.watchErr = err
	close(cn.watched)
}

// take returns the most recently parked connection that is still open, or
// nil when there is none.
func (c *Client) take() *conn {
	for {
		c.mu.Lock()
		n := len(c.idle)
		if n == 0 {
			c.mu.Unlock()
			return nil
		}
		cn := c.idle[n-1]
		c.idle = c.idle[:n-1]
		c.mu.Unlock()

		cn.w.tls.SetReadDeadline(aLongTimeAgo)
		<-cn.watched
		// Only a timeout means the watcher saw nothing from the peer. A
		// TLS read that times out leaves the connection usable.
		if errors.Is(cn.watchErr, os.ErrDeadlineExceeded) {
			cn.w.tls.SetReadDeadline(time.Time{})
			return cn
		}
		cn.close()
	}
}

// CloseIdle closes the connections waiting in the pool. Connections in use
// are not affected; they return to the pool when their requests finish, and
// the client stays usable.
func (c *Client) CloseIdle() {
	c.mu.Lock()
	idle := c.idle
	c.idle = nil
	c.mu.Unlock()
	for _, cn := range idle {
		cn.close()
		<-cn.watched
	}
}
