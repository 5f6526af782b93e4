package slot

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
)

const mib = 1 << 20

func TestInstall(t *testing.T) {
	c := newCard(t, 4*mib)
	img, sum := image(1, 2*mib+12345) // more than one chunk, not a whole one
	d := c.boot()
	if d.Slot != A || d.Trial {
		t.Fatalf("a new card boots %s trial=%v", d.Slot, d.Trial)
	}
	if err := d.Install(context.Background(), Image{Version: "2.0.0", Size: int64(len(img)), SHA256: strings.ToUpper(sum)}, bytes.NewReader(img)); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(partPrefix(t, c.parts[B], len(img)), img) {
		t.Error("slot B does not hold the image")
	}
	if !isZero(partPrefix(t, c.parts[A], 4*mib)) {
		t.Error("slot A was written")
	}
	if got := c.readEnv(); got != (BootEnv{Order: [2]Name{B, A}, ALeft: 3, BLeft: 1}) {
		t.Errorf("hearthboot.env = %v; want B first, B 1, A 3", got)
	}
	if n := len(c.envBytes()); n != BootEnvSize {
		t.Errorf("hearthboot.env is %d bytes", n)
	}
	st := c.state()
	if s := st.Slots[B]; s.Version != "2.0.0" || s.SHA256 != sum || s.Size != int64(len(img)) {
		t.Errorf("state of slot B = %+v", s)
	}
	if p := st.Pending; p == nil || p.Slot != B || p.Version != "2.0.0" || p.Armed.IsZero() {
		t.Errorf("pending trial = %+v", p)
	}

	// Without a hash: the read-back checks what the reader gave.
	c2 := newCard(t, 4*mib)
	if err := c2.boot().Install(context.Background(), Image{Version: "2.0.0", Size: int64(len(img))}, bytes.NewReader(img)); err != nil {
		t.Fatal(err)
	}
	if c2.state().Slots[B].SHA256 != sum {
		t.Errorf("without a hash: recorded %q", c2.state().Slots[B].SHA256)
	}
}

// flipper is a partition whose writes flip one bit at offset at: what a
// failing card does.
type flipper struct {
	Partition
	at int64
}

func (f flipper) WriteAt(b []byte, off int64) (int, error) {
	if f.at >= off && f.at < off+int64(len(b)) {
		b = bytes.Clone(b)
		b[f.at-off] ^= 0x10
	}
	return f.Partition.WriteAt(b, off)
}

// errAtEnd is a reader that fails after its data, as a download whose
// hash differs ends through an io.Pipe.
type errAtEnd struct {
	r   io.Reader
	err error
}

func (e errAtEnd) Read(b []byte) (int, error) {
	n, err := e.r.Read(b)
	if err == io.EOF {
		err = e.err
	}
	return n, err
}

// TestInstallRefused checks each refusal, and that none of them touches
// hearthboot.env or arms a trial.
func TestInstallRefused(t *testing.T) {
	img, sum := image(2, mib+7)
	other, _ := image(3, mib+7)
	errMirror := errors.New("the mirror's target hash differs")
	for _, tc := range []struct {
		name    string
		partMiB int64
		img     Image
		r       io.Reader
		flip    int64 // > 0: the partition flips a bit there
		trial   bool
		want    error
		touched bool // the inactive slot was written
	}{
		{name: "larger than the partition", partMiB: 1, img: Image{"2.0.0", int64(len(img)), sum}, r: bytes.NewReader(img), want: ErrTooLarge},
		{name: "corrupted on the card", partMiB: 2, img: Image{"2.0.0", int64(len(img)), sum}, r: bytes.NewReader(img), flip: mib + 3, want: ErrHash, touched: true},
		{name: "corrupted, no hash given", partMiB: 2, img: Image{"2.0.0", int64(len(img)), ""}, r: bytes.NewReader(img), flip: 5, want: ErrHash, touched: true},
		{name: "another image", partMiB: 2, img: Image{"2.0.0", int64(len(other)), sum}, r: bytes.NewReader(other), want: ErrHash, touched: true},
		{name: "shorter than its size", partMiB: 2, img: Image{"2.0.0", int64(len(img)) + 1, sum}, r: bytes.NewReader(img), want: ErrSize, touched: true},
		{name: "longer than its size", partMiB: 2, img: Image{"2.0.0", int64(len(img)) - 1, sum}, r: bytes.NewReader(img), want: ErrSize, touched: true},
		{name: "download fails at the end", partMiB: 2, img: Image{"2.0.0", int64(len(img)), sum}, r: errAtEnd{bytes.NewReader(img), errMirror}, want: errMirror, touched: true},
		{name: "bad hash", partMiB: 2, img: Image{"2.0.0", int64(len(img)), "abc"}, r: bytes.NewReader(img), want: ErrHash},
		{name: "on an uncommitted trial", partMiB: 2, img: Image{"2.0.0", int64(len(img)), sum}, r: bytes.NewReader(img), trial: true, want: ErrTrial},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newCard(t, tc.partMiB*mib)
			var d *Device
			if tc.trial {
				// Slot B on its trial boot, slot A the way back.
				c.versions[B] = "2.0.0"
				must(t, os.WriteFile(c.env, []byte("BOOT_A_LEFT=3\nBOOT_B_LEFT=1\nBOOT_ORDER=B A\n"), 0o644))
				d = c.boot()
			} else {
				d = c.boot()
			}
			if tc.flip > 0 {
				d.Open = func(p string) (Partition, error) {
					part, err := OpenPartition(p)
					return flipper{part, tc.flip}, err
				}
			}
			envBefore := c.envBytes()
			err := d.Install(context.Background(), tc.img, tc.r)
			if !errors.Is(err, tc.want) {
				t.Fatalf("Install = %v, want %v", err, tc.want)
			}
			if !bytes.Equal(c.envBytes(), envBefore) {
				t.Errorf("hearthboot.env changed: %q, was %q", c.envBytes(), envBefore)
			}
			inactive := d.Slot.Other()
			if written := !isZero(partPrefix(t, c.parts[inactive], int(tc.partMiB*mib))); written != tc.touched {
				t.Errorf("slot %s written: %v, want %v", inactive, written, tc.touched)
			}
			st, _ := ReadState(d.StateFile)
			if p := st.Pending; p != nil && p.Slot == inactive {
				t.Errorf("a trial of slot %s is pending: %+v", inactive, p)
			}
			if tc.touched && st.Slots[inactive].Version != "" {
				t.Errorf("slot %s, half written, is recorded as %q", inactive, st.Slots[inactive].Version)
			}
		})
	}
}

func TestInstallCancelled(t *testing.T) {
	c := newCard(t, 4*mib)
	img, sum := image(4, 3*mib)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	before := c.envBytes()
	if err := c.boot().Install(ctx, Image{"2.0.0", int64(len(img)), sum}, bytes.NewReader(img)); !errors.Is(err, context.Canceled) {
		t.Errorf("Install = %v", err)
	}
	if !bytes.Equal(c.envBytes(), before) {
		t.Error("hearthboot.env changed")
	}
}
