package hearthinit

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"time"
)

// Watchdog is an open /dev/watchdog: once opened, the board resets unless
// it is written to within its timeout (15 to 60 s by driver).
type Watchdog struct {
	f *os.File
}

// OpenWatchdog opens path; (nil, nil) when the device has none.
func OpenWatchdog(path string) (*Watchdog, error) {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &Watchdog{f: f}, nil
}

// Pet resets the timer.
func (w *Watchdog) Pet() error {
	_, err := w.f.Write([]byte{0})
	return err
}

// Disarm writes the magic 'V' and closes: the timer stops (unless the
// driver was built with nowayout) before a deliberate reboot.
func (w *Watchdog) Disarm() error {
	w.f.Write([]byte("V"))
	return w.f.Close()
}

// Run pets the watchdog every interval while alive says the role runs, so
// that a role that cannot stay up ends in a reset (and, on a trial boot, in
// the previous slot).
func (w *Watchdog) Run(ctx context.Context, interval time.Duration, alive func() bool) error {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if alive() {
			w.Pet()
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}
