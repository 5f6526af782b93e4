package http1

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
)

// decodeChunked decodes a chunked body from raw as the client does, with
// trailers under budget, and reports how many bytes of raw it consumed.
func decodeChunked(raw []byte, budget, bufSize int) (data []byte, consumed int, err error) {
	br, n := source(raw, bufSize)
	data, err = io.ReadAll(&chunkedReader{br: br, trailerBudget: budget})
	return data, n(), err
}

// encodeChunked encodes payload in chunks of size bytes (the last one
// shorter), then trailers fields of growing length. The first size line
// and the last, of the empty chunk, carry extension ext: one starts the
// body and the other follows a chunk, so between them they meet both of
// the decoder's cases, and the body stays small when the chunks are many. It also reports whether the encoding fits the
// decoder's budgets: each size line, with the CRLF that ends the chunk
// before it, within maxChunkLine; the trailer section, its last empty line
// included, within budget. With tamper, the first chunk carries one byte
// more than its size says, as in an attempt to smuggle a message.
func encodeChunked(payload []byte, size int, upper bool, ext string, trailers, budget int, tamper bool) ([]byte, bool) {
	var b bytes.Buffer
	fits, before := true, 0
	for rest := payload; ; {
		n := min(size, len(rest))
		hex := fmt.Sprintf("%x", n)
		if upper {
			hex = strings.ToUpper(hex)
		}
		line := hex + "\r\n"
		if n == 0 || len(rest) == len(payload) {
			line = hex + ext + "\r\n"
		}
		fits = fits && before+len(line) <= maxChunkLine
		b.WriteString(line)
		if n == 0 {
			break
		}
		b.Write(rest[:n])
		if tamper && len(rest) == len(payload) {
			b.WriteByte('!')
		}
		b.WriteString("\r\n")
		before, rest = 2, rest[n:]
	}
	start := b.Len()
	for i := range trailers {
		fmt.Fprintf(&b, "X-Trailer-%d: %s\r\n", i, strings.Repeat("t", 40*i))
	}
	b.WriteString("\r\n")
	return b.Bytes(), fits && b.Len()-start <= budget
}

