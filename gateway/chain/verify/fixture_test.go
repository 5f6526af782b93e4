package verify

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"log/slog"
	"math/big"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient/simulated"
	"github.com/ethereum/go-ethereum/params"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/hearth-home/hearth/gateway/chain"
	"github.com/hearth-home/hearth/gateway/chain/devchain"
	"github.com/hearth-home/hearth/gateway/contracts"
	"github.com/hearth-home/hearth/hearthtest/rpctamper"
)

// fixture is one dev chain shared by the package's tests (starting one per
// test would take most of the time budget): a HearthMarket with three
// orders, two posted in one block and one alone in a later block, behind a
// tampering proxy. Tests that tamper clear the proxy when they end, and no
// test runs in parallel with another.
type fixture struct {
	chain    *devchain.Chain
	direct   simulated.Client // the dev chain, in process: the truth
	upstream *rpc.Client      // the dev chain's HTTP JSON-RPC, untampered
	proxy    *rpctamper.Proxy
	viaProxy *rpc.Client
	heads    *devHeads
	config   *params.ChainConfig
	chainID  *big.Int

	abi    *contracts.HearthMarket
	market common.Address
	req    *ecdsa.PrivateKey // a requester with an order in each block
	req2   *ecdsa.PrivateKey // a requester with an order in pairBlock
	sender *ecdsa.PrivateKey // sends plain transfers in TestSendTransaction

	deployTx  common.Hash
	pairTxs   [2]common.Hash // two postOrder transactions in one block
	pairBlock uint64
	soloTx    common.Hash // a postOrder alone in its block
	soloBlock uint64
}

var (
	fixtureOnce sync.Once
	shared      *fixture
	fixtureErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if shared != nil {
		shared.proxy.Close()
		shared.viaProxy.Close()
		shared.upstream.Close()
		shared.chain.Close()
	}
	os.Exit(code)
}

// getFixture starts the shared dev chain on first use.
func getFixture(t *testing.T) *fixture {
	t.Helper()
	fixtureOnce.Do(func() {
		start := time.Now()
		shared, fixtureErr = startFixture()
		if fixtureErr == nil {
			fmt.Fprintf(os.Stderr, "verify tests: dev chain with the market ready in %v\n", time.Since(start).Round(time.Millisecond))
		}
	})
	if fixtureErr != nil {
		t.Fatal(fixtureErr)
	}
	t.Cleanup(shared.proxy.Clear)
	return shared
}

func startFixture() (_ *fixture, err error) {
	ctx := context.Background()
	fx := &fixture{
		abi:    contracts.NewHearthMarket(),
		req:    devchain.DevKey("verify-requester"),
		req2:   devchain.DevKey("verify-requester-2"),
		sender: devchain.DevKey("verify-sender"),
	}
	deployer := devchain.DevKey("verify-deployer")
	// Blocks are sealed only by Commit, so the test decides what shares a
	// block.
	c, err := devchain.Start(devchain.Options{
		Addr:          "127.0.0.1:0",
		Alloc:         devchain.DevAlloc(addr(fx.req), addr(fx.req2), addr(fx.sender), addr(deployer)),
		BlockInterval: time.Hour,
	})
	if err != nil {
		return nil, err
	}
	fx.chain, fx.direct, fx.chainID, fx.config = c, c.Client(), c.ChainID(), c.Config()
	defer func() {
		if err != nil {
			c.Close()
		}
	}()
	if fx.upstream, err = rpc.DialContext(ctx, c.URL()); err != nil {
		return nil, err
	}
	fx.proxy = rpctamper.New(c.URL())
	if fx.viaProxy, err = rpc.DialContext(ctx, fx.proxy.URL()); err != nil {
		return nil, err
	}
	fx.heads = &devHeads{client: fx.direct}

	opts := bind.NewKeyedTransactor(deployer, fx.chainID)
	bin := common.FromHex(contracts.HearthMarketMetaData.Bin)
	market, tx, err := bind.DeployContract(opts, bin, fx.direct, fx.abi.PackConstructor(big.NewInt(params.Ether)))
	if err != nil {
		return nil, fmt.Errorf("deploy: %w", err)
	}
	fx.market, fx.deployTx = market, tx.Hash()
	if _, err := fx.mine(tx.Hash()); err != nil {
		return nil, err
	}

	escrow := big.NewInt(params.Ether)
	d1, err := fx.send(fx.req, escrow, fx.abi.PackDeposit())
	if err != nil {
		return nil, err
	}
	d2, err := fx.send(fx.req2, escrow, fx.abi.PackDeposit())
	if err != nil {
		return nil, err
	}
	if _, err := fx.mine(d1, d2); err != nil {
		return nil, err
	}

	for i, key := range []*ecdsa.PrivateKey{fx.req, fx.req2} {
		if fx.pairTxs[i], err = fx.send(key, nil, fx.postOrder(i)); err != nil {
			return nil, err
		}
	}
	if fx.pairBlock, err = fx.mine(fx.pairTxs[:]...); err != nil {
		return nil, err
	}
	if fx.soloTx, err = fx.send(fx.req, nil, fx.postOrder(2)); err != nil {
		return nil, err
	}
	if fx.soloBlock, err = fx.mine(fx.soloTx); err != nil {
		return nil, err
	}
	// Two empty blocks on top, so that the orders' blocks are below the head.
	c.Commit()
	c.Commit()
	return fx, nil
}

