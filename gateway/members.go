package gateway

import (
	"fmt"
	"time"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/internal/identity"
	"github.com/hearth-home/hearth/store"
)

// hello opens an agent's session: a paired node is ready; a node with the
// right join token is paired now; one without a token waits as pending; one
// with a wrong token is refused.
func (g *Gateway) hello(node identity.NodeID, addr string, req api.HelloRequest) (api.HelloResponse, error) {
	resp := api.HelloResponse{GatewayID: g.id.ID.String(), Heartbeat: api.Duration(g.cfg.Heartbeat), LeaseTTL: api.Duration(g.cfg.LeaseTTL)}
	var tokenOK bool
	if req.JoinToken != "" {
		tok, err := api.ParseJoinToken(req.JoinToken)
		tokenOK = err == nil && tok.Equal(g.joinToken)
		if !tokenOK {
			g.log.Warn("refused node: wrong join token", "node", node.Short(), "name", req.Node.Name, "addr", addr)
			return resp, fmt.Errorf("%w: this token is not the pool's; run `hearth-gateway init` on the gateway to print the right one", ErrBadToken)
		}
	}
	now := time.Now()
	g.mu.Lock()
	m := g.members[node]
	isNew := m == nil
	if isNew {
		m = &member{memberRecord: memberRecord{ID: node, State: api.MemberPending}}
		g.members[node] = m
		g.speedChangedLocked()
	}
	m.Node, m.addr, m.lastSeen, m.Firmware = req.Node, addr, now, req.Firmware
	g.readyChangedLocked()
	paired := m.memberRecord.State != api.MemberPending
	if !paired && tokenOK {
		t := now.UTC()
		m.memberRecord.State, m.PairedAt, paired = api.MemberReady, &t, true
	}
	var rollouts []rolloutRecord
	if paired {
		m.state = api.MemberReady
		resp.State = api.MemberReady
		// A device back from a trial says so first in its hello.
		_, rollouts = g.firmwareLocked(m, now, false)
	} else {
		resp.State = api.MemberPending
		resp.Message = "waiting for the owner: run `hearth pool approve " + node.Short() + "`"
	}
	rec := m.snapshot()
	g.mu.Unlock()
	if err := g.db.Update(func(tx *store.Tx) error {
		if err := putMember(tx, rec); err != nil {
			return err
		}
		return putRollouts(tx, rollouts)
	}); err != nil {
		return resp, err
	}
	switch {
	case paired && tokenOK && rec.PairedAt != nil && now.Sub(*rec.PairedAt) < time.Second:
		g.log.Info("node paired with join token", "node", node.Short(), "name", req.Node.Name, "addr", addr, "arch", req.Node.Arch)
	case paired:
		g.log.Info("node back", "node", node.Short(), "name", req.Node.Name, "addr", addr)
	case isNew:
		g.log.Info("node pending approval", "node", node.Short(), "name", req.Node.Name, "addr", addr, "approve", "hearth pool approve "+node.Short())
	}
	return resp, nil
}

// heartbeat records health and power samples, renews leases, and answers
// with what the owner asks of the device's power governor.
func (g *Gateway) heartbeat(node identity.NodeID, addr string, hb api.Heartbeat) (api.HeartbeatResponse, error) {
	now := time.Now()
	var rollouts []rolloutRecord
	g.mu.Lock()
	m, err := g.workerLocked(node)
	if err != nil {
		g.mu.Unlock()
		return api.HeartbeatResponse{}, err
	}
	if m.state != api.MemberReady {
		g.log.Info("member state", "node", node.Short(), "name", m.Node.Name, "from", m.state, "to", api.MemberReady)
	}
	before := shareKeyOf(m)
	energy, minutes, seconds := g.recordSamplesLocked(m, hb, now)
	hb.Samples = nil // kept in the history, not in the health
	switch {
	case hb.Speed == nil:
		hb.Speed = m.health.Speed // the last one known stands
	case !validSpeed(*hb.Speed):
		g.log.Warn("ignored a speed that is no number of operations a second", "node", node.Short(), "speed", *hb.Speed)
		hb.Speed = m.health.Speed
	}
	if old := m.health.Speed; (old == nil) != (hb.Speed == nil) || old != nil && *old != *hb.Speed {
		g.speedChangedLocked()
	}
	m.health, m.addr, m.lastSeen, m.state = hb, addr, now, api.MemberReady
	if shareKeyOf(m) != before {
		g.readyChangedLocked()
	}
	resp := api.HeartbeatResponse{State: api.MemberReady, Revoked: g.renewLocked(node, hb.Running, now), Power: g.controlLocked(m, now),
		NoStreams: !g.streamsLiveLocked()}
	var recs []memberRecord
	if !sameFirmware(m.Firmware, hb.Firmware) {
		m.Firmware = hb.Firmware
		recs = append(recs, m.snapshot())
	}
	resp.FirmwareUpdate, rollouts = g.firmwareLocked(m, now, true)
	g.mu.Unlock()
	if len(recs)+len(rollouts) > 0 {
		err := g.db.Batch(func(tx *store.Tx) error {
			for _, r := range recs {
				if err := putMember(tx, r); err != nil {
					return err
				}
			}
			return putRollouts(tx, rollouts)
		})
		if err != nil {
			return api.HeartbeatResponse{}, err
		}
	}
	g.addEnergy(node, energy, minutes, seconds)
	return resp, nil
}

