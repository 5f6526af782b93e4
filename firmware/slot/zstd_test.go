package slot

import (
	"bufio"
	"context"
	"errors"
	"io"
	"testing"

	"github.com/klauspost/compress/zstd"
)

// TestInstallThroughZstd is the updater's pipeline: the download into an
// io.Pipe, zstd, Install. A download whose hash differs ends the pipe
// with an error after the last byte; zstd must hand that error on after
// the frame, so that Install does not arm the trial.
func TestInstallThroughZstd(t *testing.T) {
	img, sum := image(5, 3*mib+17)
	enc, err := zstd.NewWriter(nil)
	must(t, err)
	compressed := enc.EncodeAll(img, nil)
	errMirror := errors.New("the target's sha256 differs from the signed one")
	for _, fail := range []bool{false, true} {
		c := newCard(t, 4*mib)
		before := c.envBytes()
		pr, pw := io.Pipe()
		go func() {
			pw.Write(compressed)
			if fail {
				pw.CloseWithError(errMirror)
			} else {
				pw.Close()
			}
		}()
		zr, err := zstd.NewReader(bufio.NewReaderSize(pr, 64<<10), zstd.WithDecoderConcurrency(1), zstd.WithDecoderLowmem(true))
		must(t, err)
		err = c.boot().Install(context.Background(), Image{Version: "2.0.0", Size: int64(len(img))}, zr)
		zr.Close()
		switch {
		case fail && !errors.Is(err, errMirror):
			t.Errorf("download failing at its end: Install = %v, want the download's error", err)
		case fail && string(c.envBytes()) != string(before):
			t.Errorf("download failing at its end: hearthboot.env changed to %q", c.envBytes())
		case !fail && err != nil:
			t.Errorf("good download: Install = %v", err)
		case !fail && c.state().Slots[B].SHA256 != sum:
			t.Errorf("good download: slot B recorded as %+v", c.state().Slots[B])
		}
	}
}
