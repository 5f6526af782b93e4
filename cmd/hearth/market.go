package main

import (
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/params"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/gateway/chain"
	"github.com/hearth-home/hearth/gateway/chain/link"
	"github.com/hearth-home/hearth/gateway/contracts"
)

const marketHelp = `Where the market is comes from the first of: --rpc and --contract (or
$HEARTH_CHAIN_RPC and $HEARTH_MARKET_CONTRACT); --market FILE or $HEARTH_MARKET;
~/.config/hearth/market.json; ~/.local/state/hearth/dev/market.json, written by
` + "`hearth-gateway --dev`" + `. Your key is a keystore file (--key or $HEARTH_CHAIN_KEY;
` + "`hearth market key new`" + ` makes one) whose passphrase comes from --passphrase-file or
$HEARTH_CHAIN_PASSPHRASE. On the --dev chain, without a key, the public dev
requester key is used. Amounts are in wei, or with a unit: 0.5eth, 100gwei.
`

func marketCmd() *command {
	return &command{
		name:    "market",
		summary: "buy compute on the Ethereum market (and see what the pool sells)",
		help: `Post orders for compute on the HearthMarket contract, follow them, and fetch
their results verified against the Merkle root the provider settled on chain.
docs/market.md explains the order's life.

` + marketHelp,
		example: "hearth market deposit 1eth\nhearth market order post --app examples/vanity/vanity.wasm --tasks 4 --price-per-task 1000000 --wait\nhearth market results 1 --out results/",
		subs: []*command{marketInfoCmd(), marketDepositCmd(), marketWithdrawCmd(), marketOrderCmd(),
			marketResultsCmd(), marketReclaimCmd(), marketDeployCmd(), marketKeyCmd()},
	}
}

// marketFlags locate the market and the user's key.
type marketFlags struct {
	file, rpc, contract, key, passFile string
	mode, network, beacon, checkpoint  string
}

func bindMarketFlags(fs *flag.FlagSet) *marketFlags {
	f := &marketFlags{}
	fs.StringVar(&f.file, "market", "", "read where the market is from `FILE` (a gateway's market.json)")
	fs.StringVar(&f.rpc, "rpc", "", "Ethereum JSON-RPC `URL` (default: from the market file)")
	fs.StringVar(&f.contract, "contract", "", "HearthMarket contract `ADDRESS` (default: from the market file)")
	fs.StringVar(&f.key, "key", "", "your keystore `FILE` (default $HEARTH_CHAIN_KEY; the dev key on the dev chain)")
	fs.StringVar(&f.passFile, "passphrase-file", "", "`FILE` holding the key's passphrase (default $HEARTH_CHAIN_PASSPHRASE)")
	fs.StringVar(&f.mode, "chain-mode", "", "`MODE` of chain reads: verified (checked by a beacon light client), trusted\n(default: verified when a beacon endpoint is known, else trusted with a warning)")
	fs.StringVar(&f.beacon, "beacon-api", "", "beacon node `URL[,URL]` with the light client API (default: $HEARTH_BEACON_API, the market file)")
	fs.StringVar(&f.network, "network", "", "mainnet, sepolia or hoodi (default: from the chain ID)")
	fs.StringVar(&f.checkpoint, "checkpoint", "", "finalized beacon block `ROOT` to start the light client from (default: the market file's, go-ethereum's)")
	return f
}

// mkt is a connection to the market: the chain, the contract, and the
// user's key when there is one.
type mkt struct {
	c    *cli
	file api.MarketFile
	// client reads (verified in verified mode) and sends; raw is the
	// plain RPC client, for deploying only.
	client   chain.Backend
	raw      *ethclient.Client
	link     *link.Link
	mode     chain.Mode
	chainID  *big.Int
	contract common.Address
	abi      *contracts.HearthMarket
	key      *ecdsa.PrivateKey // nil: read-only
	me       common.Address
}

func (m *mkt) Close() {
	if m.link != nil {
		m.link.Close()
	}
	m.raw.Close()
}

// devRequesterKey is the --dev chain's requester key: PUBLIC, derived as
// gateway/chain/devchain derives it, for development only.
func devRequesterKey() *ecdsa.PrivateKey {
	k, _ := crypto.ToECDSA(crypto.Keccak256([]byte("hearth dev key: requester")))
	return k
}

