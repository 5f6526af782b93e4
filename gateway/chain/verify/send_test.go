package verify

import (
	"context"
	"errors"
	"math/big"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/params"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/hearth-home/hearth/hearthtest/rpctamper"
)

// TestSendTransaction sends through two endpoints, the second a proxy of
// its own, while they refuse.
func TestSendTransaction(t *testing.T) {
	fx := getFixture(t)
	ctx := context.Background()
	second := rpctamper.New(fx.chain.URL())
	defer second.Close()
	c2, err := rpc.DialContext(ctx, second.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	r, err := fx.readerOf([]*rpc.Client{fx.viaProxy, c2}, func(o *Options) { o.Logger = testLogger(t) })
	if err != nil {
		t.Fatal(err)
	}

	from := addr(fx.sender)
	nonce, err := r.PendingNonceAt(ctx, from)
	if err != nil {
		t.Fatal(err)
	}
	transfer := func(nonce uint64, chainID *big.Int) *types.Transaction {
		tx, err := types.SignNewTx(fx.sender, types.LatestSignerForChainID(chainID), &types.DynamicFeeTx{
			ChainID: chainID, Nonce: nonce, GasTipCap: big.NewInt(params.GWei), GasFeeCap: big.NewInt(100 * params.GWei),
			Gas: 21_000, To: &common.Address{0x5e, 0x4d}, Value: big.NewInt(1),
		})
		if err != nil {
			t.Fatal(err)
		}
		return tx
	}

	const refusal = "the method eth_sendRawTransaction does not exist/is not available"
	fx.proxy.Fail("eth_sendRawTransaction", -32601, refusal)
	tx := transfer(nonce, fx.chainID)
	if err := r.SendTransaction(ctx, tx); err != nil {
		t.Fatalf("one of two endpoints refusing: %v", err)
	}
	fx.chain.Commit()
	rc, err := r.TransactionReceipt(ctx, tx.Hash())
	if err != nil || rc.Status != types.ReceiptStatusSuccessful || rc.TxHash != tx.Hash() {
		t.Fatalf("receipt of the transaction sent through the second endpoint: %+v, %v", rc, err)
	}
	if n, err := r.NonceAt(ctx, from, nil); err != nil || n != nonce+1 {
		t.Errorf("nonce after the transfer = %d, %v; want %d", n, err, nonce+1)
	}

	second.Fail("eth_sendRawTransaction", -32601, refusal)
	err = r.SendTransaction(ctx, transfer(nonce+1, fx.chainID))
	if err == nil || !strings.Contains(err.Error(), "endpoint 0") || !strings.Contains(err.Error(), "endpoint 1") {
		t.Fatalf("both endpoints refusing: %v, want an error naming both", err)
	}
	var rpcErr rpc.Error
	if !errors.As(err, &rpcErr) || rpcErr.ErrorCode() != -32601 {
		t.Errorf("the joined error hides the nodes' errors: %v", err)
	}

	if err := r.SendTransaction(ctx, transfer(nonce+1, big.NewInt(1))); err == nil {
		t.Error("a transaction signed for chain 1 was sent")
	}
}
