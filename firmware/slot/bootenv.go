package slot

import (
	"github.com/hearth-home/hearth/internal/atomicfile"

	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
)

// BootEnvName is the boot loader's state on the boot partition.
const BootEnvName = "hearthboot.env"

// BootEnvSize is the length of the file as Format writes it.
const BootEnvSize = 43

// maxInPlace is the longest file rewritten in place: one sector.
const maxInPlace = 512

// Values of a slot's LEFT: how many boots it may still try.
const (
	// LeftNever: not booted again until an update writes the slot anew.
	LeftNever = 0
	// LeftTrial: one trial boot, which the boot script turns into
	// LeftNever before it boots the slot.
	LeftTrial = 1
	// LeftCommitted: the slot works; the boot script never lowers it.
	LeftCommitted = 3
)

// BootEnv is hearthboot.env, the state that the boot script
// (firmware/image/boot.cmd) reads: it boots the first slot of Order whose
// LEFT is above 0, and before a trial boot (LEFT 1) writes that LEFT as 0.
// The zero value is not valid; DefaultBootEnv is what the boot script
// assumes when the file is missing.
type BootEnv struct {
	// Order is the slots to try, first first (BOOT_ORDER, "A B" or "B A").
	Order [2]Name
	// ALeft and BLeft are BOOT_A_LEFT and BOOT_B_LEFT, single digits:
	// LeftCommitted, LeftTrial or LeftNever.
	ALeft, BLeft int
}

// DefaultBootEnv is a new card's state, and the boot script's when the
// file is missing: slot A first and committed, slot B empty (A B, 3, 0).
func DefaultBootEnv() BootEnv {
	return BootEnv{Order: [2]Name{A, B}, ALeft: LeftCommitted, BLeft: LeftNever}
}

// Left is slot s's LEFT.
func (e BootEnv) Left(s Name) int {
	if s == B {
		return e.BLeft
	}
	return e.ALeft
}

// SetLeft sets slot s's LEFT.
func (e *BootEnv) SetLeft(s Name, n int) {
	if s == B {
		e.BLeft = n
	} else {
		e.ALeft = n
	}
}

// First puts s first in Order.
func (e *BootEnv) First(s Name) { e.Order = [2]Name{s, s.Other()} }

// Format is the file as U-Boot's `env export -t` writes it, less the NUL
// that U-Boot appends: the variables sorted, one a line, always
// BootEnvSize bytes.
func (e BootEnv) Format() []byte {
	return fmt.Appendf(nil, "BOOT_A_LEFT=%d\nBOOT_B_LEFT=%d\nBOOT_ORDER=%s %s\n", e.ALeft, e.BLeft, e.Order[0], e.Order[1])
}

// String is BOOT_ORDER and the LEFTs, for logs.
func (e BootEnv) String() string {
	return fmt.Sprintf("order=%s%s A=%d B=%d", e.Order[0], e.Order[1], e.ALeft, e.BLeft)
}

// ParseBootEnv reads hearthboot.env as U-Boot's `env import -t` does:
// name=value entries ended by a newline or a NUL, in any order, with
// blanks before a name and '#' comment lines skipped, the last of a name
// counting, a name without a value unsetting it, and everything from a
// NUL where an entry would start ignored. U-Boot
// 2023.01's `env export -t` writes the entries sorted, each ended by a
// newline, and then a NUL that its filesize counts: after the boot script
// armed a trial the file is 44 bytes. A line end of CR LF is taken too.
// Other variables are ignored. It returns ErrBootEnv, naming what is
// wrong, unless the three variables are there with a BOOT_ORDER of "A B"
// or "B A" and single-digit LEFTs.
func ParseBootEnv(b []byte) (BootEnv, error) {
	var e BootEnv
	var order, a, bl bool
	for len(b) > 0 && b[0] != 0 {
		entry := b
		if i := strings.IndexAny(string(b), "\n\x00"); i >= 0 {
			entry, b = b[:i], b[i+1:] // the terminator, either, is consumed
		} else {
			b = nil
		}
		line := strings.TrimLeft(strings.TrimSuffix(string(entry), "\r"), " \t")
		if line == "" || line[0] == '#' {
			continue
		}
		k, v, _ := strings.Cut(line, "=")
		if v == "" {
			// "name" or "name=": U-Boot deletes the variable.
			switch k {
			case "BOOT_ORDER":
				order = false
			case "BOOT_A_LEFT":
				a = false
			case "BOOT_B_LEFT":
				bl = false
			}
			continue
		}
		switch k {
		case "BOOT_ORDER":
			switch v {
			case "A B":
				e.Order = [2]Name{A, B}
			case "B A":
				e.Order = [2]Name{B, A}
			default:
				return e, fmt.Errorf("%w: BOOT_ORDER=%q: want \"A B\" or \"B A\"", ErrBootEnv, v)
			}
			order = true
		case "BOOT_A_LEFT", "BOOT_B_LEFT":
			if len(v) != 1 || v[0] < '0' || v[0] > '9' {
				return e, fmt.Errorf("%w: %s=%q: want one digit", ErrBootEnv, k, v)
			}
			if k == "BOOT_A_LEFT" {
				e.ALeft, a = int(v[0]-'0'), true
			} else {
				e.BLeft, bl = int(v[0]-'0'), true
			}
		}
	}
	if !order || !a || !bl {
		var miss []string
		for _, m := range []struct {
			ok   bool
			name string
		}{{a, "BOOT_A_LEFT"}, {bl, "BOOT_B_LEFT"}, {order, "BOOT_ORDER"}} {
			if !m.ok {
				miss = append(miss, m.name)
			}
		}
		return e, fmt.Errorf("%w: no %s", ErrBootEnv, strings.Join(miss, ", "))
	}
	return e, nil
}

// ReadBootEnv reads the file at path. A missing file is DefaultBootEnv,
// as for the boot script. A file that does not parse returns
// DefaultBootEnv with the error (ErrBootEnv).
func ReadBootEnv(path string) (BootEnv, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return DefaultBootEnv(), nil
	}
	if err != nil {
		return DefaultBootEnv(), fmt.Errorf("%w: %w", ErrBootEnv, err)
	}
	e, err := ParseBootEnv(b)
	if err != nil {
		return DefaultBootEnv(), fmt.Errorf("%s: %w", path, err)
	}
	return e, nil
}

// WriteBootEnv writes e to path in place: the file is opened without
// truncation, e.Format() is written at offset 0, padded with NULs to the
// file's length (44 bytes after U-Boot wrote it, 43 after the image
// builder or this function), and fsynced. The file keeps its length and
// its clusters, so the change is one sector: a power cut leaves the old
// state or the new one. A file shorter than BootEnvSize, longer than a
// sector or missing is replaced instead: a temporary file written and
// fsynced, renamed over path, the renamed file and the directory fsynced.
func WriteBootEnv(path string, e BootEnv) error {
	data := e.Format()
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if errors.Is(err, fs.ErrNotExist) {
		return atomicfile.WriteFile(path, data, 0o644)
	}
	if err != nil {
		return err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return err
	}
	if st.Size() < int64(len(data)) || st.Size() > maxInPlace {
		f.Close()
		return atomicfile.WriteFile(path, data, 0o644)
	}
	buf := make([]byte, st.Size())
	copy(buf, data)
	if _, err := f.WriteAt(buf, 0); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