// sameFirmware reports whether two firmware statuses say the same.
func sameFirmware(a, b *api.FirmwareStatus) bool {
	if a == nil || b == nil {
		return a == b
	}
	ra, rb := a.LastRollback, b.LastRollback
	sameRollback := ra == nil && rb == nil ||
		ra != nil && rb != nil && ra.From == rb.From && ra.To == rb.To && ra.Reason == rb.Reason && ra.At.Equal(rb.At)
	return sameRollback && a.Board == b.Board && a.Version == b.Version && a.Slot == b.Slot && a.Trial == b.Trial
}

// release lets a quarantined device take certified work again: its faults
// are forgotten; its credibility stays as low as its faults left it, so
// its votes weigh as a fresh device's until it earns more.
func (g *Gateway) release(ref string) (api.Member, error) {
	g.mu.Lock()
	m, err := g.findMemberLocked(ref)
	if err != nil {
		g.mu.Unlock()
		return api.Member{}, err
	}
	was := m.Quarantined
	m.Quarantined, m.Faults = "", 0
	rec, view := m.snapshot(), m.view()
	g.wakeLocked()
	g.mu.Unlock()
	if err := g.db.Update(func(tx *store.Tx) error { return putMember(tx, rec) }); err != nil {
		return api.Member{}, err
	}
	g.log.Info("device released from quarantine by owner", "node", rec.ID.Short(), "name", rec.Node.Name, "was", was)
	return view, nil
}

// approve pairs a pending node named by its ID or a unique prefix of it.
func (g *Gateway) approve(prefix string) (api.Member, error) {
	g.mu.Lock()
	var found []*member
	for _, m := range g.members {
		if m.ID.Matches(prefix) {
			found = append(found, m)
		}
	}
	if len(found) != 1 {
		g.mu.Unlock()
		if len(found) > 1 {
			return api.Member{}, fmt.Errorf("%w: %q matches %d nodes; give more of the ID", ErrAmbiguousMember, prefix, len(found))
		}
		return api.Member{}, fmt.Errorf("%w: %q (see `hearth pool ls`; IDs need at least 7 characters)", ErrUnknownMember, prefix)
	}
	m := found[0]
	if m.memberRecord.State == api.MemberPending {
		t := time.Now().UTC()
		m.memberRecord.State, m.PairedAt, m.state = api.MemberReady, &t, api.MemberReady
		g.readyChangedLocked()
	}
	rec, view := m.snapshot(), m.view()
	g.mu.Unlock()
	if err := g.db.Update(func(tx *store.Tx) error { return putMember(tx, rec) }); err != nil {
		return api.Member{}, err
	}
	g.log.Info("node approved by owner", "node", rec.ID.Short(), "name", rec.Node.Name)
	return view, nil
}

func (g *Gateway) membersView() []api.Member {
	g.mu.Lock()
	defer g.mu.Unlock()
	out := make([]api.Member, 0, len(g.members))
	for _, m := range g.members {
		out = append(out, m.view())
	}
	sortMembers(out)
	return out
}
