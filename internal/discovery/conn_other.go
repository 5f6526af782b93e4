//go:build !linux

package discovery

import (
	"errors"
	"net"
	"net/netip"

	"github.com/miekg/dns"
)

// conn is not available on this system: Hearth's nodes run Linux.
type conn struct{}

// listen fails: the multicast socket options used are Linux's.
func listen([]net.Interface, func(*dns.Msg, netip.AddrPort)) (*conn, error) {
	return nil, errors.New("discovery: multicast DNS needs Linux")
}

func (c *conn) families() string     { return "" }
func (c *conn) droppedCount() uint64 { return 0 }
func (c *conn) send(*dns.Msg) error  { return errors.New("discovery: not listening") }
func (c *conn) close() error         { return nil }
