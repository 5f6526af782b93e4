package lightchain

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/params"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/hearth-home/hearth/gateway/chain"
	"github.com/hearth-home/hearth/gateway/chain/devchain"
	"github.com/hearth-home/hearth/gateway/chain/link"
	"github.com/hearth-home/hearth/gateway/contracts"
	"github.com/hearth-home/hearth/hearthtest/fakebeacon"
)

// Lie is a row of the tamper table: a lie of the RPC endpoint or of the
// beacon, and what a verified connection must make of it.
type Lie struct {
	Name string
	// Set switches the lie on.
	Set func(h *Harness)
	// Check reads through l with the lie on; nil when the lie was caught
	// as it must be (a typed error, or the true answer, never a wrong
	// one). l is a new connection, synced to a block sealed after Set.
	Check func(ctx context.Context, h *Harness, l *link.Link, s Scene) error
	// OwnLink: Check opens its own connection (the lie is in what Open
	// reads); l is nil.
	OwnLink bool
}

// Honest switches every lie off.
func (h *Harness) Honest() {
	h.Proxy.Clear()
	h.Beacon.Tamper(fakebeacon.None)
	h.Beacon.Freeze(false)
}

// RunLies runs every row of the tamper table as a subtest: the lie is
// caught, and once it is off the same connection reads honestly again.
// It returns how many rows caught their lie.
func (h *Harness) RunLies(t *testing.T, s Scene) (caught, total int) {
	for _, lie := range Lies() {
		total++
		ok := t.Run(lie.Name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			defer h.Honest()
			var l *link.Link
			if !lie.OwnLink {
				l = h.Open(t, nil)
			}
			lie.Set(h)
			h.Chain.Commit()
			if l != nil {
				l.Light.Sync(ctx) // a beacon lie fails here; its row checks
			}
			if err := lie.Check(ctx, h, l, s); err != nil {
				t.Fatalf("lie not caught: %v", err)
			}
			h.Honest()
			if l == nil {
				l = h.Open(t, nil)
			}
			if err := h.honestRead(ctx, l); err != nil {
				t.Fatalf("honest again: %v", err)
			}
		})
		if ok {
			caught++
		}
	}
	return caught, total
}

// honestRead seals a block and reads it and a balance through l.
func (h *Harness) honestRead(ctx context.Context, l *link.Link) error {
	h.Chain.Commit()
	if err := l.Light.Sync(ctx); err != nil {
		return err
	}
	want, err := h.Chain.Client().BlockNumber(ctx)
	if err != nil {
		return err
	}
	if n, err := l.Backend.BlockNumber(ctx); err != nil || n != want {
		return fmt.Errorf("block number %d, %v; want %d", n, err, want)
	}
	req := devchain.DevAddress("requester")
	got, err := l.Backend.BalanceAt(ctx, req, nil)
	if err != nil {
		return err
	}
	if w, _ := h.Chain.Client().BalanceAt(ctx, req, nil); got.Cmp(w) != 0 {
		return fmt.Errorf("balance %s, want %s", got, w)
	}
	return nil
}

func unverified(what string, err error) error {
	if errors.Is(err, chain.ErrUnverified) {
		return nil
	}
	return fmt.Errorf("%s: %v, want chain.ErrUnverified", what, err)
}

// rewriteJSON rewrites method's result as a JSON object or array.
func (h *Harness) rewriteJSON(method string, edit func(params []any, v any) any) {
	h.Proxy.Set(method, func(params, result json.RawMessage) json.RawMessage {
		var p []any
		json.Unmarshal(params, &p)
		var v any
		if err := json.Unmarshal(result, &v); err != nil || v == nil {
			return nil
		}
		out, err := json.Marshal(edit(p, v))
		if err != nil {
			return nil
		}
		return out
	})
}

// plusOne adds one to a hex quantity.
func plusOne(v any) string {
	n, _ := hexutil.DecodeBig(v.(string))
	return hexutil.EncodeBig(new(big.Int).Add(n, big.NewInt(1)))
}

// upstream calls the dev chain honestly, for lies made of true answers.
func (h *Harness) upstream(method string, out any, args ...any) {
	c, err := rpc.Dial(h.Chain.URL())
	if err != nil {
		return
	}
	defer c.Close()
	c.Call(out, method, args...)
}

var requester = devchain.DevAddress("requester")

func (h *Harness) checkBalance(ctx context.Context, l *link.Link) error {
	_, err := l.Backend.BalanceAt(ctx, requester, nil)
	return unverified("balance", err)
}

