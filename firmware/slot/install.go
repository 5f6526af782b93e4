package slot

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Image is a slot image to install.
type Image struct {
	// Version is the release it holds, recorded as the slot's.
	Version string
	// Size is the raw (uncompressed) image's length in bytes.
	Size int64
	// SHA256 is the raw image's sha256 in hex. Empty: the hash of the
	// bytes the reader gave, so that the read-back proves only that the
	// partition holds them; the reader must then end in an error when
	// its source fails verification (see Install).
	SHA256 string
}

// chunk is how much Install writes and reads at a time.
const chunk = 1 << 20

// Install writes img into the inactive slot and arms its trial; the next
// boot, whoever reboots, tries it once.
//
// r yields the raw image, exactly img.Size bytes and then io.EOF: the
// caller decompresses (the release's slot.img.zst through
// github.com/klauspost/compress/zstd). Any error r returns instead of EOF
// aborts, so a download whose signature check fails at the end of the
// stream can stop the install by ending r with that error (an
// io.Pipe's CloseWithError). Install refuses, before writing anything, on
// a trial boot not yet committed (ErrTrial: the inactive slot is the way
// back), an image larger than the partition (ErrTooLarge) and a
// hearthboot.env it cannot read (ErrBootEnv). It writes the partition,
// fsyncs it, reads img.Size bytes back from the device and compares their
// sha256 (ErrHash); only then it records the slot's version and the
// pending trial in the state file and writes hearthboot.env: the new slot
// first with LEFT 1, the running slot LEFT 3. Until that last write the
// boot loader never boots the inactive slot, so anything that fails,
// power cuts included, leaves hearthboot.env as it was.
func (d *Device) Install(ctx context.Context, img Image, r io.Reader) error {
	want := strings.ToLower(img.SHA256)
	if want != "" {
		if b, err := hex.DecodeString(want); err != nil || len(b) != sha256.Size {
			return fmt.Errorf("%w: %q is not a sha256 in hex", ErrHash, img.SHA256)
		}
	}
	if img.Size <= 0 {
		return fmt.Errorf("%w: %d bytes", ErrSize, img.Size)
	}
	if img.Version == "" {
		return errors.New("install: the image has no version")
	}
	if trial, err := d.OnTrial(); trial {
		return fmt.Errorf("%w: slot %s is not committed yet, and slot %s is its way back (%w)", ErrTrial, d.Slot, d.Slot.Other(), err)
	}
	env, err := ReadBootEnv(d.BootEnvFile)
	if err != nil {
		return err
	}
	target := d.Slot.Other()
	open := d.Open
	if open == nil {
		open = OpenPartition
	}
	part, err := open(d.Parts[target])
	if err != nil {
		return fmt.Errorf("slot %s: %w", target, err)
	}
	defer part.Close()
	psize, err := part.Size()
	if err != nil {
		return fmt.Errorf("slot %s: %w", target, err)
	}
	if img.Size > psize {
		return fmt.Errorf("%w: %d bytes, slot %s's partition %d", ErrTooLarge, img.Size, target, psize)
	}

	// From here the slot's old contents are gone: say so first, so that
	// no later boot takes them for the old version.
	st, err := ReadState(d.StateFile)
	if err != nil && !errors.Is(err, ErrState) {
		return err
	}
	if st.Slots == nil {
		st.Slots = map[Name]SlotState{}
	}
	st.Slots[target] = SlotState{}
	if st.Pending != nil && st.Pending.Slot == target {
		st.Pending = nil
	}
	if err := WriteState(d.StateFile, st); err != nil {
		return err
	}

	written, err := writeImage(ctx, part, r, img.Size)
	if err != nil {
		return fmt.Errorf("writing slot %s: %w", target, err)
	}
	if want == "" {
		want = written
	}
	got, err := hashPartition(ctx, part, img.Size)
	if err != nil {
		return fmt.Errorf("reading slot %s back: %w", target, err)
	}
	if got != want {
		return fmt.Errorf("%w: slot %s reads back as sha256 %s, want %s", ErrHash, target, got, want)
	}

	now := d.now()
	st.Slots[target] = SlotState{Version: img.Version, SHA256: got, Size: img.Size, Written: now}
	st.Pending = &Trial{Slot: target, Version: img.Version, Armed: now}
	if err := WriteState(d.StateFile, st); err != nil {
		return err
	}
	env.SetLeft(target, LeftTrial)
	env.SetLeft(d.Slot, LeftCommitted)
	env.First(target)
	return WriteBootEnv(d.BootEnvFile, env)
}

// writeImage copies size bytes of r to p, requires r to end there, syncs
// and returns the sha256 of what it wrote.
func writeImage(ctx context.Context, p Partition, r io.Reader, size int64) (string, error) {
	h := sha256.New()
	buf := make([]byte, chunk)
	for off := int64(0); off < size; {
		if err := ctx.Err(); err != nil {
			return "", err
		}
		n := int(min(int64(len(buf)), size-off))
		if _, err := io.ReadFull(r, buf[:n]); err != nil {
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				return "", fmt.Errorf("%w: the image ended before %d bytes", ErrSize, size)
			}
			return "", err
		}
		if _, err := p.WriteAt(buf[:n], off); err != nil {
			return "", err
		}
		h.Write(buf[:n])
		off += int64(n)
	}
	switch n, err := r.Read(buf[:1]); {
	case n > 0:
		return "", fmt.Errorf("%w: the image is longer than %d bytes", ErrSize, size)
	case err == nil:
		// A reader may return 0, nil; one more read must say EOF.
		if _, err := io.ReadFull(r, buf[:1]); !errors.Is(err, io.EOF) {
			if err == nil {
				err = fmt.Errorf("%w: the image is longer than %d bytes", ErrSize, size)
			}
			return "", err
		}
	case !errors.Is(err, io.EOF):
		return "", err
	}
	if err := p.Sync(); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// hashPartition is the sha256 of p's first size bytes.
func hashPartition(ctx context.Context, p Partition, size int64) (string, error) {
	h := sha256.New()
	buf := make([]byte, chunk)
	for off := int64(0); off < size; {
		if err := ctx.Err(); err != nil {
			return "", err
		}
		n := int(min(int64(len(buf)), size-off))
		if _, err := p.ReadAt(buf[:n], off); err != nil {
			return "", err
		}
		h.Write(buf[:n])
		off += int64(n)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
