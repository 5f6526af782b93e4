// Package ntptest is a time server for tests of what sets the clock from
// the network: it answers SNTP requests (RFC 4330) with its own clock
// moved by an offset, so that a test can tell that a device took its time.
package ntptest

import (
	"encoding/binary"
	"net"
	"sync/atomic"
	"time"
)

// Server answers on a UDP socket until Close.
type Server struct {
	conn   net.PacketConn
	offset time.Duration
	// Unsynchronized makes the answers say that the server's clock is not
	// synchronized (leap indicator 3), which clients must refuse.
	unsync atomic.Bool
	// Answered counts the answers sent.
	Answered atomic.Int64
}

// Serve answers on conn with the time now+offset. It returns at once.
func Serve(conn net.PacketConn, offset time.Duration) *Server {
	s := &Server{conn: conn, offset: offset}
	go s.loop()
	return s
}

// Addr is where it answers.
func (s *Server) Addr() net.Addr { return s.conn.LocalAddr() }

// SetUnsynchronized makes the answers say the clock is unsynchronized.
func (s *Server) SetUnsynchronized(v bool) { s.unsync.Store(v) }

// Close stops it.
func (s *Server) Close() error { return s.conn.Close() }

func (s *Server) loop() {
	buf := make([]byte, 512)
	for {
		n, from, err := s.conn.ReadFrom(buf)
		if err != nil {
			return
		}
		if n < 48 || buf[0]&0x7 != 3 { // mode 3: a client
			continue
		}
		recv := time.Now().Add(s.offset)
		out := make([]byte, 48)
		leap := byte(0)
		if s.unsync.Load() {
			leap = 3
		}
		out[0] = leap<<6 | 4<<3 | 4 // version 4, mode 4: a server
		out[1] = 1                  // stratum 1: a reference clock
		out[2] = buf[2]             // poll
		out[3] = 0xEC               // precision 2^-20 s
		copy(out[12:16], "TEST")    // reference ID
		putTime(out[16:24], recv.Add(-time.Minute))
		copy(out[24:32], buf[40:48]) // origin: the client's transmit time
		putTime(out[32:40], recv)
		putTime(out[40:48], time.Now().Add(s.offset))
		if _, err := s.conn.WriteTo(out, from); err == nil {
			s.Answered.Add(1)
		}
	}
}

// putTime writes t as an NTP timestamp: seconds since 1900 and a binary
// fraction.
func putTime(b []byte, t time.Time) {
	const epoch = 2208988800 // 1900 to 1970, in seconds
	secs := uint64(t.Unix() + epoch)
	frac := uint64(t.Nanosecond()) << 32 / 1e9
	binary.BigEndian.PutUint64(b, secs<<32|frac)
}
