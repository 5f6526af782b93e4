package agent

import (
	"github.com/hearth-home/hearth/internal/atomicfile"

	"log/slog"
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
	if err := atomicfile.WriteFile(r.path, []byte("ready\n"), 0o644); err != nil {
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
