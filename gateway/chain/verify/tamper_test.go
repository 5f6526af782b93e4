package verify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/params"

	"github.com/hearth-home/hearth/gateway/chain"
	"github.com/hearth-home/hearth/hearthtest/rpctamper"
)

// A lie is one way an RPC endpoint can lie. check runs first with the lie
// told (honest false), then again after the proxy is honest.
type lie struct {
	name  string
	tell  func(fx *fixture, p *rpctamper.Proxy)
	check func(t *testing.T, fx *fixture, r *Reader, honest bool)
}

func TestTamperedAnswers(t *testing.T) {
	for _, l := range lies {
		t.Run(l.name, func(t *testing.T) {
			fx := getFixture(t)
			r := fx.newReader(t)
			l.tell(fx, fx.proxy)
			l.check(t, fx, r, false)
			fx.proxy.Clear()
			l.check(t, fx, r, true)
		})
	}
}

var lies = []lie{
	{
		name: "eth_getProof claimed balance +1 wei",
		tell: func(fx *fixture, p *rpctamper.Proxy) {
			p.Set("eth_getProof", editObject(func(m map[string]any) { m["balance"] = addHex(m["balance"], 1) }))
		},
		check: checkBalance,
	},
	{
		name: "eth_getProof claimed nonce +1",
		tell: func(fx *fixture, p *rpctamper.Proxy) {
			p.Set("eth_getProof", editObject(func(m map[string]any) { m["nonce"] = addHex(m["nonce"], 1) }))
		},
		check: checkNonce,
	},
	{
		name: "eth_getProof claimed storage value changed",
		tell: func(fx *fixture, p *rpctamper.Proxy) {
			p.Set("eth_getProof", editObject(func(m map[string]any) {
				for _, sp := range m["storageProof"].([]any) {
					sp.(map[string]any)["value"] = "0x2a"
				}
			}))
		},
		check: both(checkOrderCountSlot, checkOrderCountCall(mustFail)),
	},
	{
		name: "eth_getProof account proof node byte flipped",
		tell: func(fx *fixture, p *rpctamper.Proxy) {
			p.Set("eth_getProof", editObject(func(m map[string]any) {
				nodes := m["accountProof"].([]any)
				nodes[len(nodes)-1] = flipHex(nodes[len(nodes)-1])
			}))
		},
		check: both(checkBalance, checkOrderCountSlot),
	},
	{
		name: "eth_getProof storage proof node byte flipped",
		tell: func(fx *fixture, p *rpctamper.Proxy) {
			p.Set("eth_getProof", editObject(func(m map[string]any) {
				for _, sp := range m["storageProof"].([]any) {
					nodes := sp.(map[string]any)["proof"].([]any)
					nodes[0] = flipHex(nodes[0])
				}
			}))
		},
		check: both(checkOrderCountSlot, checkOrderSlot),
	},
	{
		name: "eth_getProof nodes from an older block",
		tell: func(fx *fixture, p *rpctamper.Proxy) {
			older := hexutil.Uint64(fx.pairBlock - 1)
			p.Set("eth_getProof", func(params, result json.RawMessage) json.RawMessage {
				var args []json.RawMessage
				if err := json.Unmarshal(params, &args); err != nil || len(args) < 2 {
					return nil
				}
				var res json.RawMessage
				if err := fx.upstream.Call(&res, "eth_getProof", args[0], args[1], older); err != nil {
					return nil
				}
				return res
			})
		},
		check: both(checkBalance, checkOrderCountSlot, checkOrderCountCall(mustFail)),
	},
	{
		name: "eth_getProof storage proof truncated",
		tell: func(fx *fixture, p *rpctamper.Proxy) {
			p.Set("eth_getProof", editObject(func(m map[string]any) {
				for _, sp := range m["storageProof"].([]any) {
					sp := sp.(map[string]any)
					nodes := sp["proof"].([]any)
					sp["proof"] = nodes[:len(nodes)-1]
				}
			}))
		},
		check: both(checkOrderCountSlot, checkOrderSlot),
	},
	{
		name:  "eth_getProof of another slot presented as the one asked",
		tell:  tellOtherSlot,
		check: checkOtherSlot,
	},
	{
		name: "eth_getBlockByHash stateRoot edited",
		tell: func(fx *fixture, p *rpctamper.Proxy) {
			p.Set("eth_getBlockByHash", editObject(func(m map[string]any) { m["stateRoot"] = flipHex(m["stateRoot"]) }))
		},
		check: both(checkBlockNumber(mustFail), checkBalance),
	},
	{
		name: "eth_getBlockByHash receiptsRoot edited in the orders' block",
		tell: func(fx *fixture, p *rpctamper.Proxy) {
			pair := fx.blockHashNoT(fx.pairBlock)
			p.Set("eth_getBlockByHash", func(params, result json.RawMessage) json.RawMessage {
				if !bytes.Contains(params, []byte(pair.Hex())) {
					return nil
				}
				return editObject(func(m map[string]any) { m["receiptsRoot"] = flipHex(m["receiptsRoot"]) })(params, result)
			})
		},
		check: both(checkReceipt(0), checkPairHeader),
	},
	{
		name: "eth_getBlockByHash answers with another block",
		tell: func(fx *fixture, p *rpctamper.Proxy) {
			pair := fx.blockHashNoT(fx.pairBlock)
			p.Set("eth_getBlockByHash", func(params, result json.RawMessage) json.RawMessage {
				if !bytes.Contains(params, []byte(pair.Hex())) {
					return nil
				}
				var other json.RawMessage
				var args []any
				json.Unmarshal(params, &args)
				if err := fx.upstream.Call(&other, "eth_getBlockByNumber", hexutil.Uint64(fx.soloBlock), args[1]); err != nil {
					return nil
				}
				return other
			})
		},
		check: both(checkPairHeader, checkReceipt(1)),
	},
	{
		name: "eth_blockNumber +5 and -5",
		tell: func(fx *fixture, p *rpctamper.Proxy) {
			p.Set("eth_blockNumber", func(params, result json.RawMessage) json.RawMessage {
				calls.Add(1)
				return quote(addHex(unquote(result), 5))
			})
		},
		check: func(t *testing.T, fx *fixture, r *Reader, honest bool) {
			calls.Store(0)
			checkBlockNumber(mustMatch)(t, fx, r, honest)
			fx.proxy.Set("eth_blockNumber", func(params, result json.RawMessage) json.RawMessage {
				calls.Add(1)
				return quote(addHex(unquote(result), -5))
			})
			checkBlockNumber(mustMatch)(t, fx, r, honest)
			if n := calls.Load(); n != 0 {
				t.Errorf("eth_blockNumber asked %d times", n)
			}
		},
	},
	{
		name: "eth_getCode altered",
		tell: func(fx *fixture, p *rpctamper.Proxy) {
			p.Set("eth_getCode", func(params, result json.RawMessage) json.RawMessage {
				if s := unquote(result); len(s) > 2 {
					return quote(flipHex(s))
				}
				return nil
			})
		},
		check: both(checkCode, checkOrderCountCall(mustFail)),
	},
	{
		name: "eth_createAccessList omits the market's slots",
		tell: func(fx *fixture, p *rpctamper.Proxy) {
			p.Set("eth_createAccessList", editObject(func(m map[string]any) {
				calls.Add(1)
				for _, e := range m["accessList"].([]any) {
					e.(map[string]any)["storageKeys"] = []any{}
				}
			}))
		},
		check: both(countCalls(checkOrderCountCall(trueOrUnverified)), checkGetOrderCall(trueOrUnverified)),
	},
	{
		name: "eth_createAccessList empty",
		tell: func(fx *fixture, p *rpctamper.Proxy) {
			p.Set("eth_createAccessList", editObject(func(m map[string]any) { m["accessList"] = []any{} }))
		},
		check: both(checkOrderCountCall(trueOrUnverified), checkGetOrderCall(trueOrUnverified)),
	},
	{
		name: "eth_createAccessList names junk",
		tell: func(fx *fixture, p *rpctamper.Proxy) {
			p.Set("eth_createAccessList", editObject(func(m map[string]any) {
				m["accessList"] = append(m["accessList"].([]any),
					map[string]any{"address": common.Address{0xde, 0xad}.Hex(), "storageKeys": []any{common.Hash{1}.Hex()}},
					map[string]any{"address": fx.market.Hex(), "storageKeys": []any{common.Hash{0x55}.Hex()}})
			}))
		},
		check: both(checkOrderCountCall(mustMatch), checkGetOrderCall(mustMatch)),
	},
	{
		name: "eth_call return data altered",
		tell: func(fx *fixture, p *rpctamper.Proxy) {
			p.Set("eth_call", func(params, result json.RawMessage) json.RawMessage {
				calls.Add(1)
				return quote(common.BigToHash(big.NewInt(42)).Hex())
			})
		},
		check: func(t *testing.T, fx *fixture, r *Reader, honest bool) {
			calls.Store(0)
			checkOrderCountCall(mustMatch)(t, fx, r, honest)
			checkGetOrderCall(mustMatch)(t, fx, r, honest)
			if n := calls.Load(); n != 0 {
				t.Errorf("eth_call asked %d times", n)
			}
		},
	},
	{
		name:  "eth_getBlockReceipts status flipped",
		tell:  tellPairReceipts(func(rs []any) { rs[0].(map[string]any)["status"] = "0x0" }),
		check: both(checkReceipt(0), checkPairLogs),
	},
	{
		name: "eth_getBlockReceipts log data changed",
		tell: tellPairReceipts(func(rs []any) {
			l := rs[0].(map[string]any)["logs"].([]any)[0].(map[string]any)
			l["data"] = flipHex(l["data"])
		}),
		check: both(checkReceipt(0), checkPairLogs),
	},
	{
		name:  "eth_getBlockReceipts log dropped",
		tell:  tellPairReceipts(func(rs []any) { rs[1].(map[string]any)["logs"] = []any{} }),
		check: both(checkReceipt(1), checkPairLogs),
	},
	{
		name: "eth_getBlockReceipts log added",
		tell: tellPairReceipts(func(rs []any) {
			r0 := rs[0].(map[string]any)
			r0["logs"] = append(r0["logs"].([]any), rs[1].(map[string]any)["logs"].([]any)[0])
		}),
		check: both(checkReceipt(0), checkPairLogs),
	},
	{
		name:  "eth_getBlockReceipts receipts reordered",
		tell:  tellPairReceipts(func(rs []any) { rs[0], rs[1] = rs[1], rs[0] }),
		check: both(checkReceipt(0), checkReceipt(1), checkPairLogs),
	},
	{
		name: "eth_getBlockReceipts transactionHash labels swapped",
		tell: tellPairReceipts(func(rs []any) {
			a, b := rs[0].(map[string]any), rs[1].(map[string]any)
			a["transactionHash"], b["transactionHash"] = b["transactionHash"], a["transactionHash"]
		}),
		// The receipts root does not commit to the labels, and the reader
		// binds a receipt to its transaction by index: the right one comes
		// back.
		check: both(checkReceiptStillRight(0), checkReceiptStillRight(1)),
	},
	{
		name: "eth_getTransactionReceipt names another block",
		tell: func(fx *fixture, p *rpctamper.Proxy) {
			solo := fx.blockHashNoT(fx.soloBlock)
			p.Set("eth_getTransactionReceipt", editObject(func(m map[string]any) { m["blockHash"] = solo.Hex() }))
		},
		check: checkReceipt(0),
	},
	{
		name: "eth_getLogs drops an OrderPosted whose block has another",
		tell: func(fx *fixture, p *rpctamper.Proxy) {
			p.Set("eth_getLogs", editLogs(func(logs []any) []any {
				return slices.DeleteFunc(logs, func(l any) bool { return fx.isLog(l, fx.pairTxs[0]) })
			}))
		},
		// Recovered: the block is hinted by the other order's log.
		check: checkOrderLogs(func(fx *fixture, l types.Log) bool { return true }),
	},
	{
		name: "eth_getLogs drops an OrderPosted alone in its block",
		tell: func(fx *fixture, p *rpctamper.Proxy) {
			p.Set("eth_getLogs", editLogs(func(logs []any) []any {
				return slices.DeleteFunc(logs, func(l any) bool { return fx.isLog(l, fx.soloTx) })
			}))
		},
		// Undetectable: absent, and nothing else changes.
		check: checkOrderLogs(func(fx *fixture, l types.Log) bool { return l.TxHash != fx.soloTx }),
	},
	{
		name: "eth_getLogs forged and edited OrderPosted",
		tell: func(fx *fixture, p *rpctamper.Proxy) {
			p.Set("eth_getLogs", editLogs(func(logs []any) []any {
				var forged []any
				for _, l := range logs {
					l := l.(map[string]any)
					if fx.isLog(l, fx.soloTx) {
						l["data"] = flipHex(l["data"]) // edited appURI, args...
					}
					if fx.isLog(l, fx.pairTxs[1]) {
						f := clone(l)
						topics := f["topics"].([]any)
						topics[1] = common.BigToHash(big.NewInt(99)).Hex() // order 99 never posted
						f["logIndex"] = "0x7"
						forged = append(forged, f)
						g := clone(l)
						g["blockHash"] = common.Hash{0xf0, 0x06}.Hex() // a block that does not exist
						forged = append(forged, g)
					}
				}
				return append(logs, forged...)
			}))
		},
		check: checkOrderLogs(func(fx *fixture, l types.Log) bool { return true }),
	},
	{
		name: "eth_chainId differs",
		tell: func(fx *fixture, p *rpctamper.Proxy) {
			p.Set("eth_chainId", func(params, result json.RawMessage) json.RawMessage { return quote("0x1") })
		},
		check: func(t *testing.T, fx *fixture, _ *Reader, honest bool) {
			_, err := fx.tryReader()
			if honest != (err == nil) || !honest && !errors.Is(err, chain.ErrWrongChain) {
				t.Fatalf("New: %v (honest %v)", err, honest)
			}
		},
	},
	{
		name: "eth_getProof missing",
		tell: func(fx *fixture, p *rpctamper.Proxy) {
			p.Fail("eth_getProof", -32601, "the method eth_getProof does not exist/is not available")
		},
		check: func(t *testing.T, fx *fixture, _ *Reader, honest bool) {
			_, err := fx.tryReader()
			if honest != (err == nil) || !honest && (!errors.Is(err, chain.ErrMissingMethod) || !strings.Contains(err.Error(), "eth_getProof")) {
				t.Fatalf("New: %v (honest %v)", err, honest)
			}
		},
	},
	{
		name: "eth_estimateGas 30M",
		tell: func(fx *fixture, p *rpctamper.Proxy) {
			p.Set("eth_estimateGas", func(params, result json.RawMessage) json.RawMessage {
				return quote(hexutil.Uint64(30_000_000).String())
			})
		},
		check: func(t *testing.T, fx *fixture, r *Reader, honest bool) {
			ctx := context.Background()
			msg := ethereum.CallMsg{From: addr(fx.req), To: &fx.market, Value: big.NewInt(1), Data: fx.abi.PackDeposit()}
			got, err := r.EstimateGas(ctx, msg)
			if !honest {
				if !errors.Is(err, ErrGasCap) || !strings.Contains(err.Error(), "estimate 30000000 above the cap 3000000") {
					t.Fatalf("EstimateGas = %d, %v; want ErrGasCap", got, err)
				}
				return
			}
			want, err2 := fx.direct.EstimateGas(ctx, msg)
			if err != nil || err2 != nil || got != want {
				t.Fatalf("EstimateGas = %d, %v; want %d, %v", got, err, want, err2)
			}
		},
	},
	{
		name: "eth_maxPriorityFeePerGas 1000 gwei",
		tell: func(fx *fixture, p *rpctamper.Proxy) {
			p.Set("eth_maxPriorityFeePerGas", func(_, result json.RawMessage) json.RawMessage {
				return quote(hexutil.EncodeBig(big.NewInt(1000 * params.GWei)))
			})
		},
		check: func(t *testing.T, fx *fixture, r *Reader, honest bool) {
			ctx := context.Background()
			got, err := r.SuggestGasTipCap(ctx)
			want := big.NewInt(10 * params.GWei)
			if honest {
				want, _ = fx.direct.SuggestGasTipCap(ctx)
			}
			if err != nil || got.Cmp(want) != 0 {
				t.Fatalf("SuggestGasTipCap = %v, %v; want %v", got, err, want)
			}
		},
	},
	{
		name: "history contract proof value changed",
		tell: func(fx *fixture, p *rpctamper.Proxy) {
			history := strings.ToLower(params.HistoryStorageAddress.Hex())
			p.Set("eth_getProof", func(args, result json.RawMessage) json.RawMessage {
				if !strings.Contains(strings.ToLower(string(args)), history) {
					return nil
				}
				return editObject(func(m map[string]any) {
					for _, sp := range m["storageProof"].([]any) {
						sp.(map[string]any)["value"] = common.Hash{0xba, 0xd}.Hex()
					}
				})(args, result)
			})
		},
		check: checkPairHeader,
	},
}

