package discovery

import (
	"context"
	"log/slog"
	"sync/atomic"
	"time"
)

// Discovery announces this node and keeps the table of its neighbours.
type Discovery struct {
	cfg   Config
	self  Announcement
	log   *slog.Logger
	peers *table

	running   atomic.Bool
	malformed atomic.Uint64     // announcements or TXT strings dropped
	trouble   map[string]string // by message, the last error logged by Run's loop
}

// New returns a Discovery announcing self. When self.Instance is empty it is
// set to a random value; Self returns the result. Nothing happens until Run.
func New(cfg Config, self Announcement) *Discovery {
	cfg = cfg.withDefaults()
	if self.Instance == "" {
		self.Instance = newInstance()
	}
	return &Discovery{
		cfg:   cfg,
		self:  self,
		log:   cfg.Logger,
		peers: newTable(self, cfg.Expiry, cfg.Logger),
	}
}

// Malformed returns how many announcements and TXT strings heard since New
// were ignored as malformed.
func (d *Discovery) Malformed() uint64 { return d.malformed.Load() }

// Self returns what this Discovery announces.
func (d *Discovery) Self() Announcement { return d.self }

// Peers returns the live neighbours, without this node, sorted by ID.
func (d *Discovery) Peers() []Peer { return d.peers.live(time.Now()) }

// Wait blocks until a live neighbour satisfies match (any neighbour when
// match is nil) and returns it, or returns an error wrapping the context's
// cause when ctx ends first. It works whether or not Run has started.
func (d *Discovery) Wait(ctx context.Context, match func(Peer) bool) (Peer, error) {
	return d.peers.wait(ctx, match, time.Now)
}

// Run announces and browses until ctx ends, then says goodbye and returns
// nil. It returns at once with an error wrapping ErrAnnouncement when the
// announcement is invalid, ErrNoInterface when no interface can be used,
// or ErrRunning when already running. Later trouble (an interface going
// away, a socket error) is logged when it starts and retried every
// Interval. Run may be called again after it returned.
//
// The first query goes out as Run starts, and neighbours answer it at
// once, so a peer is normally known within milliseconds.
func (d *Discovery) Run(ctx context.Context) error {
	if !d.running.CompareAndSwap(false, true) {
		return ErrRunning
	}
	defer d.running.Store(false)
	d.trouble = make(map[string]string)
	if err := d.self.validate(); err != nil {
		return err
	}
	nics, err := systemNICs()
	if err != nil {
		return err
	}
	l, err := pickLinks(nics, d.cfg.Interfaces)
	if err != nil {
		return err
	}
	a := &announcer{d: d}
	if err := a.start(l); err != nil {
		return err
	}
	defer a.stop()

	tick := time.NewTicker(d.cfg.Interval)
	defer tick.Stop()
	for {
		// Every live node answers the query, which is how peers are
		// heard again; new nodes answer it at once when they start.
		d.warn("discovery: browsing", a.query())
		d.peers.expire(time.Now())

		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
		l = d.relink(l, a)
	}
}

// relink re-reads the interfaces and re-announces when the choice changed.
// When nothing is usable any more it keeps the old choice and says so.
func (d *Discovery) relink(old links, a *announcer) links {
	nics, err := systemNICs()
	if err == nil {
		var l links
		if l, err = pickLinks(nics, d.cfg.Interfaces); err == nil {
			return d.reannounce(old, l, a)
		}
	}
	d.warn("discovery: keeping the previous interfaces", err)
	return old
}

func (d *Discovery) reannounce(old, l links, a *announcer) links {
	a.mu.Lock()
	up := a.server != nil
	a.mu.Unlock()
	if l.key() == old.key() && up {
		return old
	}
	// zeroconf's server cannot change its addresses: the old one says
	// goodbye and a new one announces. Neighbours ignore this instance
	// for lateAnswer after the goodbye, then hear it in their next round.
	d.log.Info("discovery: announcing anew", "ifaces", l.names(), "addrs", l.addrs)
	a.stop()
	d.warn("discovery: announcing", a.start(l))
	return l
}

// warn logs err under msg unless it is nil or what was logged last under
// msg: trouble that lasts is logged when it starts, not every Interval.
// Only Run's goroutine calls it.
func (d *Discovery) warn(msg string, err error) {
	var t string
	if err != nil {
		t = err.Error()
	}
	if err != nil && t != d.trouble[msg] {
		d.log.Warn(msg, "err", err)
	}
	d.trouble[msg] = t
}
