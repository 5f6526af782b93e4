package ocitask

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/hearth-home/hearth/sandbox"
)

// A task's output lives in files in its state directory, written by a
// process beside the task (containerd's logger, runc's monitor) so that
// what it prints while the agent is down is kept: "stdout" and "stderr"
// hold the first bytes of each, "stdout.dropped" and "stderr.dropped" how
// many more there were, and doneFile marks them whole.

// doneFile marks streams that are whole.
const doneFile = "streams.done"

// KeepStreams copies stdout and stderr into dir until both end, keeping
// the first limit bytes of each and counting the rest, then marks the
// streams whole. A chatty task is not stopped for talking: the copy goes
// on reading what it drops.
func KeepStreams(dir string, limit int, stdout, stderr io.Reader) error {
	streams := []struct {
		name string
		r    io.Reader
	}{{"stdout", stdout}, {"stderr", stderr}}
	caps := make([]*capture, len(streams))
	for i, s := range streams {
		c, err := openCapture(filepath.Join(dir, s.name), limit)
		if err != nil {
			return err
		}
		caps[i] = c
	}
	var wg sync.WaitGroup
	for i, s := range streams {
		wg.Go(func() { io.Copy(caps[i], s.r) })
	}
	wg.Wait()
	for i, s := range streams {
		caps[i].f.Close()
		if err := os.WriteFile(filepath.Join(dir, s.name+".dropped"), []byte(strconv.FormatInt(caps[i].dropped, 10)), 0o600); err != nil {
			return err
		}
	}
	return os.WriteFile(filepath.Join(dir, doneFile), nil, 0o600)
}

// capture keeps the first limit bytes of a stream in a file and counts the
// rest. Writes never fail.
type capture struct {
	mu      sync.Mutex
	f       *os.File
	kept    int64
	limit   int64
	dropped int64
	failed  error
}

// openCapture appends to path: a restarted logger keeps what is there.
func openCapture(path string, limit int) (*capture, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	return &capture{f: f, kept: st.Size(), limit: int64(limit)}, nil
}

func (c *capture) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	room := min(max(c.limit-c.kept, 0), int64(len(p)))
	if room > 0 && c.failed == nil {
		n, err := c.f.Write(p[:room])
		c.kept += int64(n)
		if err != nil {
			c.failed = err
		}
	}
	c.dropped += int64(len(p)) - room
	return len(p), nil
}

// ErrStreams is returned when a task's logger did not finish its files.
var ErrStreams = errors.New("the task's output is incomplete: its logger did not finish")

// WaitStreams waits for the streams of a task that has exited to be
// whole: they are once every process that held them has closed them.
func WaitStreams(dir string, within time.Duration) error {
	deadline := time.Now().Add(within)
	for {
		if _, err := os.Stat(filepath.Join(dir, doneFile)); err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return ErrStreams
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// ReadStream returns what was kept of a stream ("stdout" or "stderr"),
// with the truncation note when bytes were dropped.
func ReadStream(dir, name string) ([]byte, bool, error) {
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil && !os.IsNotExist(err) {
		return nil, false, err
	}
	raw, _ := os.ReadFile(filepath.Join(dir, name+".dropped"))
	dropped, _ := strconv.ParseInt(string(bytes.TrimSpace(raw)), 10, 64)
	if dropped == 0 {
		return b, false, nil
	}
	return append(b, sandbox.TruncationNote(dropped)...), true, nil
}
