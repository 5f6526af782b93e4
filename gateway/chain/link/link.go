// Package link opens the gateway's connection to a chain in one of the
// modes that chain.Mode names, so that the gateway and the CLI read the
// chain the same way:
//
//   - verified: a beacon light client (gateway/chain/light) gives verified
//     heads, and every RPC answer is checked against them
//     (gateway/chain/verify). For mainnet, Sepolia and Hoodi.
//   - trusted: one RPC endpoint believed as is, for a private chain with no
//     sync committee; its chain ID and genesis hash must be pinned, and the
//     mode is announced as a warning.
//
// The third mode, local, is the gateway's in-process dev chain, which needs
// no connection.
package link

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/hearth-home/hearth/gateway/chain"
	"github.com/hearth-home/hearth/gateway/chain/light"
	"github.com/hearth-home/hearth/gateway/chain/verify"
	"github.com/hearth-home/hearth/store"
)

// Config says how to reach a chain.
type Config struct {
	// Mode is ModeVerified (default) or ModeTrusted.
	Mode chain.Mode
	// RPC are JSON-RPC endpoint URLs. The first serves reads; transactions
	// go to all of them. Required.
	RPC []string
	// Network is "mainnet", "sepolia" or "hoodi" (verified mode). Default:
	// the one whose chain ID the first endpoint reports.
	Network string
	// CustomNetwork, when set, replaces Network: a test's beacon chain.
	CustomNetwork *light.Network
	// Beacon are beacon REST endpoints with the light client API
	// (verified mode). Required there.
	Beacon []string
	// Checkpoint is the owner's finalized beacon block root (verified
	// mode). Default: the stored one, else go-ethereum's embedded one.
	Checkpoint common.Hash
	// MaxCheckpointAge refuses older checkpoints. Default 14 days.
	MaxCheckpointAge time.Duration
	// DB keeps the light client's checkpoint; nil keeps none (the CLI).
	DB *store.DB
	// ChainID and Genesis pin a trusted chain; both required there, and
	// ChainID is checked in verified mode when set.
	ChainID uint64
	Genesis common.Hash
	// MaxHeadAge: verified reads fail with chain.ErrStale on an older head.
	// Default 2 minutes.
	MaxHeadAge time.Duration
	// Interval paces the light client's Run while no fresh head is
	// needed (light.Config.Interval). Default 1 minute.
	Interval time.Duration
	// Clock is the time; tests pass a fake beacon's. Default time.Now.
	Clock func() time.Time
	// Logger receives the link's logs. Default: discard.
	Logger *slog.Logger
}

// Link is an open chain connection.
type Link struct {
	// Backend reads (verified or not, as Mode says) and sends.
	Backend chain.Backend
	// Mode is the mode in force.
	Mode chain.Mode
	// Network is the followed network's name ("" when trusted).
	Network string
	// Light is the light client (nil when trusted).
	Light *light.Client

	closers []func()
	log     *slog.Logger
}

// Open connects as cfg says. In verified mode the light client syncs once
// before Open returns, so that the first read is verified; Run keeps it in
// sync.
func Open(ctx context.Context, cfg Config) (*Link, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if len(cfg.RPC) == 0 {
		return nil, errors.New("no chain RPC endpoint (--chain-rpc URL[,URL])")
	}
	switch cfg.Mode {
	case "", chain.ModeVerified:
		return openVerified(ctx, cfg)
	case chain.ModeTrusted:
		return openTrusted(ctx, cfg)
	case chain.ModeLocal:
		return nil, errors.New("chain mode local is the in-process dev chain (--dev or --dev-chain), not a connection")
	}
	return nil, fmt.Errorf("unknown chain mode %q: verified, trusted or local", cfg.Mode)
}