// calls counts what a lie's rewrite saw (tests do not run in parallel).
var calls atomic.Int64

// ---- checks ----

// outcome modes for checks of calls.
const (
	mustFail         = iota // the lie must give chain.ErrUnverified
	mustMatch               // the lie has no effect
	trueOrUnverified        // either; never a wrong value
)

func both(checks ...func(*testing.T, *fixture, *Reader, bool)) func(*testing.T, *fixture, *Reader, bool) {
	return func(t *testing.T, fx *fixture, r *Reader, honest bool) {
		for _, c := range checks {
			c(t, fx, r, honest)
		}
	}
}

// judge checks a read's result: with the lie told, err must wrap
// chain.ErrUnverified (mode mustFail), or nothing may change (mustMatch), or
// either (trueOrUnverified); honest, it must equal want.
func judge(t *testing.T, what string, mode int, honest bool, got, want any, err error) {
	t.Helper()
	if !honest && mode == mustFail || !honest && mode == trueOrUnverified && err != nil {
		wantUnverified(t, what, err)
		return
	}
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	sameJSON(t, what, got, want)
}

func checkBalance(t *testing.T, fx *fixture, r *Reader, honest bool) {
	ctx := context.Background()
	got, err := r.BalanceAt(ctx, addr(fx.req), nil)
	want, _ := fx.direct.BalanceAt(ctx, addr(fx.req), nil)
	judge(t, "BalanceAt", mustFail, honest, got, want, err)
}

