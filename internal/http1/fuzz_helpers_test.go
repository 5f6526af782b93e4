package http1

import (
	"bufio"
	"bytes"
	"io"
	"strings"
	"testing"
)

// The fuzz tests read a message through a bufio.Reader, as the client and
// the server do, twice: with the server's and client's 4 KiB buffer and
// with bufio's smallest, 16 bytes, so that long lines take readLine's
// other path. Both must parse alike.
const (
	bigBuffer   = 4 << 10
	smallBuffer = 16
)

// counter counts the bytes a bufio.Reader takes from its source.
type counter struct {
	r io.Reader
	n int
}

func (c *counter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

// source returns a reader of raw with a buffer of size bytes, and a
// function that tells how many bytes of raw a parser has consumed so far:
// what br took from raw less what it still holds.
func source(raw []byte, size int) (br *bufio.Reader, consumed func() int) {
	c := &counter{r: bytes.NewReader(raw)}
	br = bufio.NewReaderSize(c, size)
	return br, func() int { return c.n - br.Buffered() }
}

// checkHeader fails unless every field is as Header.add keeps it: a
// lower-case token for a name, and a value without control characters,
// which could smuggle a line ending past whoever reads it next.
func checkHeader(t *testing.T, h Header) {
	t.Helper()
	for k, v := range h {
		if !isToken(k) || k != strings.ToLower(k) {
			t.Errorf("header name %q is not a lower-case token", k)
		}
		if strings.ContainsFunc(v, func(c rune) bool { return c < ' ' && c != '\t' || c == 0x7f }) {
			t.Errorf("header %s: value %q has a control character", k, v)
		}
	}
}

// errText is an error's message, "" for none, for comparing two outcomes.
func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
