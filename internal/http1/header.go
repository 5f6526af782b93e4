package http1

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
)

// Header holds header fields by lower-case name: a request's as the
// server read it, a response's as the client read it, or the fields a
// client's Request adds. A field that a message repeats is kept once, its
// values joined with ", " (RFC 9110 §5.3).
type Header map[string]string

// Get returns the value of the named field, or "".
func (h Header) Get(name string) string { return h[strings.ToLower(name)] }

// Set sets the named field, replacing any value it had.
func (h Header) Set(name, value string) { h[strings.ToLower(name)] = value }

// has reports whether the comma-separated field name lists token, ignoring
// case (as in "Connection: close").
func (h Header) has(name, token string) bool {
	for v := range strings.SplitSeq(h[name], ",") {
		if strings.EqualFold(strings.TrimSpace(v), token) {
			return true
		}
	}
	return false
}

// add records one field line of a message, request or response. It fails
// with an error that says what is wrong with the line; the client wraps
// it in ErrMalformed and the server answers it with 400.
//
// The rules are a server's (RFC 9112 §5), and the client keeps them too:
// a value with control characters has no use in a response either, and a
// response has no Host to repeat.
func (h Header) add(line []byte) error {
	name, value, ok := bytes.Cut(line, []byte(":"))
	if !ok || !isToken(string(name)) {
		// This also refuses obsolete line folding (a line starting with
		// whitespace) and whitespace before the colon, which a server
		// must reject (RFC 9112 §5.1, §5.2).
		return fmt.Errorf("header line %q is not a field name, a colon and a value on one line", clip(line))
	}
	value = bytes.Trim(value, " \t")
	if bytes.ContainsFunc(value, func(c rune) bool { return c < ' ' && c != '\t' || c == 0x7f }) {
		// A bare CR or a NUL in a value is a way to smuggle a field past
		// a proxy that reads it differently.
		return fmt.Errorf("control character in header %s", name)
	}
	k, v := strings.ToLower(string(name)), string(value)
	if old, ok := h[k]; ok {
		if k == "host" {
			// Two Hosts may name two servers; which one a proxy used
			// is not known (RFC 9112 §3.2).
			return errors.New("more than one Host header")
		}
		v = old + ", " + v
	}
	h[k] = v
	return nil
}