func checkNonce(t *testing.T, fx *fixture, r *Reader, honest bool) {
	ctx := context.Background()
	got, err := r.NonceAt(ctx, addr(fx.req), nil)
	want, _ := fx.direct.NonceAt(ctx, addr(fx.req), nil)
	judge(t, "NonceAt", mustFail, honest, got, want, err)
	got, err = r.PendingNonceAt(ctx, addr(fx.req))
	judge(t, "PendingNonceAt", mustFail, honest, got, want, err)
}

func checkSlot(t *testing.T, fx *fixture, r *Reader, honest bool, slot common.Hash) {
	ctx := context.Background()
	got, err := r.StorageAt(ctx, fx.market, slot, nil)
	want, _ := fx.direct.StorageAt(ctx, fx.market, slot, nil)
	judge(t, "StorageAt "+slot.Hex(), mustFail, honest, got, want, err)
}

func checkOrderCountSlot(t *testing.T, fx *fixture, r *Reader, honest bool) {
	checkSlot(t, fx, r, honest, slotOrderCount)
}

func checkOrderSlot(t *testing.T, fx *fixture, r *Reader, honest bool) {
	checkSlot(t, fx, r, honest, orderSlot(2))
}

func checkCode(t *testing.T, fx *fixture, r *Reader, honest bool) {
	ctx := context.Background()
	got, err := r.CodeAt(ctx, fx.market, nil)
	want, _ := fx.direct.CodeAt(ctx, fx.market, nil)
	judge(t, "CodeAt", mustFail, honest, hexutil.Bytes(got), hexutil.Bytes(want), err)
}

