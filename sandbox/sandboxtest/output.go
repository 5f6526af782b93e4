package sandboxtest

import (
	"fmt"
	"strings"

	"github.com/hearth-home/hearth/sandbox"
)

// chattyPattern is what testapp's chatty mode writes, repeated.
const chattyPattern = "0123456789abcdefghijklmnopqrstuvwxyz\n"

// A chatty task keeps the first Limits.OutputBytes of each stream, marked as
// cut, and is not stopped for talking.
func testOutputTruncated(h *harness) {
	const total, limit = 1 << 20, 1000
	spec := h.spec("chatty", itoa(total))
	spec.Limits.OutputBytes = limit
	res := h.run(spec)
	h.exited(res, 0)
	kept := strings.Repeat(chattyPattern, limit/len(chattyPattern)+1)[:limit]
	want := fmt.Sprintf("%s%s%d bytes dropped]\n", kept, sandbox.TruncationMarker, total-limit)
	for _, s := range []struct {
		name string
		got  []byte
		cut  bool
	}{{"stdout", res.Stdout, res.StdoutTruncated}, {"stderr", res.Stderr, res.StderrTruncated}} {
		if string(s.got) != want || !s.cut {
			h.t.Errorf("%s (truncated %v) ends with %q, want %q", s.name, s.cut, tail(s.got), tail([]byte(want)))
		}
	}
}

func tail(b []byte) string {
	return string(b[max(0, len(b)-80):])
}
