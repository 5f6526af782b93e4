package gethtest

import (
	"context"
	"crypto/ecdsa"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
)

func TestDevNodeFundsAnAddress(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs geth; skipped in -short mode")
	}
	key, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	addr := crypto.PubkeyToAddress(key.PublicKey)
	Build(t) // timed separately from the node
	start := time.Now()
	n := Start(t, Options{Fund: []common.Address{addr}})
	t.Logf("geth up and %s funded in %v", addr, time.Since(start).Round(time.Millisecond))

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	client := n.Client()
	if id, err := client.ChainID(ctx); err != nil || id.Cmp(big.NewInt(1337)) != 0 {
		t.Fatalf("chain ID %v, %v; want 1337", id, err)
	}
	if got, err := client.BalanceAt(ctx, addr, nil); err != nil || got.Cmp(FundAmount()) != 0 {
		t.Fatalf("balance of funded %s = %v, %v; want %v", addr, got, err, FundAmount())
	}
	checkLoopbackOnly(t, n)

	// The funds are spendable with the address's own key: a signed raw
	// transaction, as the gateway sends.
	back := big.NewInt(1e15)
	tx := signTransfer(ctx, t, n, key, n.DevAccount, back)
	if err := client.SendTransaction(ctx, tx); err != nil {
		t.Fatal(err)
	}
	receipt, err := n.WaitReceipt(ctx, tx.Hash())
	if err != nil {
		t.Fatal(err)
	}
	spent := new(big.Int).Add(back, new(big.Int).Mul(receipt.EffectiveGasPrice, new(big.Int).SetUint64(receipt.GasUsed)))
	left := new(big.Int).Sub(FundAmount(), spent)

	// The chain, the dev account and the URL survive a restart.
	head, err := client.BlockNumber(ctx)
	if err != nil {
		t.Fatal(err)
	}
	dev := n.DevAccount
	n.Restart()
	if got, err := client.BalanceAt(ctx, addr, nil); err != nil || got.Cmp(left) != 0 {
		t.Errorf("balance after restart %v, %v; want %v", got, err, left)
	}
	if now, err := client.BlockNumber(ctx); err != nil || now < head {
		t.Errorf("head after restart %d, %v; was %d", now, err, head)
	}
	second := common.Address{0x42}
	n.Fund(second)
	if got, err := client.BalanceAt(ctx, second, nil); err != nil || got.Cmp(FundAmount()) != 0 || n.DevAccount != dev {
		t.Errorf("funding after restart: balance %v, %v; dev account %s, was %s", got, err, n.DevAccount, dev)
	}
}

func signTransfer(ctx context.Context, t *testing.T, n *Node, key *ecdsa.PrivateKey, to common.Address, wei *big.Int) *types.Transaction {
	t.Helper()
	client := n.Client()
	from := crypto.PubkeyToAddress(key.PublicKey)
	nonce, err := client.PendingNonceAt(ctx, from)
	if err != nil {
		t.Fatal(err)
	}
	tip, err := client.SuggestGasTipCap(ctx)
	if err != nil {
		t.Fatal(err)
	}
	head, err := client.HeaderByNumber(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	chainID := big.NewInt(1337)
	tx, err := types.SignNewTx(key, types.LatestSignerForChainID(chainID), &types.DynamicFeeTx{
		ChainID:   chainID,
		Nonce:     nonce,
		GasTipCap: tip,
		GasFeeCap: new(big.Int).Add(tip, new(big.Int).Mul(head.BaseFee, big.NewInt(2))),
		Gas:       21_000,
		To:        &to,
		Value:     wei,
	})
	if err != nil {
		t.Fatal(err)
	}
	return tx
}
