package slot

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// card is a device in a temporary directory: the slots' partitions are
// files of partSize bytes, the boot and data partitions directories.
type card struct {
	t        *testing.T
	dir      string
	env      string // hearthboot.env
	parts    map[Name]string
	versions map[Name]string // what each slot's etc/hearth/version says
	clock    time.Time
}

func newCard(t *testing.T, partSize int64) *card {
	t.Helper()
	dir := t.TempDir()
	c := &card{t: t, dir: dir, env: filepath.Join(dir, "boot", BootEnvName), parts: map[Name]string{},
		versions: map[Name]string{A: "1.0.0"}, clock: time.Date(2026, 12, 5, 23, 0, 0, 0, time.UTC)}
	must(t, os.MkdirAll(filepath.Join(dir, "boot"), 0o755))
	must(t, os.WriteFile(c.env, DefaultBootEnv().Format(), 0o644))
	for _, s := range []Name{A, B} {
		c.parts[s] = filepath.Join(dir, "part"+string(s))
		f, err := os.Create(c.parts[s])
		must(t, err)
		must(t, f.Truncate(partSize))
		f.Close()
	}
	return c
}

// boot runs the boot script's choice (firmware/image/boot.cmd) on the
// card's hearthboot.env, writing it back as U-Boot does on a trial (its
// export counts a NUL), and returns the booted device.
func (c *card) boot() *Device {
	c.t.Helper()
	b, err := os.ReadFile(c.env)
	must(c.t, err)
	env, err := ParseBootEnv(b)
	if err != nil {
		env = DefaultBootEnv()
	}
	slot, trial := Name(""), false
	for _, s := range env.Order {
		if slot == "" && env.Left(s) > 0 {
			slot, trial = s, env.Left(s) == LeftTrial
		}
	}
	if slot == "" {
		slot = A
	}
	if trial {
		env.SetLeft(slot, LeftNever)
		must(c.t, os.WriteFile(c.env, append(env.Format(), 0), 0o644))
	}
	return c.device(slot, trial)
}

func (c *card) device(s Name, trial bool) *Device {
	return &Device{
		Slot: s, Trial: trial, Board: "generic-arm64", Version: c.versions[s], Parts: c.parts,
		BootEnvFile: c.env, StateFile: filepath.Join(c.dir, "data", "hearth", StateName),
		Now: func() time.Time { c.clock = c.clock.Add(time.Second); return c.clock },
	}
}

func (c *card) readEnv() BootEnv {
	c.t.Helper()
	b, err := os.ReadFile(c.env)
	must(c.t, err)
	e, err := ParseBootEnv(b)
	must(c.t, err)
	return e
}

func (c *card) envBytes() []byte {
	b, err := os.ReadFile(c.env)
	must(c.t, err)
	return b
}

func (c *card) state() State {
	c.t.Helper()
	st, err := ReadState(filepath.Join(c.dir, "data", "hearth", StateName))
	must(c.t, err)
	return st
}

// image is a random slot image of n bytes and its sha256.
func image(seed uint64, n int) ([]byte, string) {
	b := make([]byte, n)
	r := rand.NewChaCha8([32]byte{byte(seed)})
	r.Read(b)
	sum := sha256.Sum256(b)
	return b, hex.EncodeToString(sum[:])
}

func partPrefix(t *testing.T, path string, n int) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	must(t, err)
	return b[:n]
}

func isZero(b []byte) bool { return bytes.Count(b, []byte{0}) == len(b) }
