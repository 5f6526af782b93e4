// Package lightchain is the offline stand-in for a public chain that tests
// and benchmarks of verified reads run against: an in-process dev chain
// with the HearthMarket contract, a fake beacon node whose generated sync
// committees sign the dev chain's real blocks (hearthtest/fakebeacon,
// Sepolia's fork versions and genesis), and a JSON-RPC proxy that lies on
// demand (hearthtest/rpctamper). A gateway configured for Sepolia with one
// beacon and one RPC endpoint is replayed by LinkConfig, on the beacon's
// clock.
package lightchain

import (
	"context"
	"math/big"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/params"

	"github.com/hearth-home/hearth/gateway/chain"
	"github.com/hearth-home/hearth/gateway/chain/devchain"
	"github.com/hearth-home/hearth/gateway/chain/light"
	"github.com/hearth-home/hearth/gateway/chain/link"
	"github.com/hearth-home/hearth/gateway/contracts"
	"github.com/hearth-home/hearth/hearthtest/fakebeacon"
	"github.com/hearth-home/hearth/hearthtest/rpctamper"
	"github.com/hearth-home/hearth/store"
)

// Harness is a running offline chain with its beacon and a lying proxy.
type Harness struct {
	Chain  *devchain.Chain
	Beacon *fakebeacon.Beacon
	// Proxy is the RPC endpoint the gateway is given; it forwards to
	// Chain and lies when told to.
	Proxy *rpctamper.Proxy
	// Contract is the market, deployed by the dev provider key at
	// FromBlock with a minimum stake of 1 ether.
	Contract  common.Address
	FromBlock uint64
	// Network is Sepolia's beacon chain (fork versions, genesis) with the
	// dev chain's ID.
	Network light.Network
	// Checkpoint is the beacon root of CheckpointBlock, the block after
	// the deployment.
	Checkpoint      common.Hash
	CheckpointBlock uint64
	// sent is the next nonce of each sender, as Send counts them: the
	// pool's pending nonce may not count a transaction sent a moment
	// before yet.
	sentMu sync.Mutex
	sent   map[common.Address]uint64
}

// MinStake is the market contract's minimum stake.
var MinStake = big.NewInt(params.Ether)

// Options configure a harness's dev chain.
type Options struct {
	// BlockInterval: a block is sealed this often when transactions wait.
	// Default 200 ms.
	BlockInterval time.Duration
	// IdleBlocks, when positive, seals an empty block after that long
	// without one, so that finality moves on. Default 0: only Commit and
	// transactions seal blocks.
	IdleBlocks time.Duration
}

// Start starts a harness that lives as long as the test.
func Start(t testing.TB, o Options) *Harness {
	t.Helper()
	dc, err := devchain.Start(devchain.Options{Addr: "127.0.0.1:0", BlockInterval: o.BlockInterval, IdleBlocks: o.IdleBlocks,
		Alloc: devchain.DevAlloc(devchain.DevAddress("provider"), devchain.DevAddress("requester"))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { dc.Close() })
	h := &Harness{Chain: dc}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	// Deployed by hand and sealed by Commit: the chain may seal only on
	// Commit (a long BlockInterval).
	opts := bind.NewKeyedTransactor(devchain.DevKey("provider"), dc.ChainID())
	opts.Context = ctx
	addr, tx, err := bind.DeployContract(opts, common.FromHex(contracts.HearthMarketMetaData.Bin), dc.Client(),
		contracts.NewHearthMarket().PackConstructor(MinStake))
	if err != nil {
		t.Fatal(err)
	}
	if h.FromBlock, err = h.Mine(tx.Hash()); err != nil {
		t.Fatalf("deploy the market: %v", err)
	}
	if rc, err := dc.Client().TransactionReceipt(ctx, tx.Hash()); err != nil || rc.Status != types.ReceiptStatusSuccessful {
		t.Fatalf("deploy the market: %v", err)
	}
	h.Contract = addr
	dc.Commit()
	h.Beacon, err = fakebeacon.New(fakebeacon.Options{Exec: dc.Client()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(h.Beacon.Close)
	h.Proxy = rpctamper.New(dc.URL())
	t.Cleanup(h.Proxy.Close)
	h.Network = light.Network{Name: "sepolia", Beacon: h.Beacon.Config(), ChainID: dc.ChainID().Uint64(), Rules: dc.Config()}
	n, err := dc.Client().BlockNumber(ctx)
	if err != nil {
		t.Fatal(err)
	}
	h.CheckpointBlock = n
	if h.Checkpoint, err = h.Beacon.Checkpoint(ctx, n); err != nil {
		t.Fatal(err)
	}
	return h
}

// LinkConfig is a verified connection through the proxy and the beacon,
// on the beacon's clock, with its light client's checkpoint in db (nil:
// none kept).
func (h *Harness) LinkConfig(db *store.DB) link.Config {
	return link.Config{Mode: chain.ModeVerified, RPC: []string{h.Proxy.URL()}, CustomNetwork: &h.Network,
		Beacon: []string{h.Beacon.URL()}, Checkpoint: h.Checkpoint, DB: db, Clock: h.Beacon.Now,
		Interval: 100 * time.Millisecond}
}

// Open opens LinkConfig(db); the link is closed with the test.
func (h *Harness) Open(t testing.TB, db *store.DB) *link.Link {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	l, err := link.Open(ctx, h.LinkConfig(db))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(l.Close)
	return l
}

// Tick seals a block and syncs l's light client to it: the verified head
// is then the new block.
func (h *Harness) Tick(t testing.TB, l *link.Link) common.Hash {
	t.Helper()
	hash := h.Chain.Commit()
	if err := l.Light.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	return hash
}