func addr(key *ecdsa.PrivateKey) common.Address { return crypto.PubkeyToAddress(key.PublicKey) }

// send signs and sends a call of the market from key.
func (fx *fixture) send(key *ecdsa.PrivateKey, value *big.Int, data []byte) (common.Hash, error) {
	opts := bind.NewKeyedTransactor(key, fx.chainID)
	opts.Value = value
	tx, err := bind.Transact(fx.abi.Instance(fx.direct, fx.market), opts, data)
	if err != nil {
		return common.Hash{}, err
	}
	return tx.Hash(), nil
}

// mine seals a block and checks that it holds the transactions, all
// successful; it returns the block's number.
func (fx *fixture) mine(txs ...common.Hash) (uint64, error) {
	fx.chain.Commit()
	var block uint64
	for i, h := range txs {
		r, err := fx.direct.TransactionReceipt(context.Background(), h)
		if err != nil {
			return 0, fmt.Errorf("receipt of %s: %w", h, err)
		}
		if r.Status != types.ReceiptStatusSuccessful {
			return 0, fmt.Errorf("transaction %s failed", h)
		}
		if i > 0 && r.BlockNumber.Uint64() != block {
			return 0, fmt.Errorf("transactions sealed in blocks %d and %v", block, r.BlockNumber)
		}
		block = r.BlockNumber.Uint64()
	}
	return block, nil
}

// postOrder packs the i'th test order.
func (fx *fixture) postOrder(i int) []byte {
	deadline := uint64(time.Now().Add(time.Hour).Unix())
	return fx.abi.PackPostOrder(common.Address{}, crypto.Keccak256Hash([]byte("app")), fmt.Sprintf("https://apps.example/%d.wasm", i), 0,
		[][32]byte{crypto.Keccak256Hash([]byte{byte(i)})}, []string{"--n", fmt.Sprint(i)},
		big.NewInt(int64(2+i)), big.NewInt(params.GWei), new(big.Int).SetUint64(deadline))
}

// newReader is a Reader of the fixture's chain through the proxy.
func (fx *fixture) newReader(t *testing.T, mod ...func(*Options)) *Reader {
	t.Helper()
	mod = append([]func(*Options){func(o *Options) { o.Logger = testLogger(t) }}, mod...)
	r, err := fx.tryReader(mod...)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func (fx *fixture) tryReader(mod ...func(*Options)) (*Reader, error) {
	return fx.readerOf([]*rpc.Client{fx.viaProxy}, mod...)
}

func (fx *fixture) readerOf(rpcs []*rpc.Client, mod ...func(*Options)) (*Reader, error) {
	opts := Options{ChainID: fx.chainID, Config: fx.config}
	for _, m := range mod {
		m(&opts)
	}
	return New(context.Background(), fx.heads, rpcs, opts)
}

// testLogger logs to t at debug level, seen with go test -v.
func testLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// devHeads is a chain.HeadSource that takes the dev chain's newest block
// from the in-process client. It is test trust only: in production the
// head comes from a beacon light client (gateway/chain/light), and here the
// in-process client stands in for it because a dev chain has no sync
// committee. Everything the Reader reads goes through the proxy instead.
type devHeads struct {
	client simulated.Client
	pin    *big.Int // the head's number; nil: the newest block
}

func (h *devHeads) Latest() (chain.Head, error) { return h.at(h.pin) }

func (h *devHeads) Finalized() (chain.Head, error) {
	return h.at(big.NewInt(int64(rpc.FinalizedBlockNumber)))
}

func (h *devHeads) at(n *big.Int) (chain.Head, error) {
	hdr, err := h.client.HeaderByNumber(context.Background(), n)
	if err != nil {
		return chain.Head{}, err
	}
	return chain.Head{Hash: hdr.Hash(), Slot: hdr.Number.Uint64(), Time: time.Unix(int64(hdr.Time), 0)}, nil
}
