package devchain

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math/big"
	"net"
	"net/netip"
	"net/url"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/rawdb"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/eth"
	"github.com/ethereum/go-ethereum/eth/catalyst"
	"github.com/ethereum/go-ethereum/eth/ethconfig"
	"github.com/ethereum/go-ethereum/eth/filters"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/ethclient/simulated"
	"github.com/ethereum/go-ethereum/node"
	"github.com/ethereum/go-ethereum/p2p"
	"github.com/ethereum/go-ethereum/params"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/holiman/uint256"
)

// nodeName names the instance directory inside Options.DataDir. It must not
// change: go-ethereum defaults it to the executable's name, which would put
// the chain somewhere else for every binary that opens it.
const nodeName = "hearth-devchain"

// httpModules are the JSON-RPC namespaces served over HTTP.
var httpModules = []string{"eth", "net", "web3", "txpool"}

// Chain is a running development chain. Its methods are safe for concurrent
// use.
type Chain struct {
	opts    Options
	stack   *node.Node
	eth     *eth.Ethereum
	client  *ethclient.Client
	url     string
	chainID *big.Int
	minTip  *uint256.Int // the miner's minimum tip; never changed

	// mu serialises sealing: the simulated beacon is not safe for
	// concurrent use, and Commit races the sealer otherwise.
	mu       sync.Mutex
	beacon   *catalyst.SimulatedBeacon
	lastSeal time.Time
	closed   bool

	stopSealer context.CancelFunc
	sealerDone chan struct{}
	closeOnce  sync.Once
	closeErr   error
}

