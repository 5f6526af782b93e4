package gateway

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"testing"
	"time"

	"github.com/hearth-home/hearth/store"
)

// TestCallTimeout: a peer that connects and stalls is cut off after
// CallTimeout, while a blob upload that takes longer than CallTimeout, but
// moves at a sane rate, is given the time its size needs.
func TestCallTimeout(t *testing.T) {
	const timeout = 300 * time.Millisecond
	tg := startGateway(t, t.TempDir(), Config{CallTimeout: timeout, Logger: slog.New(slog.NewTextHandler(t.Output(), nil))})

	c, err := net.Dial("tcp", tg.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	begin := time.Now()
	n, err := c.Read(make([]byte, 1))
	took := time.Since(begin)
	if err == nil || took > 5*time.Second {
		t.Errorf("a stalled connection got %d bytes, %v after %v; want it closed within a few CallTimeouts", n, err, took)
	}
	t.Logf("stalled connection closed after %v (CallTimeout %v)", took, timeout)

	blob := bytes.Repeat([]byte("warm house "), 200<<10/11) // ~200 KiB: 3 s more than CallTimeout
	d := store.DigestOf(blob)
	// About 15 reads of 50 ms: slower than CallTimeout, faster than blobRate.
	slow := &slowReader{r: bytes.NewReader(blob), chunk: 16 << 10, pause: 50 * time.Millisecond}
	begin = time.Now()
	if err := tg.admin.PutBlob(context.Background(), string(d), slow, int64(len(blob))); err != nil {
		t.Fatalf("a slow upload of %d bytes over %v: %v", len(blob), time.Since(begin), err)
	}
	if took := time.Since(begin); took < timeout {
		t.Fatalf("the upload took %v, under CallTimeout: the test proves nothing", took)
	}
	if !tg.blobs.Has(d) {
		t.Error("the slow upload was not stored")
	}
}

// slowReader hands out chunk bytes per Read, pausing before each.
type slowReader struct {
	r     io.Reader
	chunk int
	pause time.Duration
}

func (s *slowReader) Read(p []byte) (int, error) {
	time.Sleep(s.pause)
	return s.r.Read(p[:min(len(p), s.chunk)])
}