// callOpts calls from the requester: a funded account, for which the
// node's eth_createAccessList works (it prices gas and refuses senders
// that cannot pay).
func (fx *fixture) callOpts() *bind.CallOpts { return &bind.CallOpts{From: addr(fx.req)} }

func checkOrderCountCall(mode int) func(*testing.T, *fixture, *Reader, bool) {
	return func(t *testing.T, fx *fixture, r *Reader, honest bool) {
		got, err := bind.Call(fx.verifiedMarket(r), fx.callOpts(), fx.abi.PackOrderCount(), fx.abi.UnpackOrderCount)
		want, _ := bind.Call(fx.directMarket(), fx.callOpts(), fx.abi.PackOrderCount(), fx.abi.UnpackOrderCount)
		judge(t, "orderCount()", mode, honest, got, want, err)
	}
}

func checkGetOrderCall(mode int) func(*testing.T, *fixture, *Reader, bool) {
	return func(t *testing.T, fx *fixture, r *Reader, honest bool) {
		got, err := bind.Call(fx.verifiedMarket(r), fx.callOpts(), fx.abi.PackGetOrder(big.NewInt(2)), fx.abi.UnpackGetOrder)
		want, _ := bind.Call(fx.directMarket(), fx.callOpts(), fx.abi.PackGetOrder(big.NewInt(2)), fx.abi.UnpackGetOrder)
		judge(t, "getOrder(2)", mode, honest, got, want, err)
	}
}