func (h *Harness) checkOrderCount(ctx context.Context, l *link.Link, s Scene) error {
	v, err := l.Backend.(storageReader).StorageAt(ctx, h.Contract, common.Hash{}, nil)
	if err == nil && new(big.Int).SetBytes(v).Uint64() == s.Orders {
		return nil // the true value
	}
	return unverified("order count", err)
}

type storageReader interface {
	StorageAt(ctx context.Context, account common.Address, key common.Hash, blockNumber *big.Int) ([]byte, error)
	CodeAt(ctx context.Context, account common.Address, blockNumber *big.Int) ([]byte, error)
}

// checkGetOrder calls getOrder(1) through l and compares with the chain.
func (h *Harness) checkGetOrder(ctx context.Context, l *link.Link) error {
	abi := contracts.NewHearthMarket()
	msg := ethereum.CallMsg{To: &h.Contract, Data: abi.PackGetOrder(big.NewInt(1))}
	got, err := l.Backend.CallContract(ctx, msg, nil)
	if errors.Is(err, chain.ErrUnverified) {
		return nil
	}
	if err != nil {
		return err
	}
	want, err := h.Chain.Client().CallContract(ctx, msg, nil)
	if err != nil {
		return err
	}
	if !bytes.Equal(got, want) {
		return fmt.Errorf("getOrder(1) = %x, the chain says %x", got, want)
	}
	return nil
}

func (h *Harness) checkReceipt(ctx context.Context, l *link.Link, s Scene) error {
	r, err := l.Backend.TransactionReceipt(ctx, s.Pair[0])
	if err != nil {
		return unverified("receipt", err)
	}
	want, err := h.Chain.Client().TransactionReceipt(ctx, s.Pair[0])
	if err != nil {
		return err
	}
	if r.Status != want.Status || len(r.Logs) != len(want.Logs) || r.CumulativeGasUsed != want.CumulativeGasUsed {
		return fmt.Errorf("receipt of %s: status %d, %d logs; the chain says %d, %d logs", s.Pair[0], r.Status, len(r.Logs), want.Status, len(want.Logs))
	}
	for i := range r.Logs {
		if !bytes.Equal(r.Logs[i].Data, want.Logs[i].Data) || !slices.Equal(r.Logs[i].Topics, want.Logs[i].Topics) {
			return fmt.Errorf("receipt of %s: log %d differs from the chain's", s.Pair[0], i)
		}
	}
	return nil
}

// checkLogs reads the pair's OrderPosted logs through l: exactly the
// chain's, or an error; never one that is not on chain.
func (h *Harness) checkLogs(ctx context.Context, l *link.Link, s Scene) error {
	posted := contracts.NewHearthMarket().GetABI().Events["OrderPosted"].ID
	q := ethereum.FilterQuery{FromBlock: new(big.Int).SetUint64(s.PairBlock), ToBlock: new(big.Int).SetUint64(s.PairBlock),
		Addresses: []common.Address{h.Contract}, Topics: [][]common.Hash{{posted}}}
	got, err := l.Backend.FilterLogs(ctx, q)
	if err != nil {
		return unverified("logs", err)
	}
	want, err := h.Chain.Client().FilterLogs(ctx, q)
	if err != nil {
		return err
	}
	if len(got) != len(want) {
		return fmt.Errorf("%d logs, the chain has %d", len(got), len(want))
	}
	for i := range got {
		if !bytes.Equal(got[i].Data, want[i].Data) || !slices.Equal(got[i].Topics, want[i].Topics) || got[i].TxHash != want[i].TxHash {
			return fmt.Errorf("log %d differs from the chain's", i)
		}
	}
	return nil
}

func (h *Harness) checkBeacon(ctx context.Context, l *link.Link) error {
	err := l.Light.Sync(ctx)
	if !errors.Is(err, chain.ErrUnverified) {
		return fmt.Errorf("sync: %v, want chain.ErrUnverified", err)
	}
	n, err := l.Backend.BlockNumber(ctx)
	if err != nil {
		return err
	}
	if head, _ := h.Chain.Client().BlockNumber(ctx); n >= head {
		return fmt.Errorf("verified head moved to %d, the block sealed under the lie", n)
	}
	return nil
}

func proofEdit(edit func(m map[string]any)) func(_ []any, v any) any {
	return func(_ []any, v any) any {
		m, ok := v.(map[string]any)
		if ok {
			edit(m)
		}
		return v
	}
}