// connect finds the market and dials its chain. needKey: the command sends
// transactions.
func (c *cli) connectMarket(ctx context.Context, f *marketFlags, needKey bool) (*mkt, error) {
	m := &mkt{c: c, abi: contracts.NewHearthMarket()}
	if err := c.loadMarketFile(f, &m.file); err != nil {
		return nil, err
	}
	rpc := firstNonEmpty(f.rpc, c.getenv("HEARTH_CHAIN_RPC"), m.file.RPC)
	addr := firstNonEmpty(f.contract, c.getenv("HEARTH_MARKET_CONTRACT"), m.file.Contract)
	if rpc == "" || addr == "" {
		return nil, usageErrorf("where is the market? give --rpc and --contract, or --market FILE (see `hearth market --help`)")
	}
	if !common.IsHexAddress(addr) {
		return nil, usageErrorf("--contract %q: want a 0x address", addr)
	}
	m.contract = common.HexToAddress(addr)
	dctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	rpcs := strings.Split(rpc, ",")
	client, err := chain.Dial(dctx, rpcs[0])
	if err != nil {
		return nil, err
	}
	m.raw, m.client = client, client
	if m.chainID, err = client.ChainID(dctx); err != nil {
		client.Close()
		return nil, fmt.Errorf("chain at %s: %w", chain.RedactURL(rpcs[0]), err)
	}
	if err := m.verifyReads(ctx, f, rpcs); err != nil {
		client.Close()
		return nil, err
	}
	keyFile := firstNonEmpty(f.key, c.getenv("HEARTH_CHAIN_KEY"))
	switch {
	case keyFile != "":
		pass, err := passphrase(c, f.passFile)
		if err != nil {
			client.Close()
			return nil, err
		}
		if m.key, m.me, err = chain.LoadKey(keyFile, pass); err != nil {
			client.Close()
			return nil, err
		}
	case m.file.Dev:
		m.key = devRequesterKey()
		m.me = crypto.PubkeyToAddress(m.key.PublicKey)
	case needKey:
		client.Close()
		return nil, usageErrorf("this command sends a transaction: give your key with --key FILE or $HEARTH_CHAIN_KEY")
	}
	return m, nil
}

