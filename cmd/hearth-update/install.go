package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"syscall"

	"github.com/klauspost/compress/zstd"

	"github.com/hearth-home/hearth/firmware/ota"
	"github.com/hearth-home/hearth/firmware/slot"
)

// install streams the update from the mirror through zstd into the
// inactive slot: nothing is stored on the data partition on the way. The
// download's signed length and hash are checked as its last bytes arrive;
// a mismatch ends the stream with an error, and slot.Install then stops
// before it arms the trial, so the slot is never booted.
func install(ctx context.Context, c *ota.Client, u *ota.Update, log *slog.Logger) error {
	dev, err := slot.Open(slot.Paths{})
	if err != nil {
		return fmt.Errorf("finding this device's slots: %w", err)
	}
	compressed, cw := io.Pipe()
	go func() {
		_, err := c.Download(ctx, u, cw)
		cw.CloseWithError(err) // nil: EOF after the verified last byte
	}()
	defer compressed.Close()
	br := bufio.NewReaderSize(compressed, 64<<10)
	head, err := br.Peek(zstd.HeaderMaxSize)
	if err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("downloading %s: %w", u.Target, err)
	}
	var h zstd.Header
	if err := h.Decode(head); err != nil || !h.HasFCS || h.FrameContentSize == 0 {
		return fmt.Errorf("%s is not a zstd stream that says its size (%v): is it a Hearth OS slot image?", u.Target, err)
	}
	zr, err := zstd.NewReader(br, zstd.WithDecoderConcurrency(1), zstd.WithDecoderLowmem(true))
	if err != nil {
		return err
	}
	defer zr.Close()
	log.Info("writing the inactive slot", "slot", dev.Slot.Other(), "bytes", h.FrameContentSize)
	return dev.Install(ctx, slot.Image{Version: u.Version, Size: int64(h.FrameContentSize)}, zr)
}

func syscallKill(pid int) error { return syscall.Kill(pid, syscall.SIGTERM) }
