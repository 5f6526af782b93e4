package verify

import (
	"context"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/trie"
)

// verifiedBlock is a block's transactions and receipts, rebuilt into its
// header's transactions and receipts roots, with every receipt field not
// in the root filled in here.
type verifiedBlock struct {
	txs      types.Transactions
	receipts types.Receipts
}

// block returns hdr's transactions and receipts, verified. Callers must not
// change them: they are cached.
func (r *Reader) block(ctx context.Context, hdr *types.Header) (*verifiedBlock, error) {
	hash := hdr.Hash()
	if b, ok := r.blocks.Get(hash); ok {
		return b, nil
	}
	var body *struct {
		Transactions []*types.Transaction `json:"transactions"`
	}
	var rawReceipts []*types.Receipt
	err := r.batch(ctx, []request{
		{"eth_getBlockByHash", []any{hash, true}, &body},
		{"eth_getBlockReceipts", []any{hash}, &rawReceipts},
	})
	if err != nil {
		return nil, fmt.Errorf("block %s: %w", hash.Hex(), err)
	}
	if body == nil {
		return nil, unverified("the RPC has header %s but not its block", hash.Hex())
	}
	txs := types.Transactions(body.Transactions)
	if got := types.DeriveSha(txs, trie.NewStackTrie(nil)); got != hdr.TxHash {
		return nil, unverified("transactions of block %s rebuild root %s, header has %s", hash.Hex(), got.Hex(), hdr.TxHash.Hex())
	}
	if len(rawReceipts) != len(txs) {
		return nil, unverified("block %s has %d transactions, the RPC gave %d receipts", hash.Hex(), len(txs), len(rawReceipts))
	}
	// Only the fields the receipts root commits to are kept; the rest is
	// derived below from the verified block.
	receipts := make(types.Receipts, len(rawReceipts))
	for i, raw := range rawReceipts {
		if raw == nil {
			return nil, unverified("block %s: receipt %d is null", hash.Hex(), i)
		}
		rc := &types.Receipt{
			Type:              raw.Type,
			PostState:         raw.PostState,
			Status:            raw.Status,
			CumulativeGasUsed: raw.CumulativeGasUsed,
			Bloom:             raw.Bloom,
		}
		for _, l := range raw.Logs {
			if l == nil {
				return nil, unverified("block %s: receipt %d has a null log", hash.Hex(), i)
			}
			rc.Logs = append(rc.Logs, &types.Log{Address: l.Address, Topics: l.Topics, Data: l.Data})
		}
		receipts[i] = rc
	}
	if got := types.DeriveSha(receipts, trie.NewStackTrie(nil)); got != hdr.ReceiptHash {
		return nil, unverified("receipts of block %s rebuild root %s, header has %s", hash.Hex(), got.Hex(), hdr.ReceiptHash.Hex())
	}
	var prevGas uint64
	for i, rc := range receipts {
		// Both hold in every valid block; checked because fields are
		// derived from them.
		if rc.Type != txs[i].Type() {
			return nil, unverified("block %s: receipt %d has type %d, its transaction %d", hash.Hex(), i, rc.Type, txs[i].Type())
		}
		if rc.CumulativeGasUsed < prevGas {
			return nil, unverified("block %s: cumulative gas falls at receipt %d", hash.Hex(), i)
		}
		prevGas = rc.CumulativeGasUsed
	}
	var blobGasPrice *big.Int
	if hdr.ExcessBlobGas != nil {
		fee, err := blobBaseFee(r.opts.Config, hdr)
		if err != nil {
			return nil, err
		}
		blobGasPrice = fee
	}
	if err := receipts.DeriveFields(r.opts.Config, hash, hdr.Number.Uint64(), hdr.Time, hdr.BaseFee, blobGasPrice, txs); err != nil {
		return nil, unverified("block %s: %w", hash.Hex(), err)
	}
	b := &verifiedBlock{txs: txs, receipts: receipts}
	r.blocks.Add(hash, b)
	return b, nil
}

// TransactionReceipt returns the receipt of txHash from its block's
// verified receipts. eth_getTransactionReceipt only names the block: the
// block must be in the verified head's chain, and the receipt is the one at
// the index of the transaction whose hash, computed here, is txHash (a
// receipt's own transactionHash is not in the receipts root, so it is never
// read). ethereum.NotFound when the RPC knows no receipt or names a block
// not in the verified chain; an RPC that hides a mined transaction cannot be
// caught.
func (r *Reader) TransactionReceipt(ctx context.Context, txHash common.Hash) (*types.Receipt, error) {
	var hint *struct {
		BlockHash *common.Hash `json:"blockHash"`
	}
	if err := r.call(ctx, &hint, "eth_getTransactionReceipt", txHash); err != nil {
		return nil, err
	}
	if hint == nil || hint.BlockHash == nil {
		return nil, ethereum.NotFound
	}
	hdr, err := r.canonicalHeader(ctx, *hint.BlockHash)
	if err != nil {
		return nil, err
	}
	b, err := r.block(ctx, hdr)
	if err != nil {
		return nil, err
	}
	for i, tx := range b.txs {
		if tx.Hash() == txHash {
			return copyReceipt(b.receipts[i]), nil
		}
	}
	return nil, unverified("the RPC placed transaction %s in block %s, which does not hold it", txHash.Hex(), hint.BlockHash.Hex())
}

func copyReceipt(rc *types.Receipt) *types.Receipt {
	c := *rc
	c.PostState = append([]byte(nil), rc.PostState...)
	c.BlockNumber = new(big.Int).Set(rc.BlockNumber)
	if rc.EffectiveGasPrice != nil {
		c.EffectiveGasPrice = new(big.Int).Set(rc.EffectiveGasPrice)
	}
	if rc.BlobGasPrice != nil {
		c.BlobGasPrice = new(big.Int).Set(rc.BlobGasPrice)
	}
	c.Logs = make([]*types.Log, len(rc.Logs))
	for i, l := range rc.Logs {
		lc := copyLog(l)
		c.Logs[i] = &lc
	}
	return &c
}

func copyLog(l *types.Log) types.Log {
	c := *l
	c.Topics = append([]common.Hash(nil), l.Topics...)
	c.Data = append([]byte(nil), l.Data...)
	return c
}
