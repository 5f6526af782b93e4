package agent

import (
	"encoding/json"
	"errors"
	"io/fs"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/hearth-home/hearth/gateway/api"
)

// firmwareFile reads the device's firmware status (Config.FirmwareStatus,
// written by hearth-init) for hello and every heartbeat. It reads the file
// again only when its modification time or size changed, so a heartbeat
// costs one stat.
type firmwareFile struct {
	path string
	log  *slog.Logger

	mu     sync.Mutex
	mtime  time.Time
	size   int64
	status *api.FirmwareStatus
	said   string // the last problem logged, so that it is logged once
}

// maxFirmwareFile bounds the status file: it is a few hundred bytes.
const maxFirmwareFile = 64 << 10

// load returns the status, nil when there is no file (or no path).
func (f *firmwareFile) load() *api.FirmwareStatus {
	if f == nil || f.path == "" {
		return nil
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	st, err := os.Stat(f.path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		f.status, f.mtime, f.size = nil, time.Time{}, 0
		return nil
	case err != nil:
		f.warn("cannot read the firmware status", err)
		return f.status
	case st.ModTime().Equal(f.mtime) && st.Size() == f.size:
		return f.status
	}
	f.mtime, f.size = st.ModTime(), st.Size()
	raw, err := os.ReadFile(f.path)
	if err == nil && len(raw) > maxFirmwareFile {
		err = errors.New("file larger than 64 KiB")
	}
	var s api.FirmwareStatus
	if err == nil {
		err = json.Unmarshal(raw, &s)
	}
	if err == nil && (s.Board == "" || s.Version == "") {
		err = errors.New("no board or version")
	}
	if err != nil {
		// A file half written by hand, say: report none rather than
		// a status nobody wrote.
		f.warn("ignored the firmware status", err)
		f.status = nil
		return nil
	}
	f.said = ""
	f.status = &s
	return f.status
}

func (f *firmwareFile) warn(msg string, err error) {
	if err.Error() != f.said {
		f.log.Warn(msg, "file", f.path, "err", err)
		f.said = err.Error()
	}
}
