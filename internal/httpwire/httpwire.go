// Package httpwire holds the pieces of HTTP/1.1's wire format that the
// agent's client (internal/httpc) and its local server (internal/httpd)
// both read: lines under a size budget, tokens, and peer text clipped for
// error messages. Both avoid net/http to keep the agent small.
package httpwire

import (
	"bufio"
	"io"
	"strings"
)

// ReadLine returns the next line without its line ending, charging its
// length to *budget; a line that does not fit fails with tooLarge. The
// line is valid until the next read from br.
func ReadLine(br *bufio.Reader, budget *int, tooLarge error) ([]byte, error) {
	var long []byte // a line longer than br's buffer, copied out in parts
	for {
		frag, err := br.ReadSlice('\n')
		if len(long)+len(frag) > *budget {
			return nil, tooLarge
		}
		switch {
		case err == bufio.ErrBufferFull:
			long = append(long, frag...)
			continue
		case err == io.EOF && len(long)+len(frag) > 0:
			return nil, io.ErrUnexpectedEOF
		case err != nil:
			return nil, err
		}
		line := frag
		if long != nil {
			line = append(long, frag...)
		}
		*budget -= len(line)
		line = line[:len(line)-1]
		if n := len(line); n > 0 && line[n-1] == '\r' {
			line = line[:n-1]
		}
		return line, nil
	}
}

// IsToken reports whether s is an HTTP token (RFC 9110 §5.6.2): a method
// or a field name.
func IsToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 || c <= ' ' || strings.IndexByte(`"(),/:;<=>?@[\]{}`, c) >= 0 || c == 0x7f {
			return false
		}
	}
	return true
}

// Clip shortens what a peer sent for an error message.
func Clip(b []byte) string {
	if len(b) > 64 {
		return string(b[:64]) + "..."
	}
	return string(b)
}