// countCalls runs check and, honest or not, wants the lie's rewrite to
// have seen a request: the hint was asked for.
func countCalls(check func(*testing.T, *fixture, *Reader, bool)) func(*testing.T, *fixture, *Reader, bool) {
	return func(t *testing.T, fx *fixture, r *Reader, honest bool) {
		calls.Store(0)
		check(t, fx, r, honest)
		if !honest && calls.Load() == 0 {
			t.Error("the lie was never told: no eth_createAccessList")
		}
	}
}

func checkBlockNumber(mode int) func(*testing.T, *fixture, *Reader, bool) {
	return func(t *testing.T, fx *fixture, r *Reader, honest bool) {
		ctx := context.Background()
		got, err := r.BlockNumber(ctx)
		want, _ := fx.direct.BlockNumber(ctx)
		judge(t, "BlockNumber", mode, honest, got, want, err)
	}
}

func checkPairHeader(t *testing.T, fx *fixture, r *Reader, honest bool) {
	ctx := context.Background()
	n := new(big.Int).SetUint64(fx.pairBlock)
	got, err := r.HeaderByNumber(ctx, n)
	want, _ := fx.direct.HeaderByNumber(ctx, n)
	judge(t, "HeaderByNumber", mustFail, honest, got, want, err)
}

func checkReceipt(i int) func(*testing.T, *fixture, *Reader, bool) {
	return func(t *testing.T, fx *fixture, r *Reader, honest bool) {
		ctx := context.Background()
		got, err := r.TransactionReceipt(ctx, fx.pairTxs[i])
		want, _ := fx.direct.TransactionReceipt(ctx, fx.pairTxs[i])
		judge(t, fmt.Sprintf("TransactionReceipt(order %d)", i), mustFail, honest, got, want, err)
	}
}

