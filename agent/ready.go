package agent

import (
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
)

// readyAfter is how many heartbeats in a row the gateway must answer before
// the agent says it is ready (docs/firmware.md, "Commit").
const readyAfter = 3

// readyFile tells hearth-init that this boot works: once the agent is
// paired with its pinned gateway and readyAfter heartbeats in a row were
// answered, it writes the file (Config.ReadyFile), atomically, once per
// process. It is used by the heartbeat loop alone.
type readyFile struct {
	path    string
	log     *slog.Logger
	answers int
	written bool
}

// answered counts a heartbeat the gateway answered; failed resets the count.
func (r *readyFile) answered() {
	if r == nil || r.path == "" || r.written {
		return
	}
	r.answers++
	if r.answers < readyAfter {
		return
	}
	if err := writeAtomic(r.path, []byte("ready\n")); err != nil {
		r.log.Error("cannot write the ready file; hearth-init will not commit this boot", "file", r.path, "err", err)
		r.answers = 0 // try again after another run of answers
		return
	}
	r.written = true
	r.log.Info("ready: paired and heartbeats answered", "file", r.path, "heartbeats", readyAfter)
}

func (r *readyFile) failed() {
	if r != nil {
		r.answers = 0
	}
}

// writeAtomic writes a file through a temporary one beside it and a rename,
// so that a reader sees the whole file or none.
func writeAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
