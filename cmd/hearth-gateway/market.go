package main

import (
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/params"

	"github.com/hearth-home/hearth/gateway"
	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/gateway/chain"
	"github.com/hearth-home/hearth/gateway/chain/devchain"
	"github.com/hearth-home/hearth/gateway/chain/link"
	"github.com/hearth-home/hearth/gateway/contracts"
	"github.com/hearth-home/hearth/gateway/market"
	"github.com/hearth-home/hearth/store"
)

// marketOptions are the market's flags.
type marketOptions struct {
	rpc, key, passFile, contract, endpoint string
	minPrice, stake, runtimes, apps        string
	maxTasks, settleBatch, confirmations   int
	settleAge                              time.Duration
	fromBlock                              uint64
	devRPC                                 string
	noMarket, devChain                     bool
	certify                                float64
	// The chain connection's mode (gateway/chain/link).
	mode, network, beacon, checkpoint, genesis string
	chainID                                    uint64
	checkpointAge                              time.Duration
}

func (m *marketOptions) register(fs *flag.FlagSet) {
	fs.StringVar(&m.rpc, "chain-rpc", "", "Ethereum JSON-RPC URL[,URL]: sell the pool's compute on the market there; reads go to\nthe first, transactions to all (needs --chain-key and --market-contract; see docs/market.md)")
	fs.StringVar(&m.mode, "chain-mode", "verified", "how chain reads are checked: verified (a beacon light client checks every answer;\nmainnet, sepolia, hoodi) or trusted (a private chain: needs --chain-id and --chain-genesis)")
	fs.StringVar(&m.network, "chain-network", "", "mainnet, sepolia or hoodi (default: from the RPC endpoint's chain ID)")
	fs.StringVar(&m.beacon, "beacon-api", "", "beacon node URL[,URL] serving the light client API (verified mode; two or more\nfrom different operators: the highest valid head wins)")
	fs.StringVar(&m.checkpoint, "chain-checkpoint", "", "root of a recent finalized beacon block to start the light client from\n(needed when the stored one is older than two weeks; see docs/chain.md)")
	fs.DurationVar(&m.checkpointAge, "chain-checkpoint-max-age", 14*24*time.Hour, "refuse light client checkpoints older than this")
	fs.Uint64Var(&m.chainID, "chain-id", 0, "the chain's ID, pinned (required in trusted mode)")
	fs.StringVar(&m.genesis, "chain-genesis", "", "the hash of the chain's block 0, pinned (required in trusted mode)")
	fs.StringVar(&m.key, "chain-key", "", "the provider's key: a keystore file (hearth market key new makes one)")
	fs.StringVar(&m.passFile, "chain-passphrase-file", "", "file holding the key's passphrase (default: $HEARTH_CHAIN_PASSPHRASE)")
	fs.StringVar(&m.contract, "market-contract", "", "address of the HearthMarket contract")
	fs.StringVar(&m.endpoint, "market-endpoint", "", "URL published for requesters (default https://ADVERTISE#GATEWAY-ID)")
	fs.StringVar(&m.minPrice, "market-min-price", "0", "lowest price per task accepted, in wei")
	fs.StringVar(&m.stake, "market-stake", "", "stake to register with, in wei (default: the contract's minimum)")
	fs.StringVar(&m.runtimes, "market-runtimes", "wasm,oci", "runtimes sold on the market")
	fs.StringVar(&m.apps, "market-apps", "", "comma-separated app digests (sha256:...) the market runs (default: any)")
	fs.IntVar(&m.maxTasks, "market-max-tasks", 1000, "most tasks accepted in one order")
	fs.Float64Var(&m.certify, "market-certify", 0, "run market orders as certified jobs at this trust (e.g. 0.99), each task on at least\ntwo devices that agree, so that no order is settled on one device's word (0: off;\ndocs/certification.md)")
	fs.IntVar(&m.settleBatch, "market-settle-batch", 20, "settle as soon as this many orders are finished")
	fs.DurationVar(&m.settleAge, "market-settle-age", 30*time.Second, "settle fewer once the oldest finished order has waited this long")
	fs.IntVar(&m.confirmations, "chain-confirmations", 2, "blocks on top of an order's block before it is considered (0: none)")
	fs.Uint64Var(&m.fromBlock, "chain-from-block", 0, "block to start watching the contract from on first start (its deployment)")
	fs.StringVar(&m.devRPC, "chain-rpc-addr", "127.0.0.1:8545", "with --dev: where the dev chain serves JSON-RPC (\"off\": nowhere)")
	fs.BoolVar(&m.noMarket, "no-market", false, "with --dev: no dev chain and no market")
	fs.BoolVar(&m.devChain, "dev-chain", false, "sell on an in-process development chain, as --dev does, from a gateway that\nis otherwise real (public dev keys: for trying the market, never for real funds)")
}

// devMinStake is the dev contract's minimum stake.
var devMinStake = new(big.Int).Mul(big.NewInt(1), big.NewInt(params.Ether))

