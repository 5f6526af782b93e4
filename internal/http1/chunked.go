package http1

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
)

// maxChunkLine caps one chunk-size line, extensions included.
const maxChunkLine = 4 << 10

// chunkedReader decodes a chunked body (RFC 9112 §7.1). Chunk extensions
// are ignored; trailer fields are read, bounded, and dropped.
type chunkedReader struct {
	br            *bufio.Reader
	n             int64 // bytes left in the current chunk
	started       bool  // a chunk has begun, so a CRLF ends it first
	trailerBudget int
	err           error
}

func (r *chunkedReader) Read(p []byte) (int, error) {
	if r.err != nil {
		return 0, r.err
	}
	if r.n == 0 {
		if r.err = r.next(); r.err != nil {
			return 0, r.err
		}
	}
	if int64(len(p)) > r.n {
		p = p[:r.n]
	}
	n, err := r.br.Read(p)
	r.n -= int64(n)
	if err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	r.err = err
	return n, err
}

// next reads up to the data of the next chunk, or through the trailers
// after the last one, when it returns io.EOF.
func (r *chunkedReader) next() error {
	budget := maxChunkLine
	if r.started {
		line, err := readLine(r.br, &budget)
		if err != nil {
			return eof(err)
		}
		if len(line) != 0 {
			return fmt.Errorf("%w: chunk longer than its size", ErrMalformed)
		}
	}
	r.started = true
	line, err := readLine(r.br, &budget)
	if err != nil {
		return eof(err)
	}
	if i := bytes.IndexByte(line, ';'); i >= 0 {
		line = line[:i]
	}
	line = bytes.TrimRight(line, " \t")
	if len(line) == 0 {
		return fmt.Errorf("%w: empty chunk size", ErrMalformed)
	}
	var n int64
	for _, c := range line {
		d := unhex(c)
		if d < 0 || n >= 1<<59 {
			return fmt.Errorf("%w: chunk size %q", ErrMalformed, clip(line))
		}
		n = n<<4 | int64(d)
	}
	if n > 0 {
		r.n = n
		return nil
	}
	for {
		line, err := readLine(r.br, &r.trailerBudget)
		if err != nil {
			return eof(err)
		}
		if len(line) == 0 {
			return io.EOF
		}
	}
}

func unhex(c byte) int {
	switch {
	case '0' <= c && c <= '9':
		return int(c - '0')
	case 'a' <= c && c <= 'f':
		return int(c-'a') + 10
	case 'A' <= c && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}
