package discovery

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"
)

// lateAnswer is how long an instance that said goodbye is ignored: long
// enough for an answer it sent before, which another path (the resolver's
// round) may hand over late, and short enough that a node that announces
// anew on new addresses (a goodbye, then the same instance again) is heard
// again in the next round.
const lateAnswer = time.Second

// Bounds on what strangers on the LAN can make the table hold.
const (
	maxPeers  = 1024 // a home has a few dozen devices at most
	maxClones = 16
)

// table holds the neighbours heard, one per node ID.
type table struct {
	self   Announcement
	expiry time.Duration
	log    *slog.Logger

	mu      sync.Mutex
	peers   map[string]Peer
	clones  map[string]bool      // instances seen announcing our own ID
	retired map[string]time.Time // replaced id NUL instance -> end of the time its late answers are ignored
	changed chan struct{}        // closed and replaced when the set of peers changes
}

func newTable(self Announcement, expiry time.Duration, log *slog.Logger) *table {
	return &table{
		self: self, expiry: expiry, log: log,
		peers:   make(map[string]Peer),
		clones:  make(map[string]bool),
		retired: make(map[string]time.Time),
		changed: make(chan struct{}),
	}
}

// observe records that p was heard at now. A new instance of a known ID
// replaces the old one: that node restarted. The old instance is then
// retired for one expiry, so that an answer it sent before it stopped, and
// which arrives late, cannot bring it back.
func (t *table) observe(p Peer, now time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if p.ID == t.self.ID {
		if p.Instance != t.self.Instance && !t.clones[p.Instance] && len(t.clones) < maxClones {
			t.clones[p.Instance] = true
			t.log.Warn("discovery: another process announces this node's ID", "instance", p.Instance, "addrs", p.Addrs)
		}
		return
	}
	if until, ok := t.retired[p.ID+"\x00"+p.Instance]; ok && now.Before(until) {
		return
	}
	p.LastSeen, p.Expires = now, now.Add(t.expiry)
	old, ok := t.peers[p.ID]
	if !ok && len(t.peers) >= maxPeers {
		t.log.Debug("discovery: table full, ignoring peer", "id", p.ID)
		return
	}
	if ok && old.Instance != p.Instance {
		t.retired[old.ID+"\x00"+old.Instance] = now.Add(t.expiry)
	}
	t.peers[p.ID] = p
	switch {
	case !ok || !now.Before(old.Expires):
		t.log.Info("discovery: peer found", peerAttrs(p)...)
	case old.Instance != p.Instance:
		t.log.Info("discovery: peer restarted", append(peerAttrs(p), "old_instance", old.Instance)...)
	case old.Announcement != p.Announcement || !slices.Equal(old.Addrs, p.Addrs):
		t.log.Info("discovery: peer changed", peerAttrs(p)...)
	default:
		return // only LastSeen moved: nobody waits for that
	}
	t.notifyLocked()
}

// forget drops peer id when instance, which said goodbye, is still the one
// listed, and retires instance for lateAnswer (at most one expiry) so that
// an answer it sent before it stopped, and which arrives late, cannot bring
// it back.
func (t *table) forget(id, instance string, now time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if id == t.self.ID {
		return
	}
	if len(t.retired) < 2*maxPeers {
		t.retired[id+"\x00"+instance] = now.Add(min(t.expiry, lateAnswer))
	}
	p, ok := t.peers[id]
	if !ok || p.Instance != instance {
		return
	}
	delete(t.peers, id)
	t.log.Info("discovery: peer left", peerAttrs(p)...)
	t.notifyLocked()
}

// expire drops the peers not heard from since their Expires.
func (t *table) expire(now time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for k, until := range t.retired {
		if !now.Before(until) {
			delete(t.retired, k)
		}
	}
	dropped := false
	for id, p := range t.peers {
		if !now.Before(p.Expires) {
			delete(t.peers, id)
			dropped = true
			t.log.Info("discovery: peer lost", append(peerAttrs(p), "last_seen", p.LastSeen)...)
		}
	}
	if dropped {
		t.notifyLocked()
	}
}

// live returns copies of the unexpired peers, sorted by ID.
func (t *table) live(now time.Time) []Peer {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.liveLocked(now)
}

func (t *table) liveLocked(now time.Time) []Peer {
	ps := make([]Peer, 0, len(t.peers))
	for _, p := range t.peers {
		if now.Before(p.Expires) {
			p.Addrs = slices.Clone(p.Addrs)
			ps = append(ps, p)
		}
	}
	slices.SortFunc(ps, func(a, b Peer) int { return strings.Compare(a.ID, b.ID) })
	return ps
}

// wait blocks until a live peer matches (any peer when match is nil).
func (t *table) wait(ctx context.Context, match func(Peer) bool, now func() time.Time) (Peer, error) {
	for {
		t.mu.Lock()
		ch, ps := t.changed, t.liveLocked(now())
		t.mu.Unlock()
		for _, p := range ps {
			if match == nil || match(p) {
				return p, nil
			}
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return Peer{}, fmt.Errorf("discovery: waiting for a peer: %w", context.Cause(ctx))
		}
	}
}

func (t *table) notifyLocked() {
	close(t.changed)
	t.changed = make(chan struct{})
}

func peerAttrs(p Peer) []any {
	return []any{"id", p.ID, "instance", p.Instance, "role", p.Role, "name", p.Name, "addrs", p.Addrs, "port", p.Port}
}
