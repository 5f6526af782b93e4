package gateway

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"sync"
	"time"

	"github.com/hearth-home/hearth/firmware/ota"
	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/internal/logcmd"
)

// A gateway that runs on a Hearth OS appliance (hearth-init passes
// Config.FirmwareStatus and Config.Updater) updates that appliance too,
// from its own mirror: the slot of gateway-role appliances
// (ota.ProductGatewayOS: the agent's slot and the gateway), which no
// rollout offers. It goes last: while a rollout of its board is still
// offering the same release it waits, and it never takes a release a
// device of its board rolled back from. The updater (hearth-update
// --gateway --mirror) checks the release against the slot's pinned root,
// writes the other slot and reboots; hearth-init commits the slot when the
// gateway listens again, and otherwise boots the previous one
// (docs/firmware.md, "Updates for a gateway-role device").

// selfUpdateEvery is how often the gateway looks again (an import looks at
// once): a rollout of its board may have finished meanwhile.
const selfUpdateEvery = 30 * time.Second

// selfUpdate is the gateway's own update state.
type selfUpdate struct {
	updater, status, mirror string
	log                     *slog.Logger
	retry                   time.Duration
	kicks                   chan struct{}

	mu       sync.Mutex
	applying string
	failed   map[string]time.Time // when the updater failed, by version
}

func newSelfUpdate(updater, status, mirror string, log *slog.Logger) *selfUpdate {
	return &selfUpdate{updater: updater, status: status, mirror: mirror, log: log.With("part", "self-update"),
		retry: updateRetry, kicks: make(chan struct{}, 1), failed: map[string]time.Time{}}
}

// updateRetry is how long a version whose updater failed waits before it
// is tried again.
const updateRetry = 10 * time.Minute

// kick makes the loop look now (after an import). Safe on nil.
func (s *selfUpdate) kick() {
	if s == nil {
		return
	}
	select {
	case s.kicks <- struct{}{}:
	default:
	}
}

// readStatus reads the appliance's firmware status; nil when it cannot.
func (s *selfUpdate) readStatus() *api.FirmwareStatus {
	raw, err := os.ReadFile(s.status)
	if err != nil || len(raw) > 64<<10 {
		return nil
	}
	var st api.FirmwareStatus
	if json.Unmarshal(raw, &st) != nil || st.Board == "" || !ota.ValidVersion(st.Version) {
		return nil
	}
	return &st
}

// runSelfUpdate installs the gateway's own release when one is due, until
// ctx ends.
func (g *Gateway) runSelfUpdate(ctx context.Context) {
	s := g.fw.self
	t := time.NewTicker(selfUpdateEvery)
	defer t.Stop()
	for {
		if v, why := g.selfUpdateDue(time.Now()); v != "" {
			s.apply(ctx, v)
		} else if why != "" {
			s.log.Debug("not updating this appliance", "why", why)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-s.kicks:
		}
	}
}

// selfUpdateDue is the release this appliance should install now, or why
// none.
func (g *Gateway) selfUpdateDue(now time.Time) (version, why string) {
	st := g.fw.self.readStatus()
	g.mu.Lock()
	defer g.mu.Unlock()
	_, version, why = g.selfDueLocked(st, now)
	return version, why
}

// selfDueLocked is, for the appliance's status st, the release the updater
// is installing now, or else the one to install next or why none. Called
// with g.mu held.
func (g *Gateway) selfDueLocked(st *api.FirmwareStatus, now time.Time) (installing, version, why string) {
	s := g.fw.self
	var r *rollout
	if st != nil {
		r = g.fw.rollouts[st.Board]
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.applying != "" {
		return s.applying, "", "installing " + s.applying
	}
	version, why = selfUpdateDecision(st, g.fw.cat.Gateway, r, s.failed, s.retry, now)
	return "", version, why
}

// selfUpdateDecision decides, from the appliance's status, the gateway
// slots the mirror serves, the rollout of the appliance's board (nil when
// none) and the updater's recent failures, which release to install now:
// "" and why not, when none.
func selfUpdateDecision(st *api.FirmwareStatus, images []api.FirmwareImage, r *rollout, failed map[string]time.Time,
	retry time.Duration, now time.Time) (version, why string) {
	switch {
	case st == nil:
		return "", "no firmware status"
	case st.Trial:
		return "", "this boot is a trial: it commits first"
	}
	var best *api.FirmwareImage
	for i, im := range images {
		if im.Board != st.Board || ota.CompareVersions(im.Version, st.Version) <= 0 ||
			im.MinFrom != "" && ota.CompareVersions(st.Version, im.MinFrom) < 0 {
			continue
		}
		if best == nil || ota.CompareVersions(im.Version, best.Version) > 0 {
			best = &images[i]
		}
	}
	switch {
	case best == nil:
		return "", ""
	case st.LastRollback != nil && st.LastRollback.To == best.Version:
		return "", "this appliance rolled back from " + best.Version
	case now.Sub(failed[best.Version]) < retry:
		return "", "the updater failed for " + best.Version + " lately"
	case r != nil && r.Target == best.Version && r.State == api.RolloutStopped:
		return "", "a device of " + st.Board + " rolled back from " + best.Version
	case r != nil && r.Target == best.Version && (r.State == api.RolloutCanary || r.State == api.RolloutRolling):
		return "", "the devices of " + st.Board + " take " + best.Version + " first"
	}
	return best.Version, ""
}

// apply runs the updater for version; when it succeeds it reboots the
// appliance, which stops this gateway.
func (s *selfUpdate) apply(ctx context.Context, version string) {
	s.mu.Lock()
	s.applying = version
	s.mu.Unlock()
	log := s.log.With("version", version)
	log.Info("installing this appliance's release", "updater", s.updater)
	err := s.run(ctx, version, log)
	s.mu.Lock()
	s.applying = ""
	if err != nil {
		s.failed[version] = time.Now()
	}
	s.mu.Unlock()
	switch {
	case err != nil && ctx.Err() != nil:
		log.Warn("the gateway stopped while the updater ran", "err", err)
	case err != nil:
		log.Error("the updater failed; trying again later", "err", err, "retry_in", s.retry)
	default:
		log.Info("the updater finished: the appliance reboots into the release")
	}
}

func (s *selfUpdate) run(ctx context.Context, version string, log *slog.Logger) error {
	cmd := exec.CommandContext(ctx, s.updater, "--gateway", "--mirror", s.mirror, "--version", version)
	err := logcmd.Run(cmd, log, "updater: ")
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return fmt.Errorf("%s exited %d", s.updater, ee.ExitCode())
	}
	return err
}

// selfViewLocked is what GET /v1/firmware says of the appliance the
// gateway runs on; nil when it runs on none. Called with g.mu held.
func (g *Gateway) selfViewLocked(now time.Time) *api.FirmwareSelf {
	if g.fw == nil || g.fw.self == nil {
		return nil
	}
	st := g.fw.self.readStatus()
	out := &api.FirmwareSelf{Firmware: st}
	if out.Installing, out.Next, out.Waiting = g.selfDueLocked(st, now); out.Installing != "" {
		out.Waiting = ""
	}
	return out
}
