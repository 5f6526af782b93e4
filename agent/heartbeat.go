package agent

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/hearth-home/hearth/gateway/api"
)

// errPendingAgain ends a session when the gateway says the node is pending
// again (its membership was reset on the gateway).
var errPendingAgain = fmt.Errorf("gateway: node is pending again: %w", api.ErrPending)

// heartbeatRetry is about how long the agent waits before it sends a
// heartbeat again that did not reach the gateway.
const heartbeatRetry = 500 * time.Millisecond

// heartbeats reports health every interval while the session lasts; each
// heartbeat renews the running leases, and the answer names those to stop.
// It closes answered at the first answer.
//
// The first heartbeat goes at once, the second after a random part of an
// interval, and the others an interval apart: devices that start together
// (a street's after a power cut, all of them after the gateway's restart)
// would otherwise beat together ever after, and the gateway would see
// their heartbeats come in bursts. Spread, they come one by one, as
// devices that started at different times send them (docs/scale.md: a
// simulator whose devices beat together cost the gateway a seventh of
// what they cost spread).
func (a *Agent) heartbeats(ctx context.Context, c *api.Client, every time.Duration, answered chan<- struct{}) error {
	phase := rand.N(every) + 1 // > 0: until the second heartbeat
	tick := time.NewTicker(phase)
	defer tick.Stop()
	defer a.ready.failed() // heartbeats in a row, in one session
	retried := false       // the last heartbeat did not reach the gateway and is being sent again
	for {
		hb := a.health()
		resp, err := c.Heartbeat(ctx, hb)
		if err != nil || resp.State != api.MemberReady {
			a.ready.failed()
		}
		if err == nil || !api.IsUnreachable(err) {
			retried = false
		}
		switch {
		case ctx.Err() != nil:
			return nil
		case err != nil && api.IsUnreachable(err) && !retried:
			// Once more before the session ends: in a crowd (thousands
			// of devices back after a gateway's restart) one call's
			// handshake may time out, and a new session would only add
			// a hello to the crowd. The gateway takes heartbeats without
			// a new hello, even after its restart.
			retried = true
			a.log.Debug("heartbeat missed; trying again", "err", err)
			sleep(ctx, heartbeatRetry/2+rand.N(heartbeatRetry))
			continue
		case err != nil && (api.IsUnreachable(err) || refusedBy(err)):
			return err
		case err != nil:
			a.log.Warn("heartbeat", "err", err)
		case resp.State == api.MemberPending:
			return errPendingAgain
		default:
			a.ready.answered()
			a.updater.offer(resp.FirmwareUpdate, hb.Firmware, func() ([]byte, error) { return a.updaterSession(c) })
			a.revoke(ctx, resp.Revoked)
			a.noStreams.Store(resp.NoStreams)
			if answered != nil {
				close(answered)
				answered = nil
			}
			if a.power != nil {
				a.power.sent(hb.Samples)
				a.control(resp.Power)
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
		if phase > 0 {
			tick.Reset(every)
			phase = 0
		}
	}
}

// updaterSession is the updater's standard input: this agent's identity and
// the gateway of this session, pinned.
func (a *Agent) updaterSession(c *api.Client) ([]byte, error) {
	gw := a.pin.want()
	if gw.IsZero() {
		return nil, errors.New("no gateway pinned yet")
	}
	return json.Marshal(updaterSession{Seed: base64.StdEncoding.EncodeToString(a.id.Seed()), Gateway: c.Addr(), GatewayID: gw.String()})
}

// revoke stops leases the gateway no longer holds for this agent: their
// tasks are killed and their results dropped. Results already finished and
// waiting in the outbox are sent all the same: the gateway may still take
// a late result, and otherwise acks it as stale.
func (a *Agent) revoke(ctx context.Context, ids []string) {
	for _, id := range ids {
		if a.work.revoke(ctx, id) != nil {
			a.log.Info("gateway revoked a running lease; killing its task", "lease", id)
		}
	}
}

// health is the heartbeat's content.
func (a *Agent) health() api.Heartbeat {
	h := api.Heartbeat{
		FreeSlots:   max(a.cap.idle(), 0),
		Running:     a.work.ids(),
		Unsent:      a.journal.unsentCount(),
		UptimeMilli: time.Since(a.started).Milliseconds(),
		TempC:       readTempC(a.sysRoot),
	}
	h.Load1, h.MemoryFree = hostLoad()
	h.DiskFree, h.DiskTotal = diskSpace(a.cfg.DataDir)
	h.Refusing = a.refusal(h.DiskFree, h.DiskTotal)
	h.Speed = a.speed.Load()
	h.Firmware = a.firmware.load()
	if a.power != nil {
		h.Power = PowerStatus(a.power.g.Status())
		h.Samples = a.power.samples()
		h.SentAt = time.Now()
	}
	return h
}
