package lightchain

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/params"

	"github.com/hearth-home/hearth/gateway/chain/devchain"
	"github.com/hearth-home/hearth/gateway/chain/link"
	"github.com/hearth-home/hearth/gateway/contracts"
)

// Scene is what the tamper table reads: two orders posted in one block
// (two transactions with logs), then one more block on top.
type Scene struct {
	// Pair are the two posting transactions, in block PairBlock.
	Pair      [2]common.Hash
	PairBlock uint64
	// Orders is the order count after them.
	Orders uint64
}

// Send signs a call of the market from key and hands it to the chain
// directly; Commit or the sealer mines it.
func (h *Harness) Send(key *ecdsa.PrivateKey, value *big.Int, data []byte) (common.Hash, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c := h.Chain.Client()
	from := crypto.PubkeyToAddress(key.PublicKey)
	h.sentMu.Lock()
	defer h.sentMu.Unlock()
	nonce, err := c.PendingNonceAt(ctx, from)
	if err != nil {
		return common.Hash{}, err
	}
	// Under load the pool may not count the transaction sent just before
	// yet: a second one with its nonce would replace it, underpriced.
	nonce = max(nonce, h.sent[from])
	if value == nil {
		value = new(big.Int)
	}
	gas, err := c.EstimateGas(ctx, ethereum.CallMsg{From: from, To: &h.Contract, Value: value, Data: data})
	if err != nil {
		return common.Hash{}, fmt.Errorf("estimate: %w", err)
	}
	head, err := c.HeaderByNumber(ctx, nil)
	if err != nil {
		return common.Hash{}, err
	}
	tip := big.NewInt(params.GWei)
	tx := types.MustSignNewTx(key, types.LatestSignerForChainID(h.Chain.ChainID()), &types.DynamicFeeTx{
		ChainID: h.Chain.ChainID(), Nonce: nonce, GasTipCap: tip, GasFeeCap: new(big.Int).Add(tip, new(big.Int).Mul(head.BaseFee, big.NewInt(2))),
		Gas: gas * 12 / 10, To: &h.Contract, Value: value, Data: data})
	if err := c.SendTransaction(ctx, tx); err != nil {
		return common.Hash{}, err
	}
	if h.sent == nil {
		h.sent = map[common.Address]uint64{}
	}
	h.sent[from] = nonce + 1
	return tx.Hash(), nil
}

// Mine seals blocks until every one of txs is mined, after waiting for
// the transaction pool to hold them all (so that txs sent together share a
// block), and returns the block of the last.
func (h *Harness) Mine(txs ...common.Hash) (uint64, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c := h.Chain.Client()
	for _, tx := range txs {
		for {
			_, pending, err := c.TransactionByHash(ctx, tx)
			if err == nil && pending {
				break
			}
			select {
			case <-ctx.Done():
				return 0, fmt.Errorf("transaction %s never reached the pool: %w", tx, err)
			case <-time.After(5 * time.Millisecond):
			}
		}
	}
	var block uint64
	for _, tx := range txs {
		for {
			r, err := c.TransactionReceipt(ctx, tx)
			if err == nil {
				block = r.BlockNumber.Uint64()
				break
			}
			if ctx.Err() != nil {
				return 0, fmt.Errorf("transaction %s not mined: %w", tx, err)
			}
			h.Chain.Commit()
		}
	}
	return block, nil
}

// PostOrder is the call data of an order open to any provider, due an
// hour after deadlineFrom (the chain's time: a dev chain sealed fast runs
// ahead of the clock).
func PostOrder(deadlineFrom uint64, tasks int64, args ...string) []byte {
	return contracts.NewHearthMarket().PackPostOrder(common.Address{}, [32]byte{1}, "https://example.org/app.wasm", contracts.RuntimeWasm,
		[][32]byte{{2}}, args, big.NewInt(tasks), big.NewInt(1000), new(big.Int).SetUint64(deadlineFrom+3600))
}

// SetScene deposits for the requester, posts two orders in one block and
// seals one more, syncing l to the new head. The dev chain must seal only
// on Commit (a long BlockInterval).
func (h *Harness) SetScene(t testing.TB, l *link.Link) Scene {
	t.Helper()
	req := devchain.DevKey("requester")
	abi := contracts.NewHearthMarket()
	dep, err := h.Send(req, big.NewInt(params.Ether), abi.PackDeposit())
	if err == nil {
		_, err = h.Mine(dep)
	}
	if err != nil {
		t.Fatal(err)
	}
	head, err := h.Chain.Client().HeaderByNumber(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	var s Scene
	for i := range s.Pair {
		if s.Pair[i], err = h.Send(req, nil, PostOrder(max(head.Time, uint64(time.Now().Unix())), int64(2+i), "-n", fmt.Sprint(i))); err != nil {
			t.Fatal(err)
		}
	}
	if s.PairBlock, err = h.Mine(s.Pair[:]...); err != nil {
		t.Fatal(err)
	}
	if r0, err := h.Chain.Client().TransactionReceipt(context.Background(), s.Pair[0]); err != nil || r0.BlockNumber.Uint64() != s.PairBlock {
		t.Fatalf("the two orders are not in one block: %v", err)
	}
	h.Tick(t, l)
	out, err := h.Chain.Client().CallContract(context.Background(), ethereum.CallMsg{To: &h.Contract, Data: abi.PackOrderCount()}, nil)
	if err != nil {
		t.Fatal(err)
	}
	n, err := abi.UnpackOrderCount(out)
	if err != nil {
		t.Fatal(err)
	}
	s.Orders = n.Uint64()
	return s
}
