package httpd

import (
	"bufio"
	"bytes"
	"errors"
	"strings"

	"github.com/hearth-home/hearth/internal/httpwire"
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

// readLine reads a line of the head under *budget (see httpwire.ReadLine).
func readLine(br *bufio.Reader, budget *int) ([]byte, error) {
	return httpwire.ReadLine(br, budget, errHeaderTooLarge)
}

var (
	isToken = httpwire.IsToken
	clip    = httpwire.Clip
)
