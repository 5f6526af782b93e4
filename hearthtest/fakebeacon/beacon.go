package fakebeacon

import (
	"context"
	"errors"
	"math/big"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ethereum/go-ethereum/beacon/params"
	btypes "github.com/ethereum/go-ethereum/beacon/types"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// HeaderReader is where execution headers come from (an ethclient or
// simulated client is one).
type HeaderReader interface {
	HeaderByNumber(ctx context.Context, number *big.Int) (*types.Header, error)
}

// Options configures New.
type Options struct {
	// Exec gives the execution blocks. Required.
	Exec HeaderReader

	// Config is the beacon chain config (forks, genesis validators root).
	// Default: a copy of go-ethereum's beacon/params.SepoliaLightConfig (its
	// fork versions, genesis validators root and genesis time, without its
	// checkpoint), so that a test replays a Sepolia configuration.
	Config *params.ChainConfig

	// BaseSlot is the beacon slot of execution block 0; block n is at slot
	// BaseSlot+n. Default (0): 20 slots before the start of the sync period
	// that contains the current wall-clock slot of Config, so that a test
	// crosses a sync-committee period change after 20 blocks.
	BaseSlot uint64

	// FinalityLag: the finalized header is FinalityLag blocks behind the
	// attested head, but never before block 0 (the block of execution block
	// 0 has no finalized header). Default (0): 2.
	FinalityLag uint64

	// Seed makes the committee keys: member i of period p's committee has
	// the secret key sha256(Seed || 't' || p as 8 bytes || i as 4 bytes,
	// big-endian) mod r (r the BLS12-381 group order; 1 if that is 0). The
	// impostors of WrongKeys and ForeignCommittee use 'f' for 't'.
	// Default: DefaultSeed.
	Seed []byte
}

// DefaultSeed is Options.Seed's default.
var DefaultSeed = []byte("hearth fakebeacon")

// Beacon is a fake beacon node serving the light-client REST API over
// loopback. Its methods are safe for concurrent use.
type Beacon struct {
	exec     HeaderReader
	cfg      *params.ChainConfig
	baseSlot uint64
	lag      uint64
	seed     []byte
	srv      *httptest.Server

	tamper atomic.Int32
	bytes  atomic.Int64

	mu         sync.Mutex
	blocks     []*beaconBlock // by execution block number
	byRoot     map[common.Hash]uint64
	committees map[committeeID]*committee
	sigs       map[sigKey]btypes.SyncAggregate
	head       uint64 // the execution block number of the served head
	haveHead   bool
	frozen     bool
	execHead   uint64        // Exec's newest block as last seen (the clock follows it)
	advanced   time.Duration // added to Now
	requests   map[string]int64
}

// New starts a fake beacon on an httptest server on 127.0.0.1.
func New(opts Options) (*Beacon, error) {
	if opts.Exec == nil {
		return nil, errors.New("fakebeacon: Options.Exec is required")
	}
	var cfg *params.ChainConfig
	if opts.Config != nil {
		cfg = copyConfig(opts.Config)
	} else {
		cfg = copyConfig(params.SepoliaLightConfig)
		cfg.Checkpoint = common.Hash{} // Sepolia's, not one of ours
	}
	if len(cfg.Forks) == 0 {
		return nil, errors.New("fakebeacon: Options.Config has no forks")
	}
	b := &Beacon{
		exec:       opts.Exec,
		cfg:        cfg,
		baseSlot:   opts.BaseSlot,
		lag:        opts.FinalityLag,
		seed:       slices.Clone(opts.Seed),
		byRoot:     make(map[common.Hash]uint64),
		committees: make(map[committeeID]*committee),
		sigs:       make(map[sigKey]btypes.SyncAggregate),
		requests:   make(map[string]int64),
	}
	if b.baseSlot == 0 {
		b.baseSlot = defaultBaseSlot(cfg, time.Now())
	}
	if b.lag == 0 {
		b.lag = 2
	}
	if len(b.seed) == 0 {
		b.seed = slices.Clone(DefaultSeed)
	}
	b.srv = httptest.NewServer(b.handler())
	return b, nil
}

// defaultBaseSlot is 20 slots before the start of the sync period that
// holds the wall-clock slot now.
func defaultBaseSlot(cfg *params.ChainConfig, now time.Time) uint64 {
	start := btypes.SyncPeriodStart(period(wallSlot(cfg, now)))
	if start < 20 {
		return 0
	}
	return start - 20
}

// wallSlot is the slot of cfg at time t.
func wallSlot(cfg *params.ChainConfig, t time.Time) uint64 {
	if s := t.Unix(); s > int64(cfg.GenesisTime) {
		return uint64(s-int64(cfg.GenesisTime)) / 12
	}
	return 0
}

// copyConfig copies a chain config deeply (the fork domains are computed
// again from the genesis validators root).
func copyConfig(c *params.ChainConfig) *params.ChainConfig {
	out := &params.ChainConfig{
		GenesisTime:           c.GenesisTime,
		GenesisValidatorsRoot: c.GenesisValidatorsRoot,
		Checkpoint:            c.Checkpoint,
	}
	for _, f := range c.Forks {
		out.AddFork(f.Name, f.Epoch, slices.Clone(f.Version))
	}
	return out
}

// URL is the server's base URL, for api.NewBeaconLightApi.
func (b *Beacon) URL() string { return b.srv.URL }

// Close stops the server.
func (b *Beacon) Close() { b.srv.Close() }

// Config returns (a copy of) the config a light client must use, genesis
// time included.
func (b *Beacon) Config() *params.ChainConfig { return copyConfig(b.cfg) }

// BaseSlot is the slot of execution block 0: block n is at BaseSlot()+n.
func (b *Beacon) BaseSlot() uint64 { return b.baseSlot }

// SlotTime is when a slot begins on the beacon's chain config.
func (b *Beacon) SlotTime(slot uint64) time.Time {
	return time.Unix(int64(b.cfg.GenesisTime+12*slot), 0)
}

// Checkpoint returns the beacon block root of the header that carries
// execution block n (call after the chain has block n), for use as a
// light-client checkpoint (bootstrap). It need not be at an epoch start.
func (b *Beacon) Checkpoint(ctx context.Context, n uint64) (common.Hash, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if err := b.buildThrough(ctx, n); err != nil {
		return common.Hash{}, err
	}
	return b.blocks[n].root, nil
}

// Now is the beacon's clock: the start of the slot of the execution
// chain's newest block, plus 4 seconds, plus whatever Advance added. Light
// clients in tests use it instead of the wall clock. It moves forward as
// blocks are added, also while the beacon is frozen: a frozen beacon's head
// grows old on it.
func (b *Beacon) Now() time.Time {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	b.mu.Lock()
	defer b.mu.Unlock()
	b.observe(ctx) // on failure, the last block seen
	return b.SlotTime(b.baseSlot + b.execHead).Add(4*time.Second + b.advanced)
}

// Advance moves Now forward by d (for stale-head tests).
func (b *Beacon) Advance(d time.Duration) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.advanced += d
}