func checkReceiptStillRight(i int) func(*testing.T, *fixture, *Reader, bool) {
	return func(t *testing.T, fx *fixture, r *Reader, honest bool) {
		r.blocks.Purge() // read the lie, not the receipts verified before
		ctx := context.Background()
		got, err := r.TransactionReceipt(ctx, fx.pairTxs[i])
		want, _ := fx.direct.TransactionReceipt(ctx, fx.pairTxs[i])
		judge(t, fmt.Sprintf("TransactionReceipt(order %d)", i), mustMatch, honest, got, want, err)
	}
}

func checkPairLogs(t *testing.T, fx *fixture, r *Reader, honest bool) {
	ctx := context.Background()
	pair := fx.blockHashNoT(fx.pairBlock)
	for _, q := range []ethereum.FilterQuery{
		{BlockHash: &pair},
		{Addresses: []common.Address{fx.market}, FromBlock: new(big.Int).SetUint64(fx.pairBlock)},
	} {
		got, err := r.FilterLogs(ctx, q)
		want, _ := fx.direct.FilterLogs(ctx, q)
		judge(t, "FilterLogs", mustFail, honest, got, want, err)
	}
}

// checkOrderLogs reads the OrderPosted logs; with the lie told it wants the
// true logs that keep says survive it, and never an error.
func checkOrderLogs(keep func(*fixture, types.Log) bool) func(*testing.T, *fixture, *Reader, bool) {
	return func(t *testing.T, fx *fixture, r *Reader, honest bool) {
		ctx := context.Background()
		q := ethereum.FilterQuery{
			Addresses: []common.Address{fx.market},
			Topics:    [][]common.Hash{{fx.abi.GetABI().Events["OrderPosted"].ID}},
			FromBlock: big.NewInt(1),
		}
		got, err := r.FilterLogs(ctx, q)
		want, _ := fx.direct.FilterLogs(ctx, q)
		if len(want) != 3 {
			t.Fatalf("the chain has %d OrderPosted logs, want 3", len(want))
		}
		if !honest {
			want = slices.DeleteFunc(want, func(l types.Log) bool { return !keep(fx, l) })
		}
		judge(t, "FilterLogs(OrderPosted)", mustMatch, honest, got, want, err)
	}
}

