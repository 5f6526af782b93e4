package discovery

import (
	"log/slog"
	"time"
)

// Config tunes a Discovery. The zero value works.
type Config struct {
	// Service is the DNS-SD service type announced and browsed.
	// Default "_hearth._tcp".
	Service string

	// Domain is the mDNS domain. Default "local.".
	Domain string

	// Interfaces names the network interfaces to announce and browse on.
	// Default: every interface that is up, multicast-capable and has an
	// address. Run fails with ErrNoInterface when none is usable as it
	// starts; after that the choice is re-read every Interval, so an
	// interface that comes up or gets an address later is picked up.
	Interfaces []string

	// Interval is how often the network is queried again, which is how
	// live peers are refreshed. Default 2s.
	Interval time.Duration

	// Expiry is how long a peer stays listed without being heard from.
	// Default 3*Interval, so that two lost rounds are forgiven.
	Expiry time.Duration

	// Logger receives what happens, found and lost peers at Info, dropped
	// malformed announcements at Debug. Default: discard.
	Logger *slog.Logger
}

const (
	defaultService  = "_hearth._tcp"
	defaultDomain   = "local."
	defaultInterval = 2 * time.Second
)

func (c Config) withDefaults() Config {
	if c.Service == "" {
		c.Service = defaultService
	}
	if c.Domain == "" {
		c.Domain = defaultDomain
	}
	if c.Interval <= 0 {
		c.Interval = defaultInterval
	}
	if c.Expiry <= 0 {
		c.Expiry = 3 * c.Interval
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	c.Interfaces = append([]string(nil), c.Interfaces...)
	return c
}
