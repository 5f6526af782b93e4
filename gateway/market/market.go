// Package market is the gateway's side of the Ethereum compute market: it
// watches the HearthMarket contract for orders, accepts in batches the ones
// the owner's policy likes and whose app the pool can run, runs each as a
// pool job, and settles finished orders in batches, each with the Merkle
// root of its tasks' result digests (internal/merkle). A settlement that
// fails is retried a bounded number of times; a reclaimed order's job is
// stopped.
//
// Every step is recorded in the gateway's store before the transaction that
// follows it is queued, and transactions go through the chain package's
// outbox under keys derived from the recorded step. A gateway killed at any
// point redoes, after its restart, exactly the steps whose transactions are
// not known: no order is lost and none is accepted or settled twice. With
// the chain's RPC endpoint down the pool keeps working; decisions and
// settlements wait and complete when it returns.
//
// docs/market.md describes the life cycle for people.
package market

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"golang.org/x/sync/errgroup"

	"github.com/hearth-home/hearth/gateway"
	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/gateway/chain"
	"github.com/hearth-home/hearth/gateway/contracts"
	"github.com/hearth-home/hearth/store"
)

// Config is the owner's market policy and the chain's coordinates.
type Config struct {
	// Contract is the HearthMarket contract's address. Required.
	Contract common.Address
	// Endpoint is the URL published on chain for requesters:
	// "https://HOST:PORT#GATEWAY-ID" (api.ParseEndpoint). Required.
	Endpoint string
	// MinPricePerTask is the lowest price per task accepted, in wei.
	// Default 0: any price.
	MinPricePerTask *big.Int
	// Runtimes are the runtimes sold. Default wasm and oci.
	Runtimes []string
	// Apps, when not empty, are the only app digests ("sha256:...") run.
	Apps []string
	// MaxTasks caps one order's tasks. Default 1000.
	MaxTasks int
	// MaxQueued: while more of the pool's tasks wait than this, new orders
	// wait too. Default 10000.
	MaxQueued int
	// MinLead is how long before its deadline an order must still have to
	// be accepted. Default 1 minute.
	MinLead time.Duration
	// SettleBatch settles as soon as this many orders are finished.
	// Default 20.
	SettleBatch int
	// SettleAge settles a smaller batch once its oldest order has waited
	// this long. Default 30s.
	SettleAge time.Duration
	// SettleAttempts is how many times an order's settlement is sent before
	// the gateway gives up on it (state api.OrderFailed). Default 5.
	SettleAttempts int
	// SettleBackoff is the wait after an order's first failed settlement;
	// it doubles after each further failure, up to 10 minutes. Default 15s.
	SettleBackoff time.Duration
	// AcceptBatch caps the orders in one acceptance. Default 50.
	AcceptBatch int
	// Stake is what registering stakes, in wei. Default: the contract's
	// minimum.
	Stake *big.Int
	// Confirmations is how many blocks must be on an order's block before
	// it is considered. Default 2; chain.NoConfirmations for none (--dev).
	Confirmations int
	// FromBlock is where the watcher starts on a fresh store.
	FromBlock uint64
	// PollInterval paces the watcher, the outbox and the decisions.
	// Default 1s.
	PollInterval time.Duration
	// StuckAfter replaces a transaction not mined by then with a fee bump.
	// Default 30s.
	StuckAfter time.Duration
	// MaxHeadAge: with a verifying reader, orders are accepted only while
	// the verified head is at most this old. Default 36s (three slots).
	MaxHeadAge time.Duration
	// Mode is the chain connection's mode, shown in Info. Default
	// chain.ModeTrusted, said as a warning, unless the reader verifies.
	Mode chain.Mode
	// Certify, when set, runs every order's job certified in the pool
	// (docs/certification.md): no order is settled on one device's word.
	// Nil: one device's result is the task's.
	Certify *api.CertifySpec
	// Fetch reads an app or input from a URL an order names; default: an
	// HTTP(S) client. Fetched content is checked against its digest.
	Fetch Fetcher
	// Logger receives the market's logs. Default: discard.
	Logger *slog.Logger
}