func passphrase(c *cli, file string) ([]byte, error) {
	if file == "" && c.getenv("HEARTH_CHAIN_PASSPHRASE") != "" {
		return []byte(c.getenv("HEARTH_CHAIN_PASSPHRASE")), nil
	}
	return chain.Passphrase(file)
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// loadMarketFile reads the first market file found (none is fine when the
// flags say where the market is).
func (c *cli) loadMarketFile(f *marketFlags, out *api.MarketFile) error {
	paths := []string{firstNonEmpty(f.file, c.getenv("HEARTH_MARKET"))}
	explicit := paths[0] != ""
	if !explicit {
		paths = []string{
			filepath.Join(xdgDir(c.getenv, "XDG_CONFIG_HOME", ".config"), "hearth", api.MarketFileName),
			filepath.Join(xdgDir(c.getenv, "XDG_STATE_HOME", filepath.Join(".local", "state")), "hearth", "dev", api.MarketFileName),
		}
	}
	for _, p := range paths {
		raw, err := os.ReadFile(p)
		if errors.Is(err, os.ErrNotExist) && !explicit {
			continue
		}
		if err != nil {
			return err
		}
		if err := json.Unmarshal(raw, out); err != nil {
			return fmt.Errorf("market file %s: %w", p, err)
		}
		return nil
	}
	return nil
}

// verifyReads puts the light client's checks on every read, as the
// gateway does, unless the chain is the dev chain or the user chose
// trusted reads.
func (m *mkt) verifyReads(ctx context.Context, f *marketFlags, rpcs []string) error {
	beacon := firstNonEmpty(f.beacon, m.c.getenv("HEARTH_BEACON_API"), strings.Join(m.file.Beacon, ","))
	mode, err := readMode(f.mode, m.file.Dev, beacon)
	if err != nil {
		return err
	}
	m.mode = mode
	if mode == chain.ModeTrusted {
		fmt.Fprintln(m.c.stderr, "warning: chain reads are trusted, not verified: give --beacon-api URL to check them with a light client (see docs/chain.md)")
	}
	if mode != chain.ModeVerified {
		return nil
	}
	cfg := link.Config{Mode: mode, RPC: rpcs, Network: firstNonEmpty(f.network, m.file.Network),
		Beacon: strings.Split(beacon, ",")}
	if cp := firstNonEmpty(f.checkpoint, m.file.Checkpoint); cp != "" {
		b, err := hexutil.Decode(cp)
		if err != nil || len(b) != 32 {
			return usageErrorf("--checkpoint %q: want a 0x-prefixed 32-byte hash", cp)
		}
		cfg.Checkpoint = common.BytesToHash(b)
	}
	octx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	l, err := link.Open(octx, cfg)
	if err != nil {
		return fmt.Errorf("verified chain reads: %w", err)
	}
	m.link, m.client = l, l.Backend
	return nil
}

// readMode is how the CLI reads the chain: as --chain-mode says, else
// local on the dev chain, verified when a beacon endpoint is known, and
// trusted (with a warning) otherwise.
func readMode(flag string, dev bool, beacon string) (chain.Mode, error) {
	switch mode := chain.Mode(flag); {
	case mode == chain.ModeVerified && beacon == "":
		return "", usageErrorf("verified reads need a beacon endpoint: give --beacon-api URL")
	case mode == chain.ModeVerified, mode == chain.ModeTrusted, mode == chain.ModeLocal:
		return mode, nil
	case mode != "":
		return "", usageErrorf("--chain-mode %q: verified or trusted", flag)
	case dev:
		return chain.ModeLocal, nil
	case beacon != "":
		return chain.ModeVerified, nil
	}
	return chain.ModeTrusted, nil
}

// call reads from the contract.
func (m *mkt) call(ctx context.Context, data []byte) ([]byte, error) {
	return m.client.CallContract(ctx, ethereum.CallMsg{To: &m.contract, Data: data}, nil)
}

func (m *mkt) balanceOf(ctx context.Context, a common.Address) (*big.Int, error) {
	out, err := m.call(ctx, m.abi.PackBalanceOf(a))
	if err != nil {
		return nil, err
	}
	return m.abi.UnpackBalanceOf(out)
}

func (m *mkt) order(ctx context.Context, id uint64) (contracts.HearthMarketOrder, error) {
	out, err := m.call(ctx, m.abi.PackGetOrder(new(big.Int).SetUint64(id)))
	if err != nil {
		return contracts.HearthMarketOrder{}, fmt.Errorf("read order %d: %w", id, err)
	}
	o, err := m.abi.UnpackGetOrder(out)
	if err == nil && o.Status == contracts.StatusNone {
		err = fmt.Errorf("no order %d on contract %s", id, m.contract.Hex())
	}
	return o, err
}

func (m *mkt) provider(ctx context.Context, a common.Address) (contracts.ProvidersOutput, error) {
	out, err := m.call(ctx, m.abi.PackProviders(a))
	if err != nil {
		return contracts.ProvidersOutput{}, err
	}
	return m.abi.UnpackProviders(out)
}

// send signs and sends a call to the contract from the user's key and
// waits for its receipt. A call the contract would refuse fails before
// anything is sent, with the contract's error decoded.
func (m *mkt) send(ctx context.Context, what string, data []byte, value *big.Int) (*types.Receipt, error) {
	if value == nil {
		value = new(big.Int)
	}
	msg := ethereum.CallMsg{From: m.me, To: &m.contract, Data: data, Value: value}
	gas, err := m.client.EstimateGas(ctx, msg)
	if err != nil {
		return nil, fmt.Errorf("%s: %s", what, m.explain(err))
	}
	nonce, err := m.client.PendingNonceAt(ctx, m.me)
	if err != nil {
		return nil, err
	}
	tip, err := m.client.SuggestGasTipCap(ctx)
	if err != nil {
		return nil, err
	}
	head, err := m.client.HeaderByNumber(ctx, nil)
	if err != nil {
		return nil, err
	}
	feeCap := new(big.Int).Add(tip, new(big.Int).Mul(head.BaseFee, big.NewInt(2)))
	tx, err := types.SignNewTx(m.key, types.LatestSignerForChainID(m.chainID), &types.DynamicFeeTx{
		ChainID: m.chainID, Nonce: nonce, GasTipCap: tip, GasFeeCap: feeCap, Gas: gas * 12 / 10,
		To: &m.contract, Value: value, Data: data})
	if err != nil {
		return nil, err
	}
	if err := m.client.SendTransaction(ctx, tx); err != nil {
		return nil, fmt.Errorf("%s: send: %w", what, err)
	}
	fmt.Fprintf(m.c.stderr, "%s: transaction %s sent, waiting for it to be mined...\n", what, tx.Hash().Hex())
	wctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	for {
		r, err := m.client.TransactionReceipt(wctx, tx.Hash())
		if err == nil {
			if r.Status != types.ReceiptStatusSuccessful {
				return r, fmt.Errorf("%s: transaction %s failed on chain", what, tx.Hash().Hex())
			}
			return r, nil
		}
		if !errors.Is(err, ethereum.NotFound) {
			return nil, err
		}
		select {
		case <-wctx.Done():
			return nil, fmt.Errorf("%s: transaction %s not mined after 5 minutes; it may still be", what, tx.Hash().Hex())
		case <-time.After(300 * time.Millisecond):
		}
	}
}

// explain turns a call's error into words, decoding the contract's custom
// errors ("InsufficientEscrow(balance: 0, needed: 4000)").
func (m *mkt) explain(err error) string {
	if data, ok := ethclient.RevertErrorData(err); ok && len(data) >= 4 {
		if e, uerr := m.abi.UnpackError(data); uerr == nil {
			return "the contract refuses: " + describeContractError(e)
		}
	}
	return err.Error()
}

// describeContractError names a decoded custom error and its fields.
func describeContractError(e any) string {
	s := fmt.Sprintf("%+v", e)
	name := fmt.Sprintf("%T", e)
	name = strings.TrimPrefix(name[strings.LastIndex(name, ".")+1:], "*")
	name = strings.TrimPrefix(name, "HearthMarket")
	return name + strings.TrimPrefix(s, "&")
}

// parseAmount reads wei, or an amount with a unit: 1.5eth, 100gwei, 7wei.
func parseAmount(s string) (*big.Int, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	unit := big.NewInt(1)
	for _, u := range []struct {
		suffix string
		wei    int64
	}{{"ether", params.Ether}, {"eth", params.Ether}, {"gwei", params.GWei}, {"wei", 1}} {
		if strings.HasSuffix(s, u.suffix) {
			s, unit = strings.TrimSpace(strings.TrimSuffix(s, u.suffix)), big.NewInt(u.wei)
			break
		}
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok || r.Sign() < 0 {
		return nil, fmt.Errorf("amount %q: want wei, or a number with eth or gwei (0.5eth)", s)
	}
	r.Mul(r, new(big.Rat).SetInt(unit))
	if !r.IsInt() {
		return nil, fmt.Errorf("amount %q is not a whole number of wei", s)
	}
	return r.Num(), nil
}

// formatWei shows wei with its size in ether: "1000000000000000000 wei (1 ETH)".
func formatWei(v *big.Int) string {
	if v == nil {
		return "-"
	}
	eth := new(big.Rat).SetFrac(v, big.NewInt(params.Ether))
	return fmt.Sprintf("%s wei (%s ETH)", v, strings.TrimRight(strings.TrimRight(eth.FloatString(6), "0"), "."))
}

func bigUint(v uint64) *big.Int { return new(big.Int).SetUint64(v) }

// replication reads order id's replication (Replicas 0: an order of one
// provider).
func (m *mkt) replication(ctx context.Context, id uint64) (contracts.ReplicationOutput, error) {
	out, err := m.call(ctx, m.abi.PackReplication(new(big.Int).SetUint64(id)))
	if err != nil {
		return contracts.ReplicationOutput{}, err
	}
	return m.abi.UnpackReplication(out)
}

// providerAt is the provider numbered n (seats name providers by number).
func (m *mkt) providerAt(ctx context.Context, n uint32) (common.Address, error) {
	out, err := m.call(ctx, m.abi.PackProviderAt(n))
	if err != nil {
		return common.Address{}, err
	}
	return m.abi.UnpackProviderAt(out)
}

// activeProviders lists the registered providers, by number.
func (m *mkt) activeProviders(ctx context.Context) ([]common.Address, []contracts.ProvidersOutput, error) {
	out, err := m.call(ctx, m.abi.PackProviderCount())
	if err != nil {
		return nil, nil, err
	}
	n, err := m.abi.UnpackProviderCount(out)
	if err != nil {
		return nil, nil, err
	}
	var addrs []common.Address
	var ps []contracts.ProvidersOutput
	for i := uint32(1); i <= n; i++ {
		a, err := m.providerAt(ctx, i)
		if err != nil {
			return nil, nil, err
		}
		p, err := m.provider(ctx, a)
		if err != nil {
			return nil, nil, err
		}
		if p.Active {
			addrs, ps = append(addrs, a), append(ps, p)
		}
	}
	return addrs, ps, nil
}