// FuzzChunked decodes raw as it comes and checks what any input must give
// (checkChunked). Then it encodes payload in the shape the other arguments
// choose and checks that it decodes back: size's low bits plus one are the
// chunk size, its top bit asking for upper-case hex; extLen sets the
// length of an extension on the first and last size lines; trailers' low
// three bits count trailer fields, and its top bit makes the first chunk a
// byte longer than its size; budget bounds the trailers. Messages show
// only the start of long bodies.
func FuzzChunked(f *testing.F) {
	type seed struct {
		raw, payload string
		size, extLen uint16
		trailers     uint8
		budget       uint16
	}
	// The extension is ";x=" and extLen-1 bytes more, so the size line
	// "1;x=e...\r\n" takes extLen+5 bytes: after a chunk's CRLF, it fits
	// maxChunkLine up to this extLen and not one more.
	limit := uint16(maxChunkLine - 7)
	for _, s := range []seed{
		{"5;name=v\r\nhello\r\n6\r\n world\r\n0\r\nX-Sum: 1\r\n\r\n", "hello world", 5, 3, 1, 1024},
		{"A\r\n0123456789\r\n0\r\n\r\nHTTP/1.1 200 OK\r\n", "0123456789", 0x8003, 0, 0, 2},
		{"2\r\nokay\r\n0\r\n\r\n", "", 1, 0, 0, 0},
		{"2\r\nok\r\n", "x", 1, limit, 0, 64},
		{"fffffffffffffffff\r\n", "xy", 1, limit + 1, 0, 64},
		{"1 ; a=b\t\r\nx\r\n0\r\n" + strings.Repeat("X-T: 1\r\n", 10) + "\r\n", "payload", 2, 10, 5, 120},
		{"\r\n", strings.Repeat("p", 5000), 4096, 0, 2, 200},
		{"5\nhello\n0\n\n", "", 0, 5000, 0, 0},
		{"2\r\nok!\r\n0\r\n\r\n", "smuggle", 3, 0, 0x81, 100},
	} {
		f.Add([]byte(s.raw), []byte(s.payload), s.size, s.extLen, s.trailers, s.budget)
	}
	f.Fuzz(func(t *testing.T, raw, payload []byte, size, extLen uint16, trailers uint8, budget uint16) {
		checkChunked(t, raw, int(budget))

		// What an encoder produced decodes to the payload, or fails
		// with ErrHeaderTooLarge when it does not fit the budgets, or
		// with ErrMalformed when a chunk is longer than its size.
		ext := ""
		if extLen > 0 {
			ext = ";x=" + strings.Repeat("e", int(extLen)-1)
		}
		n := int(size&0x7fff) + 1
		tamper := trailers&0x80 != 0 && len(payload) > 0
		enc, fits := encodeChunked(payload, n, size&0x8000 != 0, ext, int(trailers%8), int(budget), tamper)
		data, consumed, err := decodeChunked(append(enc, "HTTP/1.1 200 OK\r\n"...), int(budget), bigBuffer)
		switch {
		case tamper:
			if !errors.Is(err, ErrMalformed) && (fits || !errors.Is(err, ErrHeaderTooLarge)) || len(data) > n || !bytes.HasPrefix(payload, data) {
				t.Fatalf("%.300q with a chunk too long: decoded %.300q, %v; want ErrMalformed", enc, data, err)
			}
		case fits && (err != nil || !bytes.Equal(data, payload) || consumed != len(enc)):
			t.Fatalf("%.300q: decoded %.300q (%d of %d bytes), %v; want %.300q", enc, data, consumed, len(enc), err, payload)
		case !fits && (!errors.Is(err, ErrHeaderTooLarge) || !bytes.HasPrefix(payload, data)):
			t.Fatalf("%.300q over the budgets: decoded %.300q, %v; want a prefix of %.300q and ErrHeaderTooLarge", enc, data, err, payload)
		}
		checkChunked(t, enc, int(budget))
	})
}

// checkChunked decodes raw and checks what any input must give: an error
// of the package's kinds, no more data than input, the same result
// whatever the buffer size, and a decoder that stops at the body's end.
func checkChunked(t *testing.T, raw []byte, budget int) {
	t.Helper()
	data, consumed, err := decodeChunked(raw, budget, bigBuffer)
	if !(err == nil || errors.Is(err, ErrMalformed) || errors.Is(err, ErrHeaderTooLarge) || err == io.ErrUnexpectedEOF) {
		t.Fatalf("error %v (%T): want ErrMalformed, ErrHeaderTooLarge or io.ErrUnexpectedEOF", err, err)
	}
	if err == io.ErrUnexpectedEOF && consumed != len(raw) {
		t.Fatalf("io.ErrUnexpectedEOF with %d of %d bytes read", consumed, len(raw))
	}
	if len(data) > consumed || consumed > len(raw) {
		t.Fatalf("%d bytes decoded from %d read of %d", len(data), consumed, len(raw))
	}
	sData, sConsumed, sErr := decodeChunked(raw, budget, smallBuffer)
	if errText(sErr) != errText(err) || !bytes.Equal(sData, data) || err == nil && sConsumed != consumed {
		t.Fatalf("with a %d-byte buffer: %.300q, %d bytes read, %v; with %d: %.300q, %d, %v",
			smallBuffer, sData, sConsumed, sErr, bigBuffer, data, consumed, err)
	}
	if err == nil {
		// Whatever follows the body is not read: it is the next response.
		more := append(raw[:consumed:consumed], "HTTP/1.1 200 OK\r\n"...)
		if mData, mConsumed, mErr := decodeChunked(more, budget, bigBuffer); mErr != nil || !bytes.Equal(mData, data) || mConsumed != consumed {
			t.Fatalf("followed by more: %.300q, %d bytes read, %v; alone %.300q, %d", mData, mConsumed, mErr, data, consumed)
		}
	}
}
