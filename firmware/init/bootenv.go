package hearthinit

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// ErrBootEnv is returned for a hearthboot.env that is not the three lines
// the boot script reads.
var ErrBootEnv = errors.New("hearthboot.env")

// BootEnvName is the slot state's file on the boot partition.
const BootEnvName = "hearthboot.env"

// BootEnv is the slot state that U-Boot's boot script reads
// (firmware/image/boot.cmd): the order to try the slots in and how many
// boots each may still try (3 = committed, 1 = one trial, 0 = never).
type BootEnv struct {
	Order        string // "A B" or "B A"
	ALeft, BLeft int
}

// ParseBootEnv reads the file as `env export -t` writes it.
func ParseBootEnv(b []byte) (BootEnv, error) {
	var e BootEnv
	seen := 0
	for l := range strings.Lines(string(b)) {
		k, v, ok := strings.Cut(strings.TrimSpace(l), "=")
		if !ok {
			continue
		}
		switch k {
		case "BOOT_ORDER":
			if v != "A B" && v != "B A" {
				return e, fmt.Errorf("%w: BOOT_ORDER=%q", ErrBootEnv, v)
			}
			e.Order = v
		case "BOOT_A_LEFT", "BOOT_B_LEFT":
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 || n > 9 {
				return e, fmt.Errorf("%w: %s=%q", ErrBootEnv, k, v)
			}
			if k == "BOOT_A_LEFT" {
				e.ALeft = n
			} else {
				e.BLeft = n
			}
		default:
			continue
		}
		seen++
	}
	if seen != 3 || e.Order == "" {
		return e, fmt.Errorf("%w: want BOOT_A_LEFT, BOOT_B_LEFT and BOOT_ORDER, have %q", ErrBootEnv, b)
	}
	return e, nil
}

// Format writes the file: the variables sorted, one a line, single digits,
// always 43 bytes.
func (e BootEnv) Format() []byte {
	return fmt.Appendf(nil, "BOOT_A_LEFT=%d\nBOOT_B_LEFT=%d\nBOOT_ORDER=%s\n", e.ALeft, e.BLeft, e.Order)
}

// Commit makes slot the committed first choice; the other slot keeps its
// state, so the release before stays the way back.
func (e BootEnv) Commit(slot string) BootEnv {
	if slot == "B" {
		e.Order, e.BLeft = "B A", 3
	} else {
		e.Order, e.ALeft = "A B", 3
	}
	return e
}

// WriteBootEnv rewrites path with e. The file keeps its length, so the
// write changes one sector in place: a power cut leaves the old state or
// the new one. A file of another length is replaced through a temporary.
func WriteBootEnv(path string, e BootEnv) error {
	b := e.Format()
	if st, err := os.Stat(path); err != nil || st.Size() != int64(len(b)) {
		return writeFileSync(path, b, 0o644)
	}
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	if _, err := f.WriteAt(b, 0); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