// ---- another slot's proof ----

// swapSlots maps a slot asked for to the slot whose proof the lie
// presents instead.
var swapSlots = map[common.Hash]common.Hash{
	slotOrderCount:  orderSlot(1),
	orderSlot(1):    slotOrderCount,
	orderSlot(2):    {0x77}, // a slot that is empty
	{0x77}:          orderSlot(1),
	orderSlot(3):    orderSlot(2),
	{0x01}:          slotOrderCount, // providers' slot: empty
	common.Hash{2}:  orderSlot(3),
	common.Hash{99}: {0x98},
}

func tellOtherSlot(fx *fixture, p *rpctamper.Proxy) {
	p.Set("eth_getProof", func(params, result json.RawMessage) json.RawMessage {
		var args []json.RawMessage
		var keys []common.Hash
		if json.Unmarshal(params, &args) != nil || len(args) < 3 || json.Unmarshal(args[1], &keys) != nil || len(keys) != 1 {
			return nil
		}
		other, ok := swapSlots[keys[0]]
		if !ok {
			return nil
		}
		var res map[string]json.RawMessage
		if err := fx.upstream.Call(&res, "eth_getProof", args[0], []common.Hash{other}, args[2]); err != nil {
			return nil
		}
		var sp []map[string]json.RawMessage
		if json.Unmarshal(res["storageProof"], &sp) != nil || len(sp) != 1 {
			return nil
		}
		sp[0]["key"], _ = json.Marshal(keys[0]) // labelled as the slot asked for
		res["storageProof"], _ = json.Marshal(sp)
		out, _ := json.Marshal(res)
		return out
	})
}

