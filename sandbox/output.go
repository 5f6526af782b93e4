package sandbox

import (
	"fmt"
	"sync"
)

// TruncationMarker introduces the note appended to cut output.
const TruncationMarker = "\n[hearth: output truncated, "

// BoundedBuffer keeps the first Limit bytes written to it and counts the
// rest; writes never fail, so a chatty program is not killed for talking.
type BoundedBuffer struct {
	Limit int

	mu      sync.Mutex
	buf     []byte
	dropped int64
}

// Write implements io.Writer.
func (b *BoundedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	room := b.Limit - len(b.buf)
	if room > len(p) {
		room = len(p)
	}
	if room > 0 {
		b.buf = append(b.buf, p[:room]...)
	}
	b.dropped += int64(len(p) - max(room, 0))
	return len(p), nil
}

// Bytes returns what was kept, with the truncation marker when bytes were
// dropped, and whether they were.
func (b *BoundedBuffer) Bytes() ([]byte, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := append([]byte(nil), b.buf...)
	if b.dropped == 0 {
		return out, false
	}
	return append(out, TruncationNote(b.dropped)...), true
}

// TruncationNote is what is appended to output cut after dropping bytes.
func TruncationNote(dropped int64) string {
	return fmt.Sprintf("%s%d bytes dropped]\n", TruncationMarker, dropped)
}
