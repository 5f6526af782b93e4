package agent

import (
	"bytes"
	"context"
	"log/slog"
	"os/exec"
	"sync"
	"time"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/internal/logcmd"
)

// updateRetry is how long the agent waits before it runs the updater again
// for a version whose update failed.
const updateRetry = 10 * time.Minute

// updater runs the device's updater (Config.Updater) for the firmware
// updates that heartbeat answers offer: once per version, one at a time, as
// a child process whose output goes to the log. The updater reaches the
// gateway's mirror as this agent: the agent's store is locked while it
// runs, so the session (the node key's seed, the gateway's address and
// pinned ID) goes to the updater on its standard input, as JSON
// (updaterSession). The updater reboots the
// device when it succeeds, so the agent may be stopped meanwhile; when the
// agent stops first, the updater gets SIGTERM (it leaves the slots as they
// were) and Run waits for it.
type updater struct {
	path    string // empty: offers are logged and ignored
	dataDir string
	log     *slog.Logger
	retry   time.Duration
	offers  chan updateOffer

	mu       sync.Mutex
	applying string               // the version being applied
	done     map[string]bool      // versions whose updater succeeded
	failed   map[string]time.Time // when the updater failed, by version
	ignored  string               // the last offer logged without an updater
}

func newUpdater(path, dataDir string, log *slog.Logger) *updater {
	return &updater{path: path, dataDir: dataDir, log: log.With("part", "updater"), retry: updateRetry,
		offers: make(chan updateOffer, 1), done: map[string]bool{}, failed: map[string]time.Time{}}
}

// updateOffer is an offer taken, with the session the updater gets.
type updateOffer struct {
	api.FirmwareUpdate
	session func() ([]byte, error)
}

// updaterSession is what the updater reads on its standard input.
type updaterSession struct {
	Seed      string `json:"seed"` // the node key's seed, base64
	Gateway   string `json:"gateway"`
	GatewayID string `json:"gateway_id"`
}

// offer takes an offer from a heartbeat answer; fw is the device's status
// now (nil when unknown), session makes the updater's input. It never
// blocks.
func (u *updater) offer(up *api.FirmwareUpdate, fw *api.FirmwareStatus, session func() ([]byte, error)) {
	if up == nil {
		return
	}
	if fw != nil && (up.Version == fw.Version || fw.LastRollback != nil && fw.LastRollback.To == up.Version) {
		return // running it, or rolled back from it
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	switch {
	case u.path == "":
		if u.ignored != up.Version {
			u.log.Warn("firmware update offered but this agent has no --updater", "board", up.Board, "version", up.Version)
			u.ignored = up.Version
		}
		return
	case u.applying != "" || u.done[up.Version]:
		return
	case time.Since(u.failed[up.Version]) < u.retry:
		return
	}
	select {
	case u.offers <- updateOffer{*up, session}:
		u.applying = up.Version
	default:
	}
}

// Run runs the updater for each offer taken until ctx ends.
func (u *updater) Run(ctx context.Context) error {
	for {
		select {
		case <-ctx.Done():
			return nil
		case up := <-u.offers:
			err := u.apply(ctx, up)
			u.mu.Lock()
			u.applying = ""
			if err != nil {
				u.failed[up.Version] = time.Now()
			} else {
				u.done[up.Version] = true
			}
			u.mu.Unlock()
		}
	}
}

// apply runs the updater once and logs how it went.
func (u *updater) apply(ctx context.Context, up updateOffer) error {
	log := u.log.With("version", up.Version)
	log.Info("firmware update offered: running the updater", "board", up.Board, "updater", u.path)
	var stdin []byte
	if up.session != nil {
		var err error
		if stdin, err = up.session(); err != nil {
			log.Error("cannot give the updater this agent's session", "err", err)
			return err
		}
	}
	cmd := exec.CommandContext(ctx, u.path, "--data-dir", u.dataDir, "--version", up.Version)
	cmd.Stdin = bytes.NewReader(stdin)
	// When the agent stops, the updater is asked to stop too, and given
	// time to leave the slots as they were.
	start := time.Now()
	err := logcmd.Run(cmd, log, "updater: ")
	switch {
	case ctx.Err() != nil:
		log.Warn("the agent stopped while the updater ran", "err", err)
	case err != nil:
		log.Error("the updater failed; this version is tried again in a while", "err", err, "retry_after", u.retry)
	default:
		log.Info("the updater finished: the new release starts (a reboot into the new slot, or a restart into the new agent)", "took", time.Since(start).Round(time.Millisecond))
	}
	return err
}
