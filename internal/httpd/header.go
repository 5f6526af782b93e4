package httpd

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"strings"
)

// Header holds a request's header fields by lower-case name. A field that
// a request repeats is kept once, its values joined with ", " (RFC 9110
// §5.3).
type Header map[string]string

// Get returns the value of the named field, or "".
func (h Header) Get(name string) string { return h[strings.ToLower(name)] }

// add records one field line of a request.
func (h Header) add(line []byte) error {
	name, value, ok := bytes.Cut(line, []byte(":"))
	if !ok || !isToken(string(name)) {
		// This also refuses obsolete line folding (a line starting with
		// whitespace) and whitespace before the colon, which a server
		// must reject (RFC 9112 §5.1, §5.2).
		return badRequest("malformed header line %q", clip(line))
	}
	value = bytes.Trim(value, " \t")
	if bytes.ContainsFunc(value, func(c rune) bool { return c < ' ' && c != '\t' || c == 0x7f }) {
		return badRequest("control character in header %s", name)
	}
	k, v := strings.ToLower(string(name)), string(value)
	if old, ok := h[k]; ok {
		if k == "host" {
			return badRequest("more than one Host header")
		}
		v = old + ", " + v
	}
	h[k] = v
	return nil
}

// errHeaderTooLarge is returned by readLine when the request line and
// header fields exceed the server's MaxHeaderBytes.
var errHeaderTooLarge = errors.New("request header too large")

// readLine returns the next line without its line ending, charging its
// length to *budget; a line that does not fit fails with
// errHeaderTooLarge. The line is valid until the next read from br.
func readLine(br *bufio.Reader, budget *int) ([]byte, error) {
	var long []byte // a line longer than br's buffer, copied out in parts
	for {
		frag, err := br.ReadSlice('\n')
		if len(long)+len(frag) > *budget {
			return nil, errHeaderTooLarge
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

// clip shortens what a client sent for an error message.
func clip(b []byte) string {
	if len(b) > 64 {
		return string(b[:64]) + "..."
	}
	return string(b)
}
