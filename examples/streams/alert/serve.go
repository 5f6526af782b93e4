package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// maxLine bounds a message line. The instance has 32 MiB in all
// (stream.yaml), and a message is decoded whole: a longer line is skipped
// rather than let to end the instance, which would stop its partition.
const maxLine = 4 << 20

// serve answers each line of in on out, each answer ended by an empty
// line and flushed, until in ends. Bad lines get a note on stderr and an
// empty answer: serve fails only when it cannot read in or write out.
func serve(in io.Reader, out, stderr io.Writer, above float64) error {
	r := bufio.NewReaderSize(in, 64<<10)
	w := bufio.NewWriter(out)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for n := 1; ; n++ {
		line, err := readLine(r, maxLine)
		last := errors.Is(err, io.EOF)
		switch {
		case errors.Is(err, errTooLong):
			fmt.Fprintf(stderr, "alert: line %d: skipped: %v\n", n, err)
		case last && line == nil:
			return nil
		case err != nil && !last:
			return fmt.Errorf("reading line %d: %w", n, err)
		default:
			outs, err := convert(line, above)
			if err != nil {
				fmt.Fprintf(stderr, "alert: line %d: skipped: %v\n", n, err)
			}
			for _, o := range outs {
				if err := enc.Encode(o); err != nil {
					return err
				}
			}
		}
		if err := w.WriteByte('\n'); err != nil {
			return err
		}
		if err := w.Flush(); err != nil {
			return err
		}
		if last {
			return nil // a last line without its newline
		}
	}
}

// errTooLong is a line longer than the limit; readLine has read past it.
var errTooLong = errors.New("line too long")

// readLine reads one line without its newline (and a "\r" before it). A
// last line without a newline comes with io.EOF; at the end, nil and
// io.EOF. A line longer than max is read to its end and dropped, with
// errTooLong, so that the next call reads the next line.
func readLine(r *bufio.Reader, max int) ([]byte, error) {
	var line []byte
	tooLong := false
	for {
		chunk, err := r.ReadSlice('\n')
		n := len(chunk)
		if err == nil {
			n-- // the newline
		}
		if !tooLong {
			if len(line)+n > max {
				tooLong, line = true, nil
			} else {
				line = append(line, chunk...)
			}
		}
		switch {
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case tooLong:
			if err == nil {
				return nil, fmt.Errorf("%w: over %d bytes", errTooLong, max)
			}
			return nil, errors.Join(fmt.Errorf("%w: over %d bytes", errTooLong, max), err)
		case err != nil && len(line) == 0:
			return nil, err
		case err != nil:
			return line, err
		}
		line = bytes.TrimSuffix(line[:len(line)-1], []byte("\r"))
		return line, nil
	}
}
