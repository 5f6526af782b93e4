//go:build !linux

package mdns

import (
	"errors"
	"net"
	"net/netip"
)

// Conn is not available on this system: Hearth's nodes run Linux.
type Conn struct{}

// Listen fails: the multicast socket options used are Linux's.
func Listen([]net.Interface, func(*Message, netip.AddrPort)) (*Conn, error) {
	return nil, errors.New("mdns: multicast DNS needs Linux")
}

func (c *Conn) Families() string                      { return "" }
func (c *Conn) Dropped() uint64                       { return 0 }
func (c *Conn) Send(*Message) error                   { return errors.New("mdns: not listening") }
func (c *Conn) SendTo(*Message, netip.AddrPort) error { return errors.New("mdns: not listening") }
func (c *Conn) Close() error                          { return nil }
