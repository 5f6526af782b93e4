package image

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/klauspost/compress/zstd"
)

// A slot's .zst says its raw size in the frame header, as hearth-update
// needs before it writes, and both compressors give back what went in.
func TestCompressFile(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "slot.img")
	data := bytes.Repeat([]byte("hearth slot "), 100000)
	if err := os.WriteFile(src, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := zstdFile(src, src+".zst"); err != nil {
		t.Fatal(err)
	}
	z, _ := os.ReadFile(src + ".zst")
	var h zstd.Header
	if err := h.Decode(z); err != nil || !h.HasFCS || h.FrameContentSize != uint64(len(data)) {
		t.Fatalf("zstd header: %+v, %v; want the content size %d", h, err, len(data))
	}
	zr, _ := zstd.NewReader(bytes.NewReader(z))
	if got, err := io.ReadAll(zr); err != nil || !bytes.Equal(got, data) {
		t.Fatalf("zstd round trip: %d bytes, %v", len(got), err)
	}
	if err := gzipFile(src, src+".gz"); err != nil {
		t.Fatal(err)
	}
	g, _ := os.Open(src + ".gz")
	defer g.Close()
	gr, err := gzip.NewReader(g)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := io.ReadAll(gr); err != nil || !bytes.Equal(got, data) {
		t.Fatalf("gzip round trip: %d bytes, %v", len(got), err)
	}
	if err := zstdFile(filepath.Join(dir, "missing"), src+".x"); err == nil {
		t.Error("compressing a missing file succeeded")
	}
}
