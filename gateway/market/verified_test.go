package market_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math/big"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/gateway/chain"
	"github.com/hearth-home/hearth/gateway/chain/devchain"
	"github.com/hearth-home/hearth/gateway/contracts"
	"github.com/hearth-home/hearth/gateway/market"
	"github.com/hearth-home/hearth/hearthtest/lightchain"
	"github.com/hearth-home/hearth/store"
)

// newVerifiedRig is a rig whose market reads the chain through a light
// client of a fake beacon and a JSON-RPC proxy that lies on demand: a
// gateway configured for Sepolia, replayed offline.
func newVerifiedRig(t *testing.T, cfg market.Config) (*rig, *lightchain.Harness) {
	t.Helper()
	h := lightchain.Start(t, lightchain.Options{BlockInterval: 50 * time.Millisecond, IdleBlocks: 250 * time.Millisecond})
	r := &rig{t: t, prov: devchain.DevKey("provider"), req: devchain.DevKey("requester"), abi: contracts.NewHearthMarket(),
		chain: h.Chain, contract: h.Contract}
	r.dial()
	cfg.FromBlock = h.FromBlock
	r.startMarket(cfg, func(db *store.DB) chain.Backend {
		l := h.Open(t, db)
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- l.Run(ctx) }()
		t.Cleanup(func() {
			cancel()
			<-done
		})
		return l.Backend
	}, nil)
	return r, h
}

// logsWithout is an eth_getLogs rewrite that leaves out the OrderPosted
// logs for which drop is true.
func logsWithout(drop func(params json.RawMessage, l types.Log) bool) func(params, result json.RawMessage) json.RawMessage {
	posted := contracts.NewHearthMarket().GetABI().Events["OrderPosted"].ID
	return func(params, result json.RawMessage) json.RawMessage {
		var logs []types.Log
		if err := json.Unmarshal(result, &logs); err != nil {
			return nil
		}
		var keep []types.Log
		for _, l := range logs {
			if len(l.Topics) > 0 && l.Topics[0] == posted && drop(params, l) {
				continue
			}
			keep = append(keep, l)
		}
		out, _ := json.Marshal(keep)
		if keep == nil {
			out = []byte("[]")
		}
		return out
	}
}

// editPosted is an eth_getLogs rewrite that edits every OrderPosted log.
func editPosted(edit func(*types.Log)) func(params, result json.RawMessage) json.RawMessage {
	posted := contracts.NewHearthMarket().GetABI().Events["OrderPosted"].ID
	return func(params, result json.RawMessage) json.RawMessage {
		var logs []types.Log
		if err := json.Unmarshal(result, &logs); err != nil {
			return nil
		}
		for i := range logs {
			if len(logs[i].Topics) > 0 && logs[i].Topics[0] == posted {
				edit(&logs[i])
			}
		}
		out, _ := json.Marshal(logs)
		return out
	}
}

// The market runs an order end to end on verified reads only: seen,
// accepted on a fresh head, run, and settled once its acceptance is final.
func TestVerifiedOrderRunsAndSettles(t *testing.T) {
	r, _ := newVerifiedRig(t, market.Config{})
	if info := r.m.Info(); info.ChainMode != string(chain.ModeVerified) || info.Warning != "" {
		t.Fatalf("market info: mode %q, warning %q; want verified, none", info.ChainMode, info.Warning)
	}
	id := r.post(order{price: 1000, tasks: 2})
	o := r.wait(id, 90*time.Second)
	if o.State != api.OrderSettled {
		t.Fatalf("order %d: %s (%s), want settled", id, o.State, o.Reason)
	}
	if c := r.onChain(id); c.Status != contracts.StatusSettled || c.TasksDone.Int64() != 2 {
		t.Fatalf("on chain: status %d, %d tasks done; want settled, 2", c.Status, c.TasksDone.Int64())
	}
	// The gap scan reads orderCount as storage slot 0.
	slot0, err := r.client.StorageAt(context.Background(), r.contract, common.Hash{}, nil)
	if err != nil || new(big.Int).SetBytes(slot0).Uint64() != id {
		t.Fatalf("storage slot 0 = %x, %v; want the order count %d", slot0, err, id)
	}
	if o.SettledBlock < o.AcceptedBlock+2 {
		t.Errorf("settled in block %d, accepted in %d: settlement must wait for the acceptance to be final (2 blocks here)", o.SettledBlock, o.AcceptedBlock)
	}
}

// An OrderPosted log that the RPC endpoint forges is never acted on; one
// it hides from range queries is found through the contract's order count
// and run.
func TestVerifiedMarketIgnoresLyingLogs(t *testing.T) {
	logs := &testWriter{t: t}
	r, h := newVerifiedRig(t, market.Config{Logger: slog.New(slog.NewTextHandler(logs, nil))})
	// Forged: every OrderPosted log served has other args. The verified
	// reader returns only the logs of the block's verified receipts: the
	// true one.
	h.Proxy.Set("eth_getLogs", editPosted(func(l *types.Log) {
		// The last non-zero byte of the data is in the args' strings.
		for i := len(l.Data) - 1; i >= 0; i-- {
			if l.Data[i] != 0 {
				l.Data[i]++
				return
			}
		}
	}))
	id := r.post(order{price: 1000, tasks: 1})
	o := r.wait(id, 90*time.Second)
	if o.State != api.OrderSettled || !slices.Equal(o.Args, vanityArgs) {
		t.Fatalf("order %d from forged logs: %s (%s), args %q; want settled with the posted args %q", id, o.State, o.Reason, o.Args, vanityArgs)
	}
	// Hidden from range queries only: the order count shows a gap and the
	// query by ID finds it.
	idTopic := common.BigToHash(new(big.Int).SetUint64(id + 1)).Hex()
	h.Proxy.Set("eth_getLogs", logsWithout(func(params json.RawMessage, l types.Log) bool {
		return !strings.Contains(strings.ToLower(string(params)), strings.ToLower(idTopic))
	}))
	id2 := r.post(order{price: 1000, tasks: 1})
	if id2 != id+1 {
		t.Fatalf("second order %d, want %d", id2, id+1)
	}
	if o := r.wait(id2, 90*time.Second); o.State != api.OrderSettled {
		t.Fatalf("order %d, hidden from range queries: %s (%s), want settled", id2, o.State, o.Reason)
	}
	if !logs.has(fmt.Sprintf("msg=\"order found through the contract's order count\" order=%d", id2)) {
		t.Errorf("order %d was not found through the order count gap", id2)
	}
}

