package http1

import (
	"bufio"
	"io"
	"strings"
)

// This file holds the pieces of HTTP/1.1's wire format that the client and
// the server both read: lines under a size budget, tokens, and peer text
// clipped for error messages.

// readLine returns the next line without its line ending, charging its
// length to *budget; a line that does not fit fails with
// ErrHeaderTooLarge, which the server answers with 431. The line is valid
// until the next read from br. io.EOF means the input ended before the
// line began; io.ErrUnexpectedEOF, that it ended inside it.
func readLine(br *bufio.Reader, budget *int) ([]byte, error) {
	var long []byte // a line longer than br's buffer, copied out in parts
	for {
		frag, err := br.ReadSlice('\n')
		if len(long)+len(frag) > *budget {
			return nil, ErrHeaderTooLarge
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

// eof turns the end of the input inside a message, after its first line,
// into the error it is: the message was cut short.
func eof(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// isToken reports whether s is an HTTP token (RFC 9110 §5.6.2): a method
// or a field name.
func isToken(s string) bool {
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

// clip shortens what a peer sent for an error message.
func clip(b []byte) string {
	if len(b) > 64 {
		return string(b[:64]) + "..."
	}
	return string(b)
}

// or returns v, or def when v is the zero value: the defaults of the
// Client's and the Server's fields.
func or[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}