// startMarket sets up the market around g: in --dev on an in-process chain
// it deploys and funds everything itself. It returns nil when no market is
// configured.
func startMarket(ctx context.Context, g *gateway.Gateway, o options, logger *slog.Logger) (run func(context.Context) error, note string, err error) {
	mo := o.market
	cfg := market.Config{
		Runtimes: splitList(mo.runtimes), Apps: splitList(mo.apps), MaxTasks: mo.maxTasks,
		SettleBatch: mo.settleBatch, SettleAge: mo.settleAge, FromBlock: mo.fromBlock,
		Confirmations: mo.confirmations, Logger: logger,
	}
	if mo.confirmations == 0 {
		cfg.Confirmations = chain.NoConfirmations
	}
	if mo.certify != 0 {
		cfg.Certify = &api.CertifySpec{Trust: mo.certify, MinReplicas: 2}
		probe := api.JobSpec{Name: "probe", Runtime: "wasm", Certify: cfg.Certify}
		if err := api.ValidateJobSpec(&probe); err != nil {
			return nil, "", fmt.Errorf("--market-certify: %w", err)
		}
	}
	if cfg.MinPricePerTask, err = parseWei("--market-min-price", mo.minPrice); err != nil {
		return nil, "", err
	}
	if mo.stake != "" {
		if cfg.Stake, err = parseWei("--market-stake", mo.stake); err != nil {
			return nil, "", err
		}
	}
	cfg.Endpoint = mo.endpoint
	if cfg.Endpoint == "" {
		addr := g.Credentials().Gateway
		cfg.Endpoint = "https://" + addr + "#" + g.NodeID()
		if host, _, _ := net.SplitHostPort(addr); !o.dev && !mo.devChain && mo.rpc != "" && isLoopback(host) {
			logger.Warn("the market endpoint published for requesters is a loopback address: only this machine can reach it; set --advertise or --market-endpoint", "endpoint", cfg.Endpoint)
		}
	}
	var (
		backend chain.Backend
		key     *ecdsa.PrivateKey
		file    = api.MarketFile{RPC: mo.rpc}
		cleanup func()
	)
	switch {
	case o.dev && mo.noMarket:
		return nil, "off (--no-market)", nil
	case o.dev || mo.devChain:
		key = devchain.DevKey("provider")
		addr := mo.devRPC
		if addr == "off" {
			addr = ""
		}
		dc, err := devchain.Start(devchain.Options{Addr: addr, DataDir: filepath.Join(g.DataDir(), "chain"),
			Alloc:  devchain.DevAlloc(devchain.DevAddress("provider"), devchain.DevAddress("requester")),
			Logger: logger.With("part", "devchain")})
		if err != nil {
			return nil, "", err
		}
		cleanup = func() { dc.Close() }
		client := dc.Client()
		backend, file.RPC, file.Dev = client, dc.URL(), true
		cfg.Contract = crypto.CreateAddress(devchain.DevAddress("provider"), 0)
		code, err := client.CodeAt(ctx, cfg.Contract, nil)
		if err != nil {
			cleanup()
			return nil, "", err
		}
		if len(code) == 0 {
			if cfg.Contract, cfg.FromBlock, err = contracts.Deploy(ctx, client, client, key, dc.ChainID(), devMinStake); err != nil {
				cleanup()
				return nil, "", err
			}
		}
		cfg.Confirmations, cfg.PollInterval, cfg.MinLead, cfg.StuckAfter = chain.NoConfirmations, 100*time.Millisecond, 10*time.Second, 10*time.Second
		cfg.Mode = chain.ModeLocal
		if mo.settleAge == 30*time.Second {
			cfg.SettleAge = 2 * time.Second
		}
	case mo.rpc == "":
		return nil, "", nil
	default:
		if mo.key == "" || mo.contract == "" {
			return nil, "", errors.New("--chain-rpc needs --chain-key (the provider's keystore file) and --market-contract")
		}
		if !common.IsHexAddress(mo.contract) {
			return nil, "", fmt.Errorf("--market-contract %q: want a 0x address", mo.contract)
		}
		cfg.Contract = common.HexToAddress(mo.contract)
		pass, err := chain.Passphrase(mo.passFile)
		if err != nil {
			return nil, "", err
		}
		if key, _, err = chain.LoadKey(mo.key, pass); err != nil {
			return nil, "", err
		}
		lcfg, err := mo.linkConfig(g, logger)
		if err != nil {
			return nil, "", err
		}
		file.RPC, file.Network, file.Beacon, file.Checkpoint = splitList(mo.rpc)[0], mo.network, lcfg.Beacon, mo.checkpoint
		// The chain may be down now: the pool works without it, and the
		// market starts when the endpoint answers.
		lazy := &lazyHandler{}
		g.Mount("/v1/market/", lazy)
		return func(ctx context.Context) error {
			return market.Connect(ctx, lcfg, cfg, g, g.DB(), key, func(m *market.Market, l *link.Link) {
				lazy.set(m.Handler())
				g.SetChainStatus(m.ChainStatus)
				g.SetMarketMetrics(m.Collector())
				file.MarketInfo, file.FromBlock, file.Network = m.Info(), cfg.FromBlock, l.Network
				if l.Light != nil {
					// The CLI starts its light client where the gateway's
					// stands now, a recent finalized root.
					if root, _ := l.Light.Checkpoint(); root != (common.Hash{}) {
						file.Checkpoint = root.Hex()
					}
				}
				if err := writeMarketFile(filepath.Join(g.DataDir(), api.MarketFileName), file); err != nil {
					logger.Warn("could not write the market file for the CLI", "err", err)
				}
			})
		}, fmt.Sprintf("contract %s via %s (%s)", cfg.Contract.Hex(), chain.RedactURL(splitList(mo.rpc)[0]), lcfg.Mode), nil
	}
	m, err := market.New(ctx, cfg, g, g.DB(), backend, key)
	if err != nil {
		cleanup()
		return nil, "", err
	}
	g.Mount("/v1/market/", m.Handler())
	g.SetChainStatus(m.ChainStatus)
	g.SetMarketMetrics(m.Collector())
	file.FromBlock = cfg.FromBlock
	file.MarketInfo = m.Info()
	if err := writeMarketFile(filepath.Join(g.DataDir(), api.MarketFileName), file); err != nil {
		logger.Warn("could not write the market file for the CLI", "err", err)
	}
	note = fmt.Sprintf("contract %s on chain %s, provider %s, chain reads %s (the chain runs in this process)", cfg.Contract.Hex(), m.ChainID(), m.Provider().Hex(), chain.ModeLocal)
	if file.RPC != "" {
		note += ", JSON-RPC " + file.RPC
	}
	return func(ctx context.Context) error {
		defer cleanup()
		return m.Run(ctx)
	}, note, nil
}