// Without fresh verified heads the market pauses accepting, says why, and
// loses nothing: it accepts once heads come again.
func TestVerifiedMarketPausesOnStaleHead(t *testing.T) {
	r, h := newVerifiedRig(t, market.Config{Logger: slog.New(slog.NewTextHandler(&testWriter{t: t}, nil))})
	// Frozen, the beacon signs no new head while the chain goes on (an
	// idle block every 250 ms, 12 s of slots each): after 2 s the head is
	// over a minute old.
	h.Beacon.Freeze(true)
	id := r.post(order{price: 1000, tasks: 1})
	time.Sleep(2 * time.Second)
	if info := r.m.Info(); info.Paused == "" {
		t.Fatal("market info does not say that accepting is paused")
	}
	if c := r.onChain(id); c.Status != contracts.StatusOpen {
		t.Fatalf("order %d accepted on a stale head (status %d)", id, c.Status)
	}
	h.Beacon.Freeze(false)
	if o := r.wait(id, 90*time.Second); o.State != api.OrderSettled {
		t.Fatalf("order %d after heads came back: %s (%s), want settled", id, o.State, o.Reason)
	}
	if info := r.m.Info(); info.Paused != "" {
		t.Fatalf("still paused: %s", info.Paused)
	}
}

// testWriter logs to the test and keeps what it logged.
type testWriter struct {
	t   *testing.T
	mu  sync.Mutex
	all strings.Builder
}

func (w *testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.all.Write(p)
}

func (w *testWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.all.String()
}

func (w *testWriter) has(s string) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return strings.Contains(w.all.String(), s)
}

// Under an endpoint whose proofs or receipts lie, the market makes no
// decision on them: with lying proofs an order is not accepted; with lying
// receipts an acceptance that was mined is not believed, so its job does
// not start. Once the endpoint is honest the order runs and settles.
func TestVerifiedMarketDecidesNothingOnLies(t *testing.T) {
	r, h := newVerifiedRig(t, market.Config{})
	// A first order, on honest answers: the provider is registered.
	if o := r.wait(r.post(order{price: 1000, tasks: 1}), 90*time.Second); o.State != api.OrderSettled {
		t.Fatalf("first order: %s (%s)", o.State, o.Reason)
	}
	h.Proxy.Set("eth_getProof", func(_, result json.RawMessage) json.RawMessage {
		var p map[string]any
		if json.Unmarshal(result, &p) != nil {
			return nil
		}
		p["nonce"] = "0x12345"
		out, _ := json.Marshal(p)
		return out
	})
	id := r.post(order{price: 1000, tasks: 1})
	time.Sleep(2 * time.Second)
	if c := r.onChain(id); c.Status != contracts.StatusOpen {
		t.Fatalf("order %d accepted (status %d) while every proof lied", id, c.Status)
	}
	if o, err := r.m.Order(id); err == nil && o.State != api.OrderSeen {
		t.Fatalf("order %d: %s while every proof lied, want seen", id, o.State)
	}

	// The provider's receipts lie from now on (the requester's, which
	// carry the order's log, do not); then the proofs are honest again.
	provider := strings.ToLower(devchain.DevAddress("provider").Hex())
	h.Proxy.Set("eth_getBlockReceipts", func(_, result json.RawMessage) json.RawMessage {
		var rs []map[string]any
		if json.Unmarshal(result, &rs) != nil {
			return nil
		}
		for _, rc := range rs {
			if from, _ := rc["from"].(string); strings.ToLower(from) == provider {
				if rc["status"] == "0x1" {
					rc["status"] = "0x0"
				} else {
					rc["status"] = "0x1"
				}
			}
		}
		out, _ := json.Marshal(rs)
		return out
	})
	h.Proxy.Set("eth_getProof", nil)
	r.waitFor(id, "accepting", 60*time.Second, func(o api.MarketOrder) bool { return o.State == api.OrderAccepting })
	deadline := time.Now().Add(30 * time.Second)
	for r.onChain(id).Status != contracts.StatusAccepted {
		if time.Now().After(deadline) {
			t.Fatalf("order %d: the acceptance was not mined", id)
		}
		time.Sleep(100 * time.Millisecond)
	}
	time.Sleep(2 * time.Second)
	if o, _ := r.m.Order(id); o.State != api.OrderAccepting || o.Job != "" {
		t.Fatalf("order %d: %s, job %q, on a receipt that did not verify; want accepting, no job", id, o.State, o.Job)
	}

	h.Proxy.Clear()
	if o := r.wait(id, 90*time.Second); o.State != api.OrderSettled {
		t.Fatalf("order %d once the endpoint is honest: %s (%s), want settled", id, o.State, o.Reason)
	}
}
