// Package mqttconn opens paho's connection to a broker with reads through
// a buffer. paho reads each packet from the connection as it comes: a byte
// for the header, a byte at a time for its length, then the rest, three
// or more read calls per packet. Through a bufio.Reader one read call
// takes as many packets as the socket holds: at a few thousand messages a
// second, that is most of the gateway's system calls saved
// (docs/architecture.md has the figures).
package mqttconn

import (
	"bufio"
	"crypto/tls"
	"fmt"
	"net"
	"net/url"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"
)

// readBuffer is the size of a connection's read buffer.
const readBuffer = 32 << 10

// Open is an mqtt.OpenConnectionFunc for tcp:// and ssl:// brokers (the
// schemes the gateway's --mqtt becomes; mqtt:// and mqtts:// are taken as
// their synonyms): set it with ClientOptions.SetCustomOpenConnectionFn.
// It dials as paho would, with the options' dialer, connect timeout and
// TLS configuration, and no proxy.
func Open(uri *url.URL, o mqtt.ClientOptions) (net.Conn, error) {
	d := o.Dialer
	if d == nil {
		timeout := o.ConnectTimeout
		if timeout <= 0 {
			timeout = 30 * time.Second
		}
		d = &net.Dialer{Timeout: timeout}
	}
	var c net.Conn
	var err error
	switch uri.Scheme {
	case "tcp", "mqtt":
		c, err = d.Dial("tcp", uri.Host)
	case "ssl", "tls", "mqtts":
		cfg := o.TLSConfig
		if cfg == nil {
			cfg = &tls.Config{}
		}
		c, err = tls.DialWithDialer(d, "tcp", uri.Host, cfg)
	default:
		return nil, fmt.Errorf("mqtt broker %s: scheme %q is not tcp:// or ssl://", uri.Redacted(), uri.Scheme)
	}
	if err != nil {
		return nil, err
	}
	return &conn{Conn: c, r: bufio.NewReaderSize(c, readBuffer)}, nil
}

// conn is a connection whose reads go through r.
type conn struct {
	net.Conn
	r *bufio.Reader
}

func (c *conn) Read(p []byte) (int, error) { return c.r.Read(p) }
