package light

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/beacon/light"
	"github.com/ethereum/go-ethereum/beacon/params"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethdb/memorydb"

	"github.com/hearth-home/hearth/gateway/chain"
	"github.com/hearth-home/hearth/store"
)

// Config configures a Client.
type Config struct {
	// Network is the chain followed. Required.
	Network Network
	// BeaconURLs are beacon nodes' REST endpoints that serve the light
	// client API (/eth/v1/beacon/light_client/...): Nimbus, Lodestar and
	// Prysm do. At least one; two or more from different operators, so
	// that one that stalls or lies cannot stop the client. Required.
	BeaconURLs []string
	// Checkpoint is a finalized beacon block root the owner trusts. It is
	// used when the store holds no checkpoint younger than
	// MaxCheckpointAge. Default: the checkpoint go-ethereum embeds for
	// Network, which is refused once it is too old.
	Checkpoint common.Hash
	// DB keeps the newest finalized checkpoint across restarts. Default
	// nil: none kept (the CLI, which starts from Checkpoint each time).
	DB *store.DB
	// Bucket is the store bucket. Default "chain_light".
	Bucket string
	// MaxCheckpointAge refuses older checkpoints. Default 14 days.
	MaxCheckpointAge time.Duration
	// MaxHeadAge: Latest and Finalized return chain.ErrStale when the
	// newest signed header is older. Default 2 minutes (ten slots).
	MaxHeadAge time.Duration
	// Interval paces Run while nobody needs a fresh head. Default 1
	// minute: about 27 MB a day on mainnet (docs/chain.md).
	Interval time.Duration
	// FreshInterval paces Run for FreshFor after Refresh, while a reader
	// needs a head a few slots old (the market, to accept orders). Default
	// 12s, one slot.
	FreshInterval time.Duration
	// FreshFor is how long a Refresh keeps the fast pace. Default 5
	// minutes.
	FreshFor time.Duration
	// Clock is the time. Default time.Now; tests pass a fake beacon's.
	Clock func() time.Time
	// Logger receives the client's logs. Default: discard.
	Logger *slog.Logger
}

func (c Config) withDefaults() Config {
	if c.Bucket == "" {
		c.Bucket = "chain_light"
	}
	if c.MaxCheckpointAge <= 0 {
		c.MaxCheckpointAge = 14 * 24 * time.Hour
	}
	if c.MaxHeadAge <= 0 {
		c.MaxHeadAge = 2 * time.Minute
	}
	if c.Interval <= 0 {
		c.Interval = time.Minute
	}
	if c.FreshInterval <= 0 {
		c.FreshInterval = 12 * time.Second
	}
	if c.FreshFor <= 0 {
		c.FreshFor = 5 * time.Minute
	}
	if c.Clock == nil {
		c.Clock = time.Now
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Checkpoint == (common.Hash{}) && c.Network.Beacon != nil {
		c.Checkpoint = c.Network.Beacon.Checkpoint
	}
	return c
}

// Client follows a beacon chain's sync committee. Its methods are safe for
// concurrent use.
type Client struct {
	cfg       Config
	endpoints []*endpoint
	committee *light.CommitteeChain
	heads     *light.HeadTracker

	mu          sync.Mutex // guards what follows; Sync holds it throughout
	initialized bool
	saved       checkpoint // the newest checkpoint stored

	refresh    chan struct{} // Refresh wakes Run
	demandMu   sync.Mutex
	lastDemand time.Time // the last Refresh
}

// endpoint is one beacon node.
type endpoint struct {
	url     string
	api     *rest
	lastErr string // logged once until it changes
}

// New prepares a client; Sync or Run start it.
func New(cfg Config) (*Client, error) {
	cfg = cfg.withDefaults()
	switch {
	case cfg.Network.Beacon == nil:
		return nil, errors.New("light client: no network")
	case len(cfg.BeaconURLs) == 0:
		return nil, errors.New("light client: no beacon endpoint (--beacon-api URL[,URL]): verified reads need a beacon node that serves the light client API")
	}
	c := &Client{cfg: cfg, refresh: make(chan struct{}, 1)}
	for _, u := range cfg.BeaconURLs {
		c.endpoints = append(c.endpoints, &endpoint{url: u, api: newREST(strings.TrimRight(u, "/"))})
	}
	// The committees live in memory: at each start they are rebuilt from
	// the stored checkpoint, at most one sync period (27 hours) old while
	// the gateway runs, so a restart costs a bootstrap and an update or
	// two. Time is checked here (future slots), not by go-ethereum, so
	// that tests can run the client on a fake beacon's clock.
	c.committee = light.NewCommitteeChain(memorydb.New(), cfg.Network.Beacon, params.SyncCommitteeSupermajority, false)
	c.heads = light.NewHeadTracker(c.committee, params.SyncCommitteeSupermajority, nil)
	return c, nil
}

// Run syncs every Interval, or every FreshInterval for FreshFor after a
// Refresh, until ctx ends. Errors are logged, not returned: a beacon
// endpoint that is down or lies makes heads go stale, and reads fail with
// chain.ErrStale until it recovers. Only a checkpoint that cannot be used
// stops it (chain.ErrCheckpointTooOld).
func (c *Client) Run(ctx context.Context) error {
	// A client that Open already synced waits its pace for the next sync.
	first := time.Duration(0)
	var lastSync time.Time
	c.mu.Lock()
	if c.initialized {
		first, lastSync = c.pace(), time.Now()
	}
	c.mu.Unlock()
	timer := time.NewTimer(first)
	defer timer.Stop()
	var last string
	due := time.Now().Add(first) // when timer fires
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-timer.C:
		case <-c.refresh:
			// A reader wants a fresh head: sync now, or a slot after the
			// last sync if that is sooner than planned.
			if at := lastSync.Add(c.cfg.FreshInterval); at.After(time.Now()) {
				if at.Before(due) {
					timer.Reset(time.Until(at))
					due = at
				}
				continue
			}
			timer.Stop()
		}
		err := c.Sync(ctx)
		lastSync = time.Now()
		if errors.Is(err, chain.ErrCheckpointTooOld) {
			return err
		}
		switch msg := errString(err); {
		case msg != "" && msg != last:
			c.cfg.Logger.Warn("light client: sync failed", "err", err)
		case msg == "" && last != "":
			c.cfg.Logger.Info("light client: syncing again")
		}
		last = errString(err)
		next := c.pace()
		timer.Reset(next)
		due = time.Now().Add(next)
	}
}