func openTrusted(ctx context.Context, cfg Config) (*Link, error) {
	if cfg.ChainID == 0 || cfg.Genesis == (common.Hash{}) {
		return nil, errors.New("trusted mode believes its RPC endpoint, so the chain must be pinned: give --chain-id and --chain-genesis (the hash of block 0); for a public chain use verified mode with --beacon-api")
	}
	client, err := chain.Dial(ctx, cfg.RPC[0])
	if err != nil {
		return nil, err
	}
	l := &Link{Backend: client, Mode: chain.ModeTrusted, closers: []func(){client.Close}, log: cfg.Logger}
	id, err := client.ChainID(ctx)
	if err != nil {
		l.Close()
		return nil, fmt.Errorf("chain ID: %w", err)
	}
	if id.Uint64() != cfg.ChainID {
		l.Close()
		return nil, fmt.Errorf("%w: it serves chain %s, pinned is %d", chain.ErrWrongChain, id, cfg.ChainID)
	}
	g, err := client.HeaderByNumber(ctx, big.NewInt(0))
	if err != nil {
		l.Close()
		return nil, fmt.Errorf("genesis block: %w", err)
	}
	if g.Hash() != cfg.Genesis {
		l.Close()
		return nil, fmt.Errorf("%w: its genesis is %s, pinned is %s", chain.ErrWrongChain, g.Hash().Hex(), cfg.Genesis.Hex())
	}
	cfg.Logger.Warn("chain mode TRUSTED: reads are not verified; the RPC endpoint could invent or hide orders and receipts. Use it only for a private chain you run.", "chain_id", cfg.ChainID)
	return l, nil
}

func openVerified(ctx context.Context, cfg Config) (*Link, error) {
	if len(cfg.Beacon) == 0 {
		return nil, errors.New("verified mode needs a beacon endpoint with the light client API (--beacon-api URL[,URL]); see docs/market.md. A private chain without a sync committee runs in trusted mode instead")
	}
	l := &Link{Mode: chain.ModeVerified, log: cfg.Logger}
	var rpcs []*rpc.Client
	for _, u := range cfg.RPC {
		c, err := rpc.DialContext(ctx, u)
		if err != nil {
			l.Close()
			return nil, fmt.Errorf("dial chain RPC %s: %w", chain.RedactURL(u), err)
		}
		rpcs = append(rpcs, c)
		l.closers = append(l.closers, c.Close)
	}
	network, err := pickNetwork(ctx, cfg, rpcs[0])
	if err != nil {
		l.Close()
		return nil, err
	}
	if cfg.ChainID != 0 && cfg.ChainID != network.ChainID {
		l.Close()
		return nil, fmt.Errorf("%w: --chain-id %d, but %s is chain %d", chain.ErrWrongChain, cfg.ChainID, network.Name, network.ChainID)
	}
	l.Network = network.Name
	l.Light, err = light.New(light.Config{Network: network, BeaconURLs: cfg.Beacon, Checkpoint: cfg.Checkpoint,
		DB: cfg.DB, MaxCheckpointAge: cfg.MaxCheckpointAge, MaxHeadAge: cfg.MaxHeadAge, Interval: cfg.Interval, Clock: cfg.Clock, Logger: cfg.Logger})
	if err != nil {
		l.Close()
		return nil, err
	}
	if err := l.Light.Sync(ctx); err != nil {
		l.Close()
		return nil, err
	}
	r, err := verify.New(ctx, l.Light, rpcs, verify.Options{ChainID: new(big.Int).SetUint64(network.ChainID), Config: network.Rules,
		MaxHeadAge: cfg.MaxHeadAge, Clock: cfg.Clock, Logger: cfg.Logger})
	if err != nil {
		l.Close()
		return nil, err
	}
	l.Backend = r
	return l, nil
}

func pickNetwork(ctx context.Context, cfg Config, c *rpc.Client) (light.Network, error) {
	switch {
	case cfg.CustomNetwork != nil:
		return *cfg.CustomNetwork, nil
	case cfg.Network != "":
		return light.NetworkByName(cfg.Network)
	}
	id, err := ethclient.NewClient(c).ChainID(ctx)
	if err != nil {
		return light.Network{}, fmt.Errorf("chain ID: %w", err)
	}
	n, ok := light.NetworkByChainID(id.Uint64())
	if !ok {
		return light.Network{}, fmt.Errorf("chain %s has no sync committee Hearth can follow (mainnet, sepolia, hoodi): a private chain runs with --chain-mode trusted, pinned by --chain-id and --chain-genesis", id)
	}
	return n, nil
}

// Run keeps the light client in sync until ctx ends; nothing to do when
// trusted.
func (l *Link) Run(ctx context.Context) error {
	if l.Light == nil {
		<-ctx.Done()
		return nil
	}
	return l.Light.Run(ctx)
}

// Close closes the connections.
func (l *Link) Close() {
	for _, c := range l.closers {
		c()
	}
	l.closers = nil
}