// flip changes a byte in the middle of a hex string.
func flip(s string) string {
	b := []byte(s)
	i := len(b) / 2
	if b[i] == '0' {
		b[i] = '1'
	} else {
		b[i] = '0'
	}
	return string(b)
}

// Lies is the tamper table: lightclient.md section 4, every row.
func Lies() []Lie {
	return []Lie{
		{Name: "getProof/balance", Set: func(h *Harness) {
			h.rewriteJSON("eth_getProof", proofEdit(func(m map[string]any) { m["balance"] = plusOne(m["balance"]) }))
		}, Check: func(ctx context.Context, h *Harness, l *link.Link, _ Scene) error { return h.checkBalance(ctx, l) }},
		{Name: "getProof/nonce", Set: func(h *Harness) {
			h.rewriteJSON("eth_getProof", proofEdit(func(m map[string]any) { m["nonce"] = plusOne(m["nonce"]) }))
		}, Check: func(ctx context.Context, h *Harness, l *link.Link, _ Scene) error {
			_, err := l.Backend.NonceAt(ctx, requester, nil)
			return unverified("nonce", err)
		}},
		{Name: "getProof/storage-value", Set: func(h *Harness) {
			h.rewriteJSON("eth_getProof", proofEdit(func(m map[string]any) {
				for _, sp := range m["storageProof"].([]any) {
					sp.(map[string]any)["value"] = plusOne(sp.(map[string]any)["value"])
				}
			}))
		}, Check: func(ctx context.Context, h *Harness, l *link.Link, s Scene) error {
			v, err := l.Backend.(storageReader).StorageAt(ctx, h.Contract, common.Hash{}, nil)
			if err == nil {
				return fmt.Errorf("order count %x accepted from an edited proof", v)
			}
			return unverified("order count", err)
		}},
		{Name: "getProof/node-byte", Set: func(h *Harness) {
			h.rewriteJSON("eth_getProof", proofEdit(func(m map[string]any) {
				nodes := m["accountProof"].([]any)
				nodes[len(nodes)-1] = flip(nodes[len(nodes)-1].(string))
			}))
		}, Check: func(ctx context.Context, h *Harness, l *link.Link, _ Scene) error { return h.checkBalance(ctx, l) }},
		{Name: "getProof/older-block", Set: func(h *Harness) {
			h.rewriteJSON("eth_getProof", func(p []any, v any) any {
				var old any
				h.upstream("eth_getProof", &old, p[0], p[1], "0x2")
				return old
			})
		}, Check: func(ctx context.Context, h *Harness, l *link.Link, s Scene) error {
			return h.checkOrderCount(ctx, l, s)
		}},
		{Name: "getProof/storage-truncated", Set: func(h *Harness) {
			h.rewriteJSON("eth_getProof", proofEdit(func(m map[string]any) {
				for _, sp := range m["storageProof"].([]any) {
					if p := sp.(map[string]any)["proof"].([]any); len(p) > 0 {
						sp.(map[string]any)["proof"] = p[:len(p)-1]
					}
				}
			}))
		}, Check: func(ctx context.Context, h *Harness, l *link.Link, s Scene) error {
			return h.checkOrderCount(ctx, l, s)
		}},
		{Name: "getProof/other-slot", Set: func(h *Harness) {
			h.rewriteJSON("eth_getProof", func(p []any, v any) any {
				var other map[string]any
				h.upstream("eth_getProof", &other, p[0], []string{common.BigToHash(big.NewInt(2)).Hex()}, p[2])
				if other == nil {
					return v
				}
				asked := p[1].([]any)
				for i, sp := range other["storageProof"].([]any) {
					if i < len(asked) {
						sp.(map[string]any)["key"] = asked[i]
					}
				}
				return other
			})
		}, Check: func(ctx context.Context, h *Harness, l *link.Link, s Scene) error {
			return h.checkOrderCount(ctx, l, s)
		}},
		{Name: "getBlockByHash/stateRoot", Set: func(h *Harness) {
			h.rewriteJSON("eth_getBlockByHash", proofEdit(func(m map[string]any) { m["stateRoot"] = flip(m["stateRoot"].(string)) }))
		}, Check: func(ctx context.Context, h *Harness, l *link.Link, _ Scene) error { return h.checkBalance(ctx, l) }},
		{Name: "getBlockByHash/receiptsRoot", Set: func(h *Harness) {
			h.rewriteJSON("eth_getBlockByHash", proofEdit(func(m map[string]any) { m["receiptsRoot"] = flip(m["receiptsRoot"].(string)) }))
		}, Check: func(ctx context.Context, h *Harness, l *link.Link, _ Scene) error { return h.checkBalance(ctx, l) }},
		{Name: "getBlockByHash/other-block", Set: func(h *Harness) {
			h.rewriteJSON("eth_getBlockByHash", func(p []any, v any) any {
				var parent any
				h.upstream("eth_getBlockByHash", &parent, v.(map[string]any)["parentHash"], p[1])
				return parent
			})
		}, Check: func(ctx context.Context, h *Harness, l *link.Link, _ Scene) error { return h.checkBalance(ctx, l) }},
		{Name: "blockNumber/plus-5", Set: func(h *Harness) {
			h.rewriteJSON("eth_blockNumber", func(_ []any, v any) any {
				n, _ := hexutil.DecodeUint64(v.(string))
				return hexutil.EncodeUint64(n + 5)
			})
		}, Check: func(ctx context.Context, h *Harness, l *link.Link, _ Scene) error {
			n, err := l.Backend.BlockNumber(ctx)
			want, _ := h.Chain.Client().BlockNumber(ctx)
			if err != nil || n != want {
				return fmt.Errorf("block number %d, %v; the verified head is %d", n, err, want)
			}
			return nil
		}},
		{Name: "getCode/altered", Set: func(h *Harness) {
			h.rewriteJSON("eth_getCode", func(_ []any, v any) any { return v.(string) + "00" })
		}, Check: func(ctx context.Context, h *Harness, l *link.Link, _ Scene) error {
			code, err := l.Backend.(storageReader).CodeAt(ctx, h.Contract, nil)
			if err != nil {
				return unverified("code", err)
			}
			if want, _ := h.Chain.Client().CodeAt(ctx, h.Contract, nil); !bytes.Equal(code, want) {
				return errors.New("altered code accepted")
			}
			return nil
		}},
		{Name: "createAccessList/omits-slots", Set: func(h *Harness) {
			h.rewriteJSON("eth_createAccessList", proofEdit(func(m map[string]any) { m["accessList"] = []any{} }))
		}, Check: func(ctx context.Context, h *Harness, l *link.Link, _ Scene) error { return h.checkGetOrder(ctx, l) }},
		{Name: "call/altered", Set: func(h *Harness) {
			h.Proxy.Set("eth_call", func(_, _ json.RawMessage) json.RawMessage {
				return json.RawMessage(`"0x` + strings.Repeat("11", 320) + `"`)
			})
		}, Check: func(ctx context.Context, h *Harness, l *link.Link, _ Scene) error { return h.checkGetOrder(ctx, l) }},
		{Name: "getBlockReceipts/status", Set: func(h *Harness) {
			h.rewriteJSON("eth_getBlockReceipts", func(_ []any, v any) any {
				for _, r := range v.([]any) {
					if r.(map[string]any)["status"] == "0x1" {
						r.(map[string]any)["status"] = "0x0"
					} else {
						r.(map[string]any)["status"] = "0x1"
					}
				}
				return v
			})
		}, Check: func(ctx context.Context, h *Harness, l *link.Link, s Scene) error { return h.checkReceipt(ctx, l, s) }},
		{Name: "getBlockReceipts/log-data", Set: func(h *Harness) {
			h.rewriteJSON("eth_getBlockReceipts", func(_ []any, v any) any {
				for _, r := range v.([]any) {
					for _, lg := range r.(map[string]any)["logs"].([]any) {
						lg.(map[string]any)["data"] = flip(lg.(map[string]any)["data"].(string))
					}
				}
				return v
			})
		}, Check: func(ctx context.Context, h *Harness, l *link.Link, s Scene) error { return h.checkReceipt(ctx, l, s) }},
		{Name: "getBlockReceipts/log-dropped", Set: func(h *Harness) {
			h.rewriteJSON("eth_getBlockReceipts", func(_ []any, v any) any {
				for _, r := range v.([]any) {
					if logs := r.(map[string]any)["logs"].([]any); len(logs) > 0 {
						r.(map[string]any)["logs"] = logs[1:]
					}
				}
				return v
			})
		}, Check: func(ctx context.Context, h *Harness, l *link.Link, s Scene) error { return h.checkReceipt(ctx, l, s) }},
		{Name: "getBlockReceipts/log-added", Set: func(h *Harness) {
			h.rewriteJSON("eth_getBlockReceipts", func(_ []any, v any) any {
				for _, r := range v.([]any) {
					if logs := r.(map[string]any)["logs"].([]any); len(logs) > 0 {
						r.(map[string]any)["logs"] = append(logs, logs[0])
					}
				}
				return v
			})
		}, Check: func(ctx context.Context, h *Harness, l *link.Link, s Scene) error { return h.checkReceipt(ctx, l, s) }},
		{Name: "getBlockReceipts/reordered", Set: func(h *Harness) {
			h.rewriteJSON("eth_getBlockReceipts", func(_ []any, v any) any {
				rs := v.([]any)
				slices.Reverse(rs)
				return rs
			})
		}, Check: func(ctx context.Context, h *Harness, l *link.Link, s Scene) error { return h.checkReceipt(ctx, l, s) }},
		{Name: "getBlockReceipts/labels-swapped", Set: func(h *Harness) {
			h.rewriteJSON("eth_getBlockReceipts", func(_ []any, v any) any {
				rs := v.([]any)
				if len(rs) >= 2 {
					a, b := rs[0].(map[string]any), rs[1].(map[string]any)
					a["transactionHash"], b["transactionHash"] = b["transactionHash"], a["transactionHash"]
				}
				return rs
			})
		}, Check: func(ctx context.Context, h *Harness, l *link.Link, s Scene) error { return h.checkReceipt(ctx, l, s) }},
		{Name: "getLogs/order-dropped", Set: func(h *Harness) {
			h.rewriteJSON("eth_getLogs", func(_ []any, v any) any {
				if logs := v.([]any); len(logs) > 0 {
					return logs[1:]
				}
				return v
			})
		}, Check: func(ctx context.Context, h *Harness, l *link.Link, s Scene) error { return h.checkLogs(ctx, l, s) }},
		{Name: "getLogs/order-forged", Set: func(h *Harness) {
			h.rewriteJSON("eth_getLogs", func(_ []any, v any) any {
				for _, lg := range v.([]any) {
					lg.(map[string]any)["data"] = flip(lg.(map[string]any)["data"].(string))
				}
				return v
			})
		}, Check: func(ctx context.Context, h *Harness, l *link.Link, s Scene) error { return h.checkLogs(ctx, l, s) }},
		{Name: "chainId/differs", OwnLink: true, Set: func(h *Harness) {
			h.Proxy.Set("eth_chainId", func(_, _ json.RawMessage) json.RawMessage { return json.RawMessage(`"0xaa36a7"`) })
		}, Check: func(ctx context.Context, h *Harness, _ *link.Link, _ Scene) error {
			l, err := link.Open(ctx, h.LinkConfig(nil))
			if err == nil {
				l.Close()
				return errors.New("a connection opened on an endpoint of another chain")
			}
			if !errors.Is(err, chain.ErrWrongChain) {
				return fmt.Errorf("open: %v, want chain.ErrWrongChain", err)
			}
			return nil
		}},
		{Name: "estimateGas/30M", Set: func(h *Harness) {
			h.Proxy.Set("eth_estimateGas", func(_, _ json.RawMessage) json.RawMessage { return json.RawMessage(`"0x1c9c380"`) })
		}, Check: func(ctx context.Context, h *Harness, l *link.Link, _ Scene) error {
			g, err := l.Backend.EstimateGas(ctx, ethereum.CallMsg{From: requester, To: &h.Contract, Data: contracts.NewHearthMarket().PackDeposit(), Value: big.NewInt(1)})
			if err == nil {
				return fmt.Errorf("estimate %d accepted", g)
			}
			return nil
		}},
		{Name: "maxPriorityFeePerGas/1000gwei", Set: func(h *Harness) {
			h.Proxy.Set("eth_maxPriorityFeePerGas", func(_, _ json.RawMessage) json.RawMessage {
				return json.RawMessage(`"` + hexutil.EncodeBig(new(big.Int).Mul(big.NewInt(1000), big.NewInt(params.GWei))) + `"`)
			})
		}, Check: func(ctx context.Context, h *Harness, l *link.Link, _ Scene) error {
			tip, err := l.Backend.SuggestGasTipCap(ctx)
			if err != nil {
				return err
			}
			if tip.Cmp(big.NewInt(10*params.GWei)) > 0 {
				return fmt.Errorf("tip %s wei above the 10 gwei cap", tip)
			}
			return nil
		}},
		{Name: "sendRawTransaction/swallowed", OwnLink: true, Set: func(h *Harness) {
			h.Proxy.Swallow("eth_sendRawTransaction")
		}, Check: func(ctx context.Context, h *Harness, _ *link.Link, _ Scene) error {
			cfg := h.LinkConfig(nil)
			cfg.RPC = append(cfg.RPC, h.Chain.URL()) // a second endpoint
			l, err := link.Open(ctx, cfg)
			if err != nil {
				return err
			}
			defer l.Close()
			key := devchain.DevKey("requester")
			nonce, err := l.Backend.PendingNonceAt(ctx, requester)
			if err != nil {
				return err
			}
			head, err := h.Chain.Client().HeaderByNumber(ctx, nil)
			if err != nil {
				return err
			}
			tip := big.NewInt(params.GWei)
			tx := types.MustSignNewTx(key, types.LatestSignerForChainID(h.Chain.ChainID()), &types.DynamicFeeTx{
				ChainID: h.Chain.ChainID(), Nonce: nonce, GasTipCap: tip, GasFeeCap: new(big.Int).Add(tip, new(big.Int).Mul(head.BaseFee, big.NewInt(2))),
				Gas: 21000, To: &requester, Value: big.NewInt(1)})
			if err := l.Backend.SendTransaction(ctx, tx); err != nil {
				return err
			}
			if _, err := h.Mine(tx.Hash()); err != nil {
				return fmt.Errorf("a transaction swallowed by one endpoint was not mined through the other: %w", err)
			}
			return nil
		}},
		beaconLie("beacon/341-signers", fakebeacon.FewSigners),
		beaconLie("beacon/wrong-keys", fakebeacon.WrongKeys),
		beaconLie("beacon/payload-swapped", fakebeacon.SwappedPayload),
		beaconLie("beacon/future-slot", fakebeacon.FutureSlot),
		{Name: "beacon/bootstrap-root", OwnLink: true, Set: func(h *Harness) { h.Beacon.Tamper(fakebeacon.BadBootstrap) },
			Check: func(ctx context.Context, h *Harness, _ *link.Link, _ Scene) error { return h.openFails(ctx) }},
		{Name: "beacon/bootstrap-committee", OwnLink: true, Set: func(h *Harness) { h.Beacon.Tamper(fakebeacon.BadCommitteeBranch) },
			Check: func(ctx context.Context, h *Harness, _ *link.Link, _ Scene) error { return h.openFails(ctx) }},
		{Name: "beacon/stale-head", Set: func(h *Harness) { h.Beacon.Freeze(true) },
			Check: func(ctx context.Context, h *Harness, l *link.Link, _ Scene) error {
				for range 11 { // 132 s of slots with no new signed head
					h.Chain.Commit()
				}
				l.Light.Sync(ctx)
				if _, err := l.Backend.BlockNumber(ctx); !errors.Is(err, chain.ErrStale) {
					return fmt.Errorf("read on a stale head: %v, want chain.ErrStale", err)
				}
				return nil
			}},
		// A client started in the checkpoint's period needs that period's
		// update for the next committee: the lie is there.
		{Name: "beacon/foreign-committee", OwnLink: true, Set: func(h *Harness) { h.Beacon.Tamper(fakebeacon.ForeignCommittee) },
			Check: func(ctx context.Context, h *Harness, _ *link.Link, _ Scene) error {
				for {
					n, err := h.Chain.Client().BlockNumber(ctx)
					if err != nil {
						return err
					}
					if (h.Beacon.BaseSlot()+n)/syncPeriod > (h.Beacon.BaseSlot()+h.CheckpointBlock)/syncPeriod {
						break
					}
					h.Chain.Commit()
				}
				return h.openFails(ctx)
			}},
	}
}

func beaconLie(name string, t fakebeacon.Tamper) Lie {
	return Lie{Name: name, Set: func(h *Harness) { h.Beacon.Tamper(t) },
		Check: func(ctx context.Context, h *Harness, l *link.Link, _ Scene) error { return h.checkBeacon(ctx, l) }}
}

func (h *Harness) openFails(ctx context.Context) error {
	l, err := link.Open(ctx, h.LinkConfig(nil))
	if err == nil {
		l.Close()
		return errors.New("a connection opened from a lying bootstrap")
	}
	return unverified("open", err)
}

// syncPeriod is the slots of a sync committee period.
const syncPeriod = 8192
