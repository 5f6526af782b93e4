package verify

import (
	"cmp"
	"context"
	"errors"
	"maps"
	"slices"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
)

// FilterLogs returns the logs matching q from verified receipts of blocks
// in the verified head's chain, in block and log order, never Removed.
//
// With q.BlockHash, the block's receipts are the answer: complete, and
// empty when the block is not in the verified chain. Over a range (nil
// bounds are the head; the range stops at the head), eth_getLogs only
// hints at which blocks hold matching logs: every matching log of a hinted
// block is returned, so a log the RPC dropped from a block it hinted at is
// recovered and a log it forged is not returned, but a block it hid
// entirely cannot be caught.
func (r *Reader) FilterLogs(ctx context.Context, q ethereum.FilterQuery) ([]types.Log, error) {
	head, err := r.head(ctx)
	if err != nil {
		return nil, err
	}
	if q.BlockHash != nil {
		hdr, err := r.header(ctx, *q.BlockHash)
		if err != nil {
			return nil, err
		}
		if ok, err := r.canonical(ctx, head, hdr); err != nil || !ok {
			return nil, err
		}
		return r.blockLogs(ctx, hdr, q)
	}
	from, err := r.resolve(ctx, q.FromBlock, head)
	if err != nil {
		return nil, err
	}
	to := head.Number.Uint64()
	if q.ToBlock == nil || q.ToBlock.Sign() < 0 || q.ToBlock.IsUint64() {
		n, err := r.resolve(ctx, q.ToBlock, head)
		if err != nil {
			return nil, err
		}
		to = min(n, to)
	}
	if from > to {
		return nil, nil
	}
	var hints []struct {
		BlockHash   common.Hash    `json:"blockHash"`
		BlockNumber hexutil.Uint64 `json:"blockNumber"`
	}
	arg := map[string]any{
		"fromBlock": hexutil.Uint64(from),
		"toBlock":   hexutil.Uint64(to),
		"address":   q.Addresses,
		"topics":    q.Topics,
	}
	if err := r.call(ctx, &hints, "eth_getLogs", arg); err != nil {
		return nil, err
	}
	blocks := map[common.Hash]uint64{}
	for _, h := range hints {
		if n := uint64(h.BlockNumber); n >= from && n <= to {
			blocks[h.BlockHash] = n
		}
	}
	order := slices.SortedFunc(maps.Keys(blocks), func(a, b common.Hash) int {
		return cmp.Or(cmp.Compare(blocks[a], blocks[b]), a.Cmp(b))
	})
	var out []types.Log
	for _, hash := range order {
		hdr, err := r.header(ctx, hash)
		if errors.Is(err, ethereum.NotFound) {
			r.log.Debug("verify: eth_getLogs named an unknown block", "hash", hash)
			continue
		}
		if err != nil {
			return nil, err
		}
		if n := hdr.Number.Uint64(); n < from || n > to {
			r.log.Debug("verify: eth_getLogs named a block outside the range", "hash", hash, "number", n)
			continue
		}
		ok, err := r.canonical(ctx, head, hdr)
		if err != nil {
			return nil, err
		}
		if !ok {
			r.log.Debug("verify: eth_getLogs named a block not in the verified chain", "hash", hash)
			continue
		}
		logs, err := r.blockLogs(ctx, hdr, q)
		if err != nil {
			return nil, err
		}
		out = append(out, logs...)
	}
	slices.SortStableFunc(out, func(a, b types.Log) int {
		return cmp.Or(cmp.Compare(a.BlockNumber, b.BlockNumber), cmp.Compare(a.Index, b.Index))
	})
	return out, nil
}

// blockLogs returns the logs of hdr's verified receipts that match q.
func (r *Reader) blockLogs(ctx context.Context, hdr *types.Header, q ethereum.FilterQuery) ([]types.Log, error) {
	b, err := r.block(ctx, hdr)
	if err != nil {
		return nil, err
	}
	var out []types.Log
	for _, rc := range b.receipts {
		for _, l := range rc.Logs {
			if matches(l, q.Addresses, q.Topics) {
				out = append(out, copyLog(l))
			}
		}
	}
	return out, nil
}

// matches applies go-ethereum's filter rules (eth/filters filterLogs):
// any of the addresses (none: any), and per topic position any of the
// given topics (none: any); more positions than the log has never match.
func matches(l *types.Log, addresses []common.Address, topics [][]common.Hash) bool {
	if len(addresses) > 0 && !slices.Contains(addresses, l.Address) {
		return false
	}
	if len(topics) > len(l.Topics) {
		return false
	}
	for i, sub := range topics {
		if len(sub) > 0 && !slices.Contains(sub, l.Topics[i]) {
			return false
		}
	}
	return true
}
