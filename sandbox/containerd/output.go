package containerd

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/hearth-home/hearth/sandbox"
)

// capture keeps the first limit bytes of a stream in a file and counts the
// rest. Writes never fail: a chatty task is not stopped for talking. The
// task's logger (logger.go) owns the captures; the agent reads the files.
type capture struct {
	mu      sync.Mutex
	f       *os.File
	kept    int64
	limit   int64
	dropped int64
	failed  error
}

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

func (c *capture) close() error { return c.f.Close() }

// errStreams is returned when a task's logger did not finish its files.
var errStreams = errors.New("the task's output is incomplete: its logger did not finish")

// waitStreams waits for the logger to finish the streams of a task that
// has exited: it does once the shim closes the pipes.
func waitStreams(dir string, within time.Duration) error {
	deadline := time.Now().Add(within)
	for {
		if _, err := os.Stat(filepath.Join(dir, doneFile)); err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return errStreams
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// readStream returns what the logger kept of a stream, with the truncation
// note when it dropped bytes.
func readStream(dir, name string) ([]byte, bool, error) {
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