func (c Config) withDefaults() Config {
	if c.MinPricePerTask == nil {
		c.MinPricePerTask = new(big.Int)
	}
	if len(c.Runtimes) == 0 {
		c.Runtimes = []string{"wasm", "oci"}
	}
	if c.MaxTasks <= 0 {
		c.MaxTasks = 1000
	}
	if c.MaxQueued <= 0 {
		c.MaxQueued = 10000
	}
	if c.MinLead <= 0 {
		c.MinLead = time.Minute
	}
	if c.SettleBatch <= 0 {
		c.SettleBatch = 20
	}
	if c.SettleAge <= 0 {
		c.SettleAge = 30 * time.Second
	}
	if c.SettleAttempts <= 0 {
		c.SettleAttempts = 5
	}
	if c.SettleBackoff <= 0 {
		c.SettleBackoff = 15 * time.Second
	}
	if c.AcceptBatch <= 0 {
		c.AcceptBatch = 50
	}
	if c.PollInterval <= 0 {
		c.PollInterval = time.Second
	}
	if c.MaxHeadAge <= 0 {
		c.MaxHeadAge = 36 * time.Second
	}
	if c.Fetch == nil {
		c.Fetch = httpFetch
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}

// Pool is what the market needs of the gateway; *gateway.Gateway is one.
// A pool that is also a JobCanceler has the jobs of reclaimed orders
// stopped.
type Pool interface {
	SubmitJob(api.JobSpec) (api.Job, error)
	Job(id string) (api.JobDetail, error)
	Jobs() []api.Job
	Blobs() *store.Blobs
	Capacity() gateway.Capacity
}

// Market runs the provider's side of the market.
type Market struct {
	cfg      Config
	db       *store.DB
	pool     Pool
	backend  chain.Backend
	reader   chain.Reader
	outbox   *chain.Outbox
	watcher  *chain.Watcher
	abi      *contracts.HearthMarket
	provider common.Address
	chainID  *big.Int
	log      *slog.Logger
	wake     chan struct{}
	verdicts map[string]appVerdict // apps checked, by runtime and digest; guarded by mu

	mu         sync.Mutex // serializes steps on orders
	lastInfo   string     // the pool info last published
	infoAt     time.Time
	registered bool   // the contract knows the provider
	number     uint32 // the provider's number in replicated orders' seats, once registered
	errMu      sync.Mutex
	lastErr    map[string]string
	paused     string // why accepting waits; guarded by errMu
	gapFreeAt  uint64 // the watcher's block at which no order was missing; guarded by mu
}

// Store buckets.
const (
	bucketOrders = "market_orders"
	bucketMeta   = "market_meta"
)

// New prepares the market. backend is the chain connection; every read the
// market decides on goes through its chain.Reader side.
func New(ctx context.Context, cfg Config, pool Pool, db *store.DB, backend chain.Backend, key *ecdsa.PrivateKey) (*Market, error) {
	cfg = cfg.withDefaults()
	if cfg.Contract == (common.Address{}) {
		return nil, errors.New("market: no contract address (--market-contract)")
	}
	if _, _, err := api.ParseEndpoint(cfg.Endpoint); err != nil {
		return nil, fmt.Errorf("market: %w", err)
	}
	chainID, err := backend.ChainID(ctx)
	if err != nil {
		return nil, fmt.Errorf("market: chain ID: %w", err)
	}
	if err := checkChain(db, chainID, cfg.Contract); err != nil {
		return nil, err
	}
	m := &Market{cfg: cfg, db: db, pool: pool, backend: backend, reader: backend,
		abi: contracts.NewHearthMarket(), provider: crypto.PubkeyToAddress(key.PublicKey),
		chainID: chainID, log: cfg.Logger, wake: make(chan struct{}, 1)}
	oopts := chain.OutboxOptions{
		PollInterval: cfg.PollInterval, StuckAfter: cfg.StuckAfter, Logger: m.log,
		OnDone: func(chain.Record) { m.poke() },
	}
	if v, ok := backend.(chain.Verifying); ok {
		// A mined transaction is followed until it is final, not for a
		// number of blocks.
		oopts.Finalized = v.FinalizedNumber
		if m.cfg.Mode == "" {
			m.cfg.Mode = chain.ModeVerified
		}
	}
	if m.cfg.Mode == "" {
		m.cfg.Mode = chain.ModeTrusted
	}
	m.outbox, err = chain.NewOutbox(db, backend, key, chainID, oopts)
	if err != nil {
		return nil, err
	}
	m.watcher = chain.NewWatcher(db, backend, chain.WatcherOptions{
		Address: cfg.Contract, FromBlock: cfg.FromBlock, Confirmations: cfg.Confirmations,
		PollInterval: cfg.PollInterval, Logger: m.log,
	})
	return m, nil
}

// checkChain refuses a store that holds the orders of another chain or
// contract: order IDs would collide.
func checkChain(db *store.DB, chainID *big.Int, contract common.Address) error {
	want := chainID.String() + "/" + strings.ToLower(contract.Hex())
	return db.Update(func(tx *store.Tx) error {
		got := string(tx.Get(bucketMeta, "chain"))
		switch {
		case got == "":
			return tx.Put(bucketMeta, "chain", []byte(want))
		case got != want:
			return fmt.Errorf("market: this gateway's data holds the orders of chain/contract %s, not %s: use another --data dir for another market", got, want)
		}
		return nil
	})
}

// Provider is the provider's address.
func (m *Market) Provider() common.Address { return m.provider }

// ChainID is the chain's ID.
func (m *Market) ChainID() *big.Int { return m.chainID }

// Outbox is the market's transaction outbox.
func (m *Market) Outbox() *chain.Outbox { return m.outbox }

func (m *Market) poke() {
	select {
	case m.wake <- struct{}{}:
	default:
	}
}

// Run registers the provider if needed, then watches, decides and settles
// until ctx ends. It returns an error only when the transaction outbox
// stops for good (nothing could be sent any more).
func (m *Market) Run(ctx context.Context) error {
	eg, ctx := errgroup.WithContext(ctx)
	eg.Go(func() error {
		if err := m.outbox.Run(ctx); err != nil {
			// Nothing could be sent any more: stop the market, loudly
			// (the caller logs it).
			return fmt.Errorf("transaction outbox stopped; the market stops: %w", err)
		}
		return nil
	})
	eg.Go(func() error {
		for ctx.Err() == nil {
			err := m.watcher.Run(ctx, m.handleLogs)
			if ctx.Err() == nil {
				m.log.Warn("chain watcher stopped; restarting", "err", err)
				sleep(ctx, m.cfg.PollInterval)
			}
		}
		return nil
	})
	eg.Go(func() error {
		m.steps(ctx)
		return nil
	})
	m.log.Info("market running", "provider", m.provider.Hex(), "contract", m.cfg.Contract.Hex(),
		"chain", m.chainID.String(), "min_price_per_task", m.cfg.MinPricePerTask.String())
	return eg.Wait()
}

// steps registers the provider when it is not, and moves the orders on,
// every PollInterval and whenever something happened, until ctx ends.
func (m *Market) steps(ctx context.Context) {
	tick := time.NewTicker(m.cfg.PollInterval)
	defer tick.Stop()
	for {
		m.mu.Lock()
		if !m.registered {
			ok, err := m.ensureRegistered(ctx)
			m.registered = ok
			m.mu.Unlock()
			if err != nil && ctx.Err() == nil {
				m.warnOnce("register", err)
			}
		} else {
			m.mu.Unlock()
		}
		if err := m.step(ctx); err != nil && ctx.Err() == nil {
			m.warnOnce("step", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		case <-m.wake:
		}
	}
}

// warnOnce logs an error when it differs from the last one of its kind,
// so that an endpoint that is down for an hour logs once, not 3600 times.
func (m *Market) warnOnce(kind string, err error) {
	m.errMu.Lock()
	defer m.errMu.Unlock()
	if m.lastErr == nil {
		m.lastErr = map[string]string{}
	}
	if m.lastErr[kind] == err.Error() {
		return
	}
	m.lastErr[kind] = err.Error()
	m.log.Warn("market: "+kind+" waits", "err", err)
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

// Handler serves the market's public API; mount it at /v1/market/.
func (m *Market) Handler() http.Handler { return m.routes() }

// Info describes the market.
func (m *Market) Info() api.MarketInfo {
	return api.MarketInfo{ChainID: m.chainID.String(), Contract: m.cfg.Contract.Hex(),
		Provider: m.provider.Hex(), Endpoint: m.cfg.Endpoint,
		MinPricePerTask: m.cfg.MinPricePerTask.String(), Runtimes: slices.Clone(m.cfg.Runtimes),
		MaxTasks: m.cfg.MaxTasks, Head: m.watcher.Head(), ChainMode: string(m.cfg.Mode),
		Warning: modeWarning(m.cfg.Mode), Paused: m.pausedReason()}
}

// ChainStatus is a line for `hearth status`: the chain mode, and what is
// wrong when something is.
func (m *Market) ChainStatus() string {
	s := string(m.cfg.Mode)
	if w := modeWarning(m.cfg.Mode); w != "" {
		s += " (WARNING: " + w + ")"
	}
	if p := m.pausedReason(); p != "" {
		s += "; " + p
	}
	return s
}

// modeWarning is what Info says of a mode that checks nothing.
func modeWarning(mode chain.Mode) string {
	if mode == chain.ModeTrusted {
		return "chain reads are trusted, not verified: the RPC endpoint could invent or hide orders"
	}
	return ""
}

// setPaused notes why accepting waits ("" when it does not), logging a
// change.
func (m *Market) setPaused(why string) {
	m.errMu.Lock()
	defer m.errMu.Unlock()
	if why == m.paused {
		return
	}
	if why != "" {
		m.log.Warn("market: accepting paused; running and settling go on", "why", why)
	} else {
		m.log.Info("market: accepting again")
	}
	m.paused = why
}

func (m *Market) pausedReason() string {
	m.errMu.Lock()
	defer m.errMu.Unlock()
	return m.paused
}

// crashAt is set from $HEARTH_TEST_CRASH_AT by the fault tests: the process
// kills itself with SIGKILL when it reaches the named point of accepting or
// settling (see crashPoint's callers), as a power cut would.
var crashAt = os.Getenv("HEARTH_TEST_CRASH_AT")

// lie is set from $HEARTH_TEST_LIE by the end-to-end tests: "root" makes
// this provider commit and reveal a made-up result root for every
// replicated order, as a provider that cheats would (replicated.go).
var lie = os.Getenv("HEARTH_TEST_LIE")

func crashPoint(name string) {
	if crashAt == name {
		syscall.Kill(os.Getpid(), syscall.SIGKILL)
		select {} // the signal is on its way
	}
}