// Refresh tells the client that a reader needs a head a slot or two old:
// Run syncs now (at most once a FreshInterval) and at the fast pace for
// FreshFor. It never blocks.
func (c *Client) Refresh() {
	c.demandMu.Lock()
	c.lastDemand = time.Now()
	c.demandMu.Unlock()
	select {
	case c.refresh <- struct{}{}:
	default:
	}
}

// pace is the wait until the next sync.
func (c *Client) pace() time.Duration {
	c.demandMu.Lock()
	defer c.demandMu.Unlock()
	if time.Since(c.lastDemand) < c.cfg.FreshFor {
		return min(c.cfg.Interval, c.cfg.FreshInterval)
	}
	return c.cfg.Interval
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// Latest is the newest verified head; chain.ErrNoHead before the first,
// chain.ErrStale (with the head) when it is older than MaxHeadAge.
func (c *Client) Latest() (chain.Head, error) {
	u, ok := c.heads.ValidatedOptimistic()
	if !ok {
		return chain.Head{}, chain.ErrNoHead
	}
	return c.fresh(u.Attested.Slot, c.head(u.Attested.Slot, u.Attested.PayloadHeader.BlockHash()))
}

// Finalized is the newest verified finalized head, with Latest's errors;
// its freshness is that of the header that proved it.
func (c *Client) Finalized() (chain.Head, error) {
	u, ok := c.heads.ValidatedFinality()
	if !ok {
		return chain.Head{}, chain.ErrNoHead
	}
	return c.fresh(u.Attested.Slot, c.head(u.Finalized.Slot, u.Finalized.PayloadHeader.BlockHash()))
}

func (c *Client) head(slot uint64, hash common.Hash) chain.Head {
	return chain.Head{Hash: hash, Slot: slot, Time: c.slotTime(slot)}
}

func (c *Client) fresh(signedSlot uint64, h chain.Head) (chain.Head, error) {
	if age := c.cfg.Clock().Sub(c.slotTime(signedSlot)); age > c.cfg.MaxHeadAge {
		return h, fmt.Errorf("%w: the newest signed beacon header is %s old (at most %s): the beacon endpoints give no new updates", chain.ErrStale, age.Round(time.Second), c.cfg.MaxHeadAge)
	}
	return h, nil
}

var (
	_ chain.HeadSource = (*Client)(nil)
	_ chain.Refresher  = (*Client)(nil)
)
