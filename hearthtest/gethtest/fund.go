package gethtest

import (
	"context"
	"errors"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/params"
)

// FundAmount is what Fund gives each address: 1,000 ETH.
func FundAmount() *big.Int { return new(big.Int).Mul(big.NewInt(1000), big.NewInt(params.Ether)) }

// receiptTimeout bounds the wait for a funding transaction's block.
const receiptTimeout = 30 * time.Second

// Fund sends FundAmount to each address from the dev account, which geth
// unlocks in dev mode, and waits until every transfer is in a block.
func (n *Node) Fund(addrs ...common.Address) {
	n.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), receiptTimeout)
	defer cancel()
	var hashes []common.Hash
	for _, addr := range addrs {
		var hash common.Hash
		err := n.client.Client().CallContext(ctx, &hash, "eth_sendTransaction", map[string]any{
			"from":  n.DevAccount,
			"to":    addr,
			"value": (*hexutil.Big)(FundAmount()),
		})
		if err != nil {
			n.t.Fatalf("fund %s from dev account %s: %v", addr, n.DevAccount, err)
		}
		hashes = append(hashes, hash)
	}
	for i, hash := range hashes {
		if _, err := n.WaitReceipt(ctx, hash); err != nil {
			n.t.Fatalf("fund %s: %v", addrs[i], err)
		}
	}
}

// WaitReceipt polls for the receipt of a transaction until it is in a
// block, ctx ends, or the transaction turns out to have failed.
func (n *Node) WaitReceipt(ctx context.Context, hash common.Hash) (*types.Receipt, error) {
	for {
		receipt, err := n.client.TransactionReceipt(ctx, hash)
		switch {
		case err == nil && receipt.Status != types.ReceiptStatusSuccessful:
			return receipt, errors.New("transaction " + hash.Hex() + " failed")
		case err == nil:
			return receipt, nil
		case errors.Is(err, ethereum.NotFound), isIndexing(err):
		default:
			return nil, err
		}
		select {
		case <-ctx.Done():
			return nil, errors.New("no receipt for " + hash.Hex() + ": " + ctx.Err().Error())
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// isIndexing reports geth's answer to a receipt query before its
// transaction indexer has caught up, which it gives for every unknown
// transaction while the chain is at genesis.
func isIndexing(err error) bool {
	return err != nil && err.Error() == "transaction indexing is in progress"
}