// Start starts a development chain as opts describe, and its sealer. Close
// stops it.
func Start(opts Options) (*Chain, error) {
	opts = opts.withDefaults()
	nodeConf, err := nodeConfig(opts)
	if err != nil {
		return nil, err
	}
	stack, err := node.New(nodeConf)
	if err != nil {
		if errors.Is(err, node.ErrDatadirUsed) {
			return nil, fmt.Errorf("%w: %s: %w", ErrDataDirInUse, opts.DataDir, err)
		}
		return nil, fmt.Errorf("devchain: %w", err)
	}
	ethConf := ethConfig(opts)
	backend, err := eth.New(stack, ethConf)
	if err != nil {
		stack.Close()
		if _, ok := errors.AsType[*core.GenesisMismatchError](err); ok {
			return nil, fmt.Errorf("%w: %s was created with another genesis allocation; use the same one or an empty directory: %w", ErrGenesisMismatch, opts.DataDir, err)
		}
		return nil, fmt.Errorf("devchain: %w", err)
	}
	// The eth service registers eth_getLogs and the filter methods only
	// through this separate system, as simulated.NewBackend does.
	filterSystem := filters.NewFilterSystem(backend.APIBackend, filters.Config{})
	stack.RegisterAPIs([]rpc.API{{Namespace: "eth", Service: filters.NewFilterAPI(filterSystem)}})

	if err := stack.Start(); err != nil { // Start closes the stack when it fails
		if opErr, ok := errors.AsType[*net.OpError](err); ok && opErr.Op == "listen" {
			return nil, fmt.Errorf("%w on %s: %w (another chain or node is probably running there; choose another address with --chain-rpc-addr)", ErrListen, opts.Addr, err)
		}
		return nil, fmt.Errorf("devchain: %w", err)
	}
	// Period 0: the beacon seals only when told to, by Commit or the sealer.
	beacon, err := catalyst.NewSimulatedBeacon(0, common.Address{}, backend)
	if err != nil {
		stack.Close()
		return nil, fmt.Errorf("devchain: %w", err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	c := &Chain{
		opts:       opts,
		stack:      stack,
		eth:        backend,
		client:     ethclient.NewClient(stack.Attach()),
		chainID:    new(big.Int).Set(backend.BlockChain().Config().ChainID),
		minTip:     uint256.MustFromBig(ethConf.Miner.GasPrice),
		beacon:     beacon,
		lastSeal:   time.Now(),
		stopSealer: cancel,
		sealerDone: make(chan struct{}),
	}
	if opts.Addr != "" {
		c.url = localURL(stack.HTTPEndpoint())
	}
	if err := c.leaveGenesis(); err != nil {
		cancel()
		c.client.Close()
		stack.Close()
		return nil, err
	}
	go func() {
		defer close(c.sealerDone)
		c.runSealer(ctx)
	}()

	head := backend.BlockChain().CurrentBlock()
	where := "in memory"
	if opts.DataDir != "" {
		where = "in " + opts.DataDir
	}
	opts.Logger.Info("devchain: started", "chain_id", c.chainID, "block", head.Number, "where", where, "rpc", orNone(c.url))
	return c, nil
}

func nodeConfig(opts Options) (*node.Config, error) {
	conf := node.DefaultConfig
	conf.Name = nodeName
	conf.DataDir = opts.DataDir
	conf.IPCPath = ""
	conf.UseLightweightKDF = true
	// No peer-to-peer networking: no listener, no discovery, no dialling.
	// A throwaway node key keeps go-ethereum from writing one to DataDir.
	key, err := crypto.GenerateKey()
	if err != nil {
		return nil, fmt.Errorf("devchain: node key: %w", err)
	}
	conf.P2P = p2p.Config{PrivateKey: key, MaxPeers: 0, NoDiscovery: true, NoDial: true}
	conf.HTTPHost = ""
	if opts.Addr != "" {
		host, port, err := httpHostPort(opts.Addr)
		if err != nil {
			return nil, err
		}
		conf.HTTPHost, conf.HTTPPort = host, port
		conf.HTTPModules = httpModules
	}
	return &conf, nil
}

func ethConfig(opts Options) *ethconfig.Config {
	conf := ethconfig.Defaults
	genesis := core.DeveloperGenesisBlock(conf.Miner.GasCeil, nil)
	maps.Copy(genesis.Alloc, opts.Alloc)
	// Mainnet's rules (Osaka). go-ethereum 1.17's dev config also enables
	// Bogota, an unreleased fork whose storage pricing (EIP-8037) charges
	// about 98,000 gas more for each new storage slot: gas figures from the
	// dev chain would say nothing of what the market costs on a live network.
	rules := *genesis.Config
	rules.AmsterdamTime, rules.BogotaTime = nil, nil
	genesis.Config = &rules
	conf.Genesis = genesis
	conf.SyncMode = ethconfig.FullSync
	conf.TxPool.NoLocals = true
	// Archive state in the hash scheme writes every block's state to disk
	// when the block is sealed. The default (path scheme, pruned) keeps
	// recent state in memory and journals it on a clean shutdown only, so a
	// killed gateway would come back at an older block.
	conf.StateScheme = rawdb.HashScheme
	conf.NoPruning = true
	// The database's write-ahead logs are preallocated at the size of its
	// memory tables, an eighth of this cache each: the default (2 GiB) put
	// over a gigabyte of logs on disk for a chain of a few hundred blocks.
	conf.DatabaseCache = 64
	return &conf
}

// leaveGenesis seals block 1 on a new chain. At genesis the chain is odd
// for its clients: block.timestamp is 1970, and go-ethereum answers every
// receipt query with "transaction indexing is in progress" instead of "not
// found" until the indexer has seen a block. A wallet polling for its first
// receipt would take that for an error.
func (c *Chain) leaveGenesis() error {
	chain := c.eth.BlockChain()
	if chain.CurrentBlock().Number.Sign() == 0 {
		c.mu.Lock()
		c.sealLocked()
		c.mu.Unlock()
		if chain.CurrentBlock().Number.Sign() == 0 {
			return errors.New("devchain: cannot seal the first block")
		}
	}
	deadline := time.Now().Add(10 * time.Second)
	for !chain.TxIndexDone() {
		if time.Now().After(deadline) {
			return errors.New("devchain: transaction indexer did not finish on a new chain")
		}
		time.Sleep(time.Millisecond)
	}
	return nil
}

// Client returns an in-process client of the chain. It stops working when
// the chain is closed.
func (c *Chain) Client() simulated.Client { return c.client }

// URL returns the JSON-RPC HTTP endpoint, for example
// "http://127.0.0.1:8545", or "" when Options.Addr was empty.
func (c *Chain) URL() string { return c.url }

// Config returns the chain's protocol rules.
func (c *Chain) Config() *params.ChainConfig { return c.eth.BlockChain().Config() }

// ChainID returns the chain ID (1337, as `geth --dev`).
func (c *Chain) ChainID() *big.Int { return new(big.Int).Set(c.chainID) }

// Close stops the sealer, the JSON-RPC server and the chain, flushing it to
// Options.DataDir. Later calls return the first call's result.
func (c *Chain) Close() error {
	c.closeOnce.Do(func() {
		c.stopSealer()
		<-c.sealerDone
		c.mu.Lock()
		c.closed = true
		c.mu.Unlock()
		c.client.Close()
		c.closeErr = c.stack.Close()
		c.opts.Logger.Info("devchain: stopped")
	})
	return c.closeErr
}

// localURL turns an endpoint on all interfaces into one a local client can
// use.
func localURL(endpoint string) string {
	u, err := url.Parse(endpoint)
	if err != nil {
		return endpoint
	}
	host, port, err := net.SplitHostPort(u.Host)
	if err != nil {
		return endpoint
	}
	if ip, err := netip.ParseAddr(host); err == nil && ip.IsUnspecified() {
		loopback := netip.IPv6Loopback()
		if ip.Is4() {
			loopback = netip.AddrFrom4([4]byte{127, 0, 0, 1})
		}
		u.Host = net.JoinHostPort(loopback.String(), port)
	}
	return u.String()
}

func orNone(s string) string {
	if s == "" {
		return "off"
	}
	return s
}