func checkOtherSlot(t *testing.T, fx *fixture, r *Reader, honest bool) {
	ctx := context.Background()
	for asked := range swapSlots {
		got, err := r.StorageAt(ctx, fx.market, asked, nil)
		want, _ := fx.direct.StorageAt(ctx, fx.market, asked, nil)
		judge(t, "StorageAt "+asked.Hex(), trueOrUnverified, honest, hexutil.Bytes(got), hexutil.Bytes(want), err)
	}
}

// ---- JSON surgery ----

// editObject rewrites a result that is a JSON object.
func editObject(edit func(map[string]any)) rpctamper.Rewrite {
	return func(params, result json.RawMessage) json.RawMessage {
		var m map[string]any
		if err := decodeNumbers(result, &m); err != nil || m == nil {
			return nil
		}
		edit(m)
		out, _ := json.Marshal(m)
		return out
	}
}

// editLogs rewrites an eth_getLogs result.
func editLogs(edit func([]any) []any) rpctamper.Rewrite {
	return func(params, result json.RawMessage) json.RawMessage {
		var logs []any
		if err := decodeNumbers(result, &logs); err != nil {
			return nil
		}
		out, _ := json.Marshal(edit(logs))
		return out
	}
}

// tellPairReceipts rewrites eth_getBlockReceipts of the block with the two
// orders.
func tellPairReceipts(edit func([]any)) func(*fixture, *rpctamper.Proxy) {
	return func(fx *fixture, p *rpctamper.Proxy) {
		pair := fx.blockHashNoT(fx.pairBlock)
		p.Set("eth_getBlockReceipts", func(params, result json.RawMessage) json.RawMessage {
			if !bytes.Contains(params, []byte(pair.Hex())) {
				return nil
			}
			var rs []any
			if err := decodeNumbers(result, &rs); err != nil || len(rs) != 2 {
				return nil
			}
			edit(rs)
			out, _ := json.Marshal(rs)
			return out
		})
	}
}

func decodeNumbers(raw json.RawMessage, v any) error {
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	return d.Decode(v)
}

func clone(m map[string]any) map[string]any {
	b, _ := json.Marshal(m)
	var c map[string]any
	decodeNumbers(b, &c)
	return c
}

// isLog reports whether l (a JSON log) is the log of tx.
func (fx *fixture) isLog(l any, tx common.Hash) bool {
	m, _ := l.(map[string]any)
	s, _ := m["transactionHash"].(string)
	return strings.EqualFold(s, tx.Hex())
}

// flipHex changes one hex digit in the middle of a 0x string.
func flipHex(v any) string {
	s := v.(string)
	i := 2 + (len(s)-2)/2
	b := []byte(s)
	if b[i] == '0' {
		b[i] = '1'
	} else {
		b[i] = '0'
	}
	return string(b)
}

func addHex(v any, d int64) string {
	n, err := hexutil.DecodeBig(v.(string))
	if err != nil {
		panic(err)
	}
	return hexutil.EncodeBig(n.Add(n, big.NewInt(d)))
}

func quote(s string) json.RawMessage { b, _ := json.Marshal(s); return b }

func unquote(raw json.RawMessage) string {
	var s string
	json.Unmarshal(raw, &s)
	return s
}

func (fx *fixture) blockHashNoT(n uint64) common.Hash {
	h, err := fx.direct.HeaderByNumber(context.Background(), new(big.Int).SetUint64(n))
	if err != nil {
		panic(err)
	}
	return h.Hash()
}
