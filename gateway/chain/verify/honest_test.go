package verify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/params"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/hearth-home/hearth/gateway/chain"
	"github.com/hearth-home/hearth/gateway/contracts"
)

// Slots of HearthMarket's storage: orderCount, and the mapping of orders.
var (
	slotOrderCount = common.Hash{}
	slotOrders     = common.BigToHash(big.NewInt(3))
)

// orderSlot is the first slot of orders[id].
func orderSlot(id int64) common.Hash {
	return crypto.Keccak256Hash(common.BigToHash(big.NewInt(id)).Bytes(), slotOrders.Bytes())
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func sameJSON(t *testing.T, what string, got, want any) {
	t.Helper()
	if g, w := mustJSON(t, got), mustJSON(t, want); g != w {
		t.Errorf("%s:\n got %s\nwant %s", what, g, w)
	}
}

func wantUnverified(t *testing.T, what string, err error) {
	t.Helper()
	if !errors.Is(err, chain.ErrUnverified) {
		t.Fatalf("%s: err = %v, want chain.ErrUnverified", what, err)
	}
	t.Logf("%s: %v", what, err)
}

func (fx *fixture) verifiedMarket(r *Reader) *bind.BoundContract {
	return bind.NewBoundContract(fx.market, fx.abi.GetABI(), r, nil, nil)
}

func (fx *fixture) directMarket() *bind.BoundContract {
	return bind.NewBoundContract(fx.market, fx.abi.GetABI(), fx.direct, nil, nil)
}

func TestHonestRunMatchesTheChain(t *testing.T) {
	fx := getFixture(t)
	r := fx.newReader(t)
	ctx := context.Background()
	direct := fx.direct
	head, err := direct.BlockNumber(ctx)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("BlockNumber", func(t *testing.T) {
		if n, err := r.BlockNumber(ctx); err != nil || n != head {
			t.Fatalf("BlockNumber = %d, %v, want %d", n, err, head)
		}
	})

	t.Run("headers", func(t *testing.T) {
		for _, n := range []uint64{0, 1, fx.pairBlock, fx.soloBlock, head} {
			want, err := direct.HeaderByNumber(ctx, new(big.Int).SetUint64(n))
			if err != nil {
				t.Fatal(err)
			}
			got, err := r.HeaderByNumber(ctx, new(big.Int).SetUint64(n))
			if err != nil {
				t.Fatalf("HeaderByNumber(%d): %v", n, err)
			}
			sameJSON(t, "HeaderByNumber", got, want)
			got, err = r.HeaderByHash(ctx, want.Hash())
			if err != nil {
				t.Fatalf("HeaderByHash(%d): %v", n, err)
			}
			sameJSON(t, "HeaderByHash", got, want)
		}
		if h, err := r.HeaderByNumber(ctx, nil); err != nil || h.Number.Uint64() != head {
			t.Errorf("HeaderByNumber(nil) = %v, %v; want block %d", h, err, head)
		}
		if _, err := r.HeaderByNumber(ctx, new(big.Int).SetUint64(head+1)); !errors.Is(err, ethereum.NotFound) {
			t.Errorf("HeaderByNumber(head+1): %v, want NotFound", err)
		}
		if _, err := r.HeaderByHash(ctx, common.Hash{1}); !errors.Is(err, ethereum.NotFound) {
			t.Errorf("HeaderByHash(unknown): %v, want NotFound", err)
		}
	})

	t.Run("accounts", func(t *testing.T) {
		for _, n := range []*big.Int{nil, new(big.Int).SetUint64(fx.pairBlock - 1)} {
			for _, a := range []common.Address{addr(fx.req), fx.market, {0x42}} {
				wantBal, err := direct.BalanceAt(ctx, a, n)
				if err != nil {
					t.Fatal(err)
				}
				if got, err := r.BalanceAt(ctx, a, n); err != nil || got.Cmp(wantBal) != 0 {
					t.Errorf("BalanceAt(%s, %v) = %v, %v; want %v", a, n, got, err, wantBal)
				}
				wantNonce, err := direct.NonceAt(ctx, a, n)
				if err != nil {
					t.Fatal(err)
				}
				if got, err := r.NonceAt(ctx, a, n); err != nil || got != wantNonce {
					t.Errorf("NonceAt(%s, %v) = %v, %v; want %v", a, n, got, err, wantNonce)
				}
				wantCode, err := direct.CodeAt(ctx, a, n)
				if err != nil {
					t.Fatal(err)
				}
				if got, err := r.CodeAt(ctx, a, n); err != nil || !bytes.Equal(got, wantCode) {
					t.Errorf("CodeAt(%s, %v) = %d bytes, %v; want %d", a, n, len(got), err, len(wantCode))
				}
			}
		}
		if got, err := r.PendingNonceAt(ctx, addr(fx.req)); err != nil || got != 3 {
			t.Errorf("PendingNonceAt = %d, %v; want 3", got, err)
		}
	})

	t.Run("StorageAt", func(t *testing.T) {
		for _, n := range []*big.Int{nil, new(big.Int).SetUint64(fx.pairBlock)} {
			for _, slot := range []common.Hash{slotOrderCount, orderSlot(1), orderSlot(3), {0x77}} {
				want, err := direct.StorageAt(ctx, fx.market, slot, n)
				if err != nil {
					t.Fatal(err)
				}
				got, err := r.StorageAt(ctx, fx.market, slot, n)
				if err != nil || !bytes.Equal(got, want) {
					t.Errorf("StorageAt(%s, %v) = %x, %v; want %x", slot, n, got, err, want)
				}
			}
		}
	})

	t.Run("CallContract", func(t *testing.T) {
		verified, truth := fx.verifiedMarket(r), fx.directMarket()
		for _, n := range []*big.Int{nil, new(big.Int).SetUint64(fx.pairBlock - 1)} {
			opts := &bind.CallOpts{BlockNumber: n}
			count, err := bind.Call(verified, opts, fx.abi.PackOrderCount(), fx.abi.UnpackOrderCount)
			if err != nil {
				t.Fatalf("orderCount at %v: %v", n, err)
			}
			wantCount, err := bind.Call(truth, opts, fx.abi.PackOrderCount(), fx.abi.UnpackOrderCount)
			if err != nil {
				t.Fatal(err)
			}
			if count.Cmp(wantCount) != 0 {
				t.Errorf("orderCount at %v = %v, want %v", n, count, wantCount)
			}
			for id := int64(1); id <= 3; id++ {
				got, err := bind.Call(verified, opts, fx.abi.PackGetOrder(big.NewInt(id)), fx.abi.UnpackGetOrder)
				if err != nil {
					t.Fatalf("getOrder(%d) at %v: %v", id, n, err)
				}
				want, err := bind.Call(truth, opts, fx.abi.PackGetOrder(big.NewInt(id)), fx.abi.UnpackGetOrder)
				if err != nil {
					t.Fatal(err)
				}
				sameJSON(t, "getOrder", got, want)
			}
		}
		if n, _ := bind.Call(verified, nil, fx.abi.PackOrderCount(), fx.abi.UnpackOrderCount); n == nil || n.Int64() != 3 {
			t.Errorf("orderCount = %v, want 3", n)
		}
		bal, err := bind.Call(verified, nil, fx.abi.PackBalanceOf(addr(fx.req)), fx.abi.UnpackBalanceOf)
		wantBal, _ := bind.Call(truth, nil, fx.abi.PackBalanceOf(addr(fx.req)), fx.abi.UnpackBalanceOf)
		if err != nil || bal.Cmp(wantBal) != 0 {
			t.Errorf("balanceOf = %v, %v; want %v", bal, err, wantBal)
		}
	})

	t.Run("revert", func(t *testing.T) {
		msg := ethereum.CallMsg{From: addr(fx.req), To: &fx.market, Data: fx.abi.PackAcceptOrders([]*big.Int{big.NewInt(1)})}
		_, err := r.CallContract(ctx, msg, nil)
		_, wantErr := direct.CallContract(ctx, msg, nil)
		got, ok := ethclient.RevertErrorData(err)
		want, wantOK := ethclient.RevertErrorData(wantErr)
		if !ok || !wantOK || !bytes.Equal(got, want) {
			t.Fatalf("revert: %v (data %x), want %v (data %x)", err, got, wantErr, want)
		}
		dec, err := fx.abi.UnpackError(got)
		if _, isNotProvider := dec.(*contracts.HearthMarketNotProvider); err != nil || !isNotProvider {
			t.Errorf("revert decodes to %T, %v; want NotProvider", dec, err)
		}
	})

	t.Run("TransactionReceipt", func(t *testing.T) {
		for _, h := range []common.Hash{fx.deployTx, fx.pairTxs[0], fx.pairTxs[1], fx.soloTx} {
			want, err := direct.TransactionReceipt(ctx, h)
			if err != nil {
				t.Fatal(err)
			}
			got, err := r.TransactionReceipt(ctx, h)
			if err != nil {
				t.Fatalf("TransactionReceipt(%s): %v", h, err)
			}
			sameJSON(t, "receipt", got, want)
		}
		if _, err := r.TransactionReceipt(ctx, common.Hash{1}); !errors.Is(err, ethereum.NotFound) {
			t.Errorf("TransactionReceipt(unknown): %v, want NotFound", err)
		}
	})

	t.Run("FilterLogs", func(t *testing.T) {
		posted := fx.abi.GetABI().Events["OrderPosted"].ID
		pairHash := fx.blockHash(t, fx.pairBlock)
		for _, q := range []ethereum.FilterQuery{
			{Addresses: []common.Address{fx.market}, FromBlock: big.NewInt(0)},
			{Addresses: []common.Address{fx.market}, FromBlock: big.NewInt(0), ToBlock: new(big.Int).SetUint64(fx.pairBlock)},
			{Topics: [][]common.Hash{{posted}}, FromBlock: new(big.Int).SetUint64(fx.pairBlock)},
			{Topics: [][]common.Hash{{posted}, {common.BigToHash(big.NewInt(2)), common.BigToHash(big.NewInt(3))}}, FromBlock: big.NewInt(1)},
			{BlockHash: &pairHash},
		} {
			want, err := direct.FilterLogs(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			got, err := r.FilterLogs(ctx, q)
			if err != nil {
				t.Fatalf("FilterLogs(%+v): %v", q, err)
			}
			if len(want) == 0 {
				t.Fatalf("FilterLogs(%+v): the chain has no logs: bad test", q)
			}
			sameJSON(t, "logs", got, want)
		}
	})

	t.Run("Verifying", func(t *testing.T) {
		age, err := r.HeadAge(ctx)
		if err != nil || age > time.Minute || age < -time.Minute {
			t.Errorf("HeadAge = %v, %v", age, err)
		}
		fin, err := direct.HeaderByNumber(ctx, big.NewInt(-3))
		if err != nil {
			t.Fatal(err)
		}
		if n, err := r.FinalizedNumber(ctx); err != nil || n != fin.Number.Uint64() {
			t.Errorf("FinalizedNumber = %d, %v; want %v", n, err, fin.Number)
		}
		if id, err := r.ChainID(ctx); err != nil || id.Cmp(fx.chainID) != 0 {
			t.Errorf("ChainID = %v, %v", id, err)
		}
	})
}

func (fx *fixture) blockHash(t *testing.T, n uint64) common.Hash {
	t.Helper()
	h, err := fx.direct.HeaderByNumber(context.Background(), new(big.Int).SetUint64(n))
	if err != nil {
		t.Fatal(err)
	}
	return h.Hash()
}

func TestStaleHead(t *testing.T) {
	fx := getFixture(t)
	later := time.Now().Add(time.Hour)
	r := fx.newReader(t, func(o *Options) { o.Clock = func() time.Time { return later } })
	ctx := context.Background()
	if _, err := r.BlockNumber(ctx); !errors.Is(err, chain.ErrStale) {
		t.Errorf("BlockNumber on an hour-old head: %v, want ErrStale", err)
	}
	if _, err := r.BalanceAt(ctx, addr(fx.req), nil); !errors.Is(err, chain.ErrStale) {
		t.Errorf("BalanceAt on an hour-old head: %v, want ErrStale", err)
	}
	if age, err := r.HeadAge(ctx); err != nil || age < 59*time.Minute {
		t.Errorf("HeadAge = %v, %v; want about an hour", age, err)
	}
}

// TestHeadBehindTheRPC: blocks the RPC has above the verified head do not
// exist for the reader.
func TestHeadBehindTheRPC(t *testing.T) {
	fx := getFixture(t)
	ctx := context.Background()
	behind := new(big.Int).SetUint64(fx.soloBlock - 1)
	r, err := New(ctx, &devHeads{client: fx.direct, pin: behind}, []*rpc.Client{fx.viaProxy}, Options{ChainID: fx.chainID, Config: fx.config, Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := r.BlockNumber(ctx); err != nil || n != behind.Uint64() {
		t.Errorf("BlockNumber = %d, %v; want %v", n, err, behind)
	}
	solo := fx.blockHash(t, fx.soloBlock)
	if _, err := r.HeaderByHash(ctx, solo); !errors.Is(err, ethereum.NotFound) {
		t.Errorf("HeaderByHash above the head: %v, want NotFound", err)
	}
	if _, err := r.HeaderByNumber(ctx, new(big.Int).SetUint64(fx.soloBlock)); !errors.Is(err, ethereum.NotFound) {
		t.Errorf("HeaderByNumber above the head: %v, want NotFound", err)
	}
	if _, err := r.TransactionReceipt(ctx, fx.soloTx); !errors.Is(err, ethereum.NotFound) {
		t.Errorf("TransactionReceipt above the head: %v, want NotFound", err)
	}
	if rc, err := r.TransactionReceipt(ctx, fx.pairTxs[1]); err != nil || rc.TxHash != fx.pairTxs[1] {
		t.Errorf("TransactionReceipt below the head: %v", err)
	}
	q := ethereum.FilterQuery{Addresses: []common.Address{fx.market}, FromBlock: big.NewInt(1), ToBlock: big.NewInt(1000)}
	got, err := r.FilterLogs(ctx, q)
	q.ToBlock = behind
	want, _ := fx.direct.FilterLogs(ctx, q)
	if err != nil || len(want) == 0 {
		t.Fatalf("FilterLogs: %v (%d logs up to the head)", err, len(want))
	}
	sameJSON(t, "logs up to the head", got, want)
	count, err := bind.Call(fx.verifiedMarket(r), nil, fx.abi.PackOrderCount(), fx.abi.UnpackOrderCount)
	if err != nil || count.Int64() != 2 {
		t.Errorf("orderCount at the head = %v, %v; want 2", count, err)
	}
}

func TestNoHeadYet(t *testing.T) {
	fx := getFixture(t)
	ctx := context.Background()
	r, err := New(ctx, noHeads{}, []*rpc.Client{fx.viaProxy}, Options{ChainID: fx.chainID, Config: fx.config})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.BlockNumber(ctx); !errors.Is(err, chain.ErrNoHead) {
		t.Errorf("BlockNumber: %v, want ErrNoHead", err)
	}
	if _, err := r.CallContract(ctx, ethereum.CallMsg{To: &fx.market, Data: fx.abi.PackOrderCount()}, nil); !errors.Is(err, chain.ErrNoHead) {
		t.Errorf("CallContract: %v, want ErrNoHead", err)
	}
}

type noHeads struct{}

func (noHeads) Latest() (chain.Head, error)    { return chain.Head{}, chain.ErrNoHead }
func (noHeads) Finalized() (chain.Head, error) { return chain.Head{}, chain.ErrNoHead }

func TestOptions(t *testing.T) {
	if _, err := (Options{}).withDefaults(); err == nil {
		t.Error("no ChainID accepted")
	}
	if _, err := (Options{ChainID: big.NewInt(1337)}).withDefaults(); err == nil {
		t.Error("a chain without built-in rules accepted without Config")
	}
	o, err := (Options{ChainID: big.NewInt(11155111)}).withDefaults()
	if err != nil || o.Config.ChainID.Int64() != 11155111 || o.MaxGas != DefaultMaxGas || o.MaxHeadAge != DefaultMaxHeadAge || o.MaxTip.Cmp(DefaultMaxTip) != 0 {
		t.Errorf("Sepolia defaults: %+v, %v", o, err)
	}
	if _, err := (Options{ChainID: big.NewInt(1), Config: params.AllDevChainProtocolChanges}).withDefaults(); err == nil {
		t.Error("a Config for another chain accepted")
	}
}

// TestParentWalk proves block hashes by parent hashes alone, as on a chain
// without EIP-2935's history contract.
func TestParentWalk(t *testing.T) {
	fx := getFixture(t)
	ctx := context.Background()
	r := fx.newReader(t)
	r.historyWindow, r.parentWalk = 0, 3
	head, err := fx.direct.BlockNumber(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for n := head - 3; n <= head; n++ {
		want, _ := fx.direct.HeaderByNumber(ctx, new(big.Int).SetUint64(n))
		got, err := r.HeaderByNumber(ctx, new(big.Int).SetUint64(n))
		if err != nil || got.Hash() != want.Hash() {
			t.Fatalf("HeaderByNumber(%d) by the parent walk: %v", n, err)
		}
	}
	_, err = r.HeaderByNumber(ctx, new(big.Int).SetUint64(head-4))
	if !errors.Is(err, chain.ErrUnverified) || !strings.Contains(err.Error(), "too old") {
		t.Errorf("HeaderByNumber(head-4) with a walk of 3: %v, want too old", err)
	}
}

// TestRPCBehindTheHead: when the head source has a block the RPC does not
// have yet, the previous head serves while it is fresh.
func TestRPCBehindTheHead(t *testing.T) {
	fx := getFixture(t)
	ctx := context.Background()
	heads := &aheadHeads{devHeads: devHeads{client: fx.direct}}
	now := time.Now()
	r, err := New(ctx, heads, []*rpc.Client{fx.viaProxy}, Options{ChainID: fx.chainID, Config: fx.config, Logger: testLogger(t),
		Clock: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	want, err := fx.direct.BlockNumber(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := r.BlockNumber(ctx); err != nil || n != want {
		t.Fatalf("BlockNumber = %d, %v; want %d", n, err, want)
	}
	heads.ahead = true
	if n, err := r.BlockNumber(ctx); err != nil || n != want {
		t.Errorf("BlockNumber with the RPC one block behind = %d, %v; want the previous head %d", n, err, want)
	}
	now = now.Add(time.Hour)
	heads.aheadTime = now
	if n, err := r.BlockNumber(ctx); err == nil || errors.Is(err, ethereum.NotFound) {
		t.Errorf("BlockNumber with the RPC behind and the previous head stale = %d, %v; want an error", n, err)
	}
}

// aheadHeads is devHeads that, once ahead is set, gives a head the RPC does
// not have.
type aheadHeads struct {
	devHeads
	ahead     bool
	aheadTime time.Time
}

func (h *aheadHeads) Latest() (chain.Head, error) {
	if h.ahead {
		t := h.aheadTime
		if t.IsZero() {
			t = time.Now()
		}
		return chain.Head{Hash: common.Hash{0xa4, 0xea, 0xd0}, Slot: 1 << 20, Time: t}, nil
	}
	return h.devHeads.Latest()
}
