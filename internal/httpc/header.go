package httpc

import (
	"bufio"
	"bytes"
	"fmt"
	"strings"

	"github.com/hearth-home/hearth/internal/httpwire"
)

// Header holds header fields by lower-case name. A field that a response
// repeats is kept once, its values joined with ", " (RFC 9110 §5.3).
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

// add records one field line of a response.
func (h Header) add(line []byte) error {
	name, value, ok := bytes.Cut(line, []byte(":"))
	if !ok || !isToken(string(name)) {
		// This also refuses obsolete line folding (a line starting with
		// whitespace) and whitespace before the colon (RFC 9112 §5.1).
		return fmt.Errorf("%w: header line %q", ErrMalformed, clip(line))
	}
	k, v := strings.ToLower(string(name)), string(bytes.Trim(value, " \t"))
	if old, ok := h[k]; ok {
		v = old + ", " + v
	}
	h[k] = v
	return nil
}

// readLine reads a line of the head under *budget (see httpwire.ReadLine).
func readLine(br *bufio.Reader, budget *int) ([]byte, error) {
	return httpwire.ReadLine(br, budget, ErrHeaderTooLarge)
}

var (
	isToken = httpwire.IsToken
	clip    = httpwire.Clip
)