func writeMarketFile(path string, f api.MarketFile) error {
	raw, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	// 0600: an RPC URL may hold a provider's API key.
	return store.WriteFileAtomic(path, append(raw, '\n'), 0o600)
}

func parseWei(flag, s string) (*big.Int, error) {
	v, ok := new(big.Int).SetString(strings.TrimSpace(s), 10)
	if !ok || v.Sign() < 0 {
		return nil, fmt.Errorf("%s %q: want a whole number of wei", flag, s)
	}
	return v, nil
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// linkConfig is the chain connection the flags describe.
func (mo *marketOptions) linkConfig(g *gateway.Gateway, logger *slog.Logger) (link.Config, error) {
	c := link.Config{Mode: chain.Mode(mo.mode), RPC: splitList(mo.rpc), Network: mo.network, Beacon: splitList(mo.beacon),
		MaxCheckpointAge: mo.checkpointAge, DB: g.DB(), ChainID: mo.chainID, Logger: logger.With("part", "chain")}
	if mo.checkpoint != "" {
		h, err := parseHash("--chain-checkpoint", mo.checkpoint)
		if err != nil {
			return c, err
		}
		c.Checkpoint = h
	}
	if mo.genesis != "" {
		h, err := parseHash("--chain-genesis", mo.genesis)
		if err != nil {
			return c, err
		}
		c.Genesis = h
	}
	switch c.Mode {
	case chain.ModeVerified:
		if len(c.Beacon) == 0 {
			return c, errors.New("--chain-mode verified (the default) needs --beacon-api: a beacon node with the light client API, ideally two; a private chain without a sync committee runs with --chain-mode trusted --chain-id N --chain-genesis 0x...")
		}
		if len(c.Beacon) == 1 {
			logger.Warn("one beacon endpoint: if it stalls, the market pauses accepting; give two or more from different operators", "beacon", chain.RedactURL(c.Beacon[0]))
		}
	case chain.ModeTrusted:
		if c.ChainID == 0 || c.Genesis == (common.Hash{}) {
			return c, errors.New("--chain-mode trusted needs --chain-id and --chain-genesis: the chain is pinned since its answers are not checked")
		}
	default:
		return c, fmt.Errorf("--chain-mode %q: verified or trusted (local is --dev's own chain)", mo.mode)
	}
	return c, nil
}

func parseHash(flag, s string) (common.Hash, error) {
	b, err := hexutil.Decode(strings.TrimSpace(s))
	if err != nil || len(b) != 32 {
		return common.Hash{}, fmt.Errorf("%s %q: want a 0x-prefixed 32-byte hex hash", flag, s)
	}
	return common.BytesToHash(b), nil
}

// lazyHandler answers 503 until the market is up.
type lazyHandler struct {
	mu sync.Mutex
	h  http.Handler
}

func (l *lazyHandler) set(h http.Handler) {
	l.mu.Lock()
	l.h = h
	l.mu.Unlock()
}

func (l *lazyHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	l.mu.Lock()
	h := l.h
	l.mu.Unlock()
	if h == nil {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintln(w, `{"code":"unavailable","error":"the market is waiting for its chain endpoint; try again later"}`)
		return
	}
	h.ServeHTTP(w, r)
}

func isLoopback(host string) bool {
	ip := net.ParseIP(host)
	return host == "localhost" || ip != nil && ip.IsLoopback()
}