// Tamper switches one lie on (None switches all off).
func (b *Beacon) Tamper(t Tamper) { b.tamper.Store(int32(t)) }

// Tampering returns the lie switched on.
func (b *Beacon) Tampering() Tamper { return Tamper(b.tamper.Load()) }

// Freeze(true) stops the beacon from following new execution blocks: it
// keeps serving the last head, a stale endpoint. Freeze(false) resumes.
func (b *Beacon) Freeze(frozen bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.frozen = frozen
}

// Bytes is the total of response body bytes served so far.
func (b *Beacon) Bytes() int64 { return b.bytes.Load() }

// Requests counts the requests whose path, less "/eth/v1/beacon/" and
// "light_client/", begins with prefix: "optimistic_update",
// "finality_update", "updates", "bootstrap", "headers"; "" counts all.
func (b *Beacon) Requests(prefix string) int64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	var n int64
	for path, c := range b.requests {
		if strings.HasPrefix(path, prefix) {
			n += c
		}
	}
	return n
}

// observe reads Exec's newest block number into b.execHead. b.mu must be
// held.
func (b *Beacon) observe(ctx context.Context) error {
	h, err := b.exec.HeaderByNumber(ctx, nil)
	if err != nil {
		return err
	}
	if h == nil || h.Number == nil {
		return errors.New("fakebeacon: newest execution header has no number")
	}
	b.execHead = h.Number.Uint64()
	return nil
}

// refresh follows Exec's newest block (unless frozen), builds its beacon
// block and returns the served head. b.mu must be held.
func (b *Beacon) refresh(ctx context.Context) (*beaconBlock, error) {
	if !b.frozen || !b.haveHead {
		if err := b.observe(ctx); err != nil {
			return nil, err
		}
		if err := b.buildThrough(ctx, b.execHead); err != nil {
			return nil, err
		}
		b.head, b.haveHead = b.execHead, true
	}
	return b.blocks[b.head], nil
}
