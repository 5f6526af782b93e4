package verify

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/params"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/hearth-home/hearth/gateway/chain"
)

// maxParentWalk is how many parent hashes HeaderByNumber follows down from
// the head when EIP-2935's history contract cannot prove a block's hash.
const maxParentWalk = 256

// canonKey names the hash of block Number as proven from block Anchor.
type canonKey struct {
	Anchor common.Hash
	Number uint64
}

// head returns the header of the newest verified head, or chain.ErrStale
// when it is older than Options.MaxHeadAge. An RPC endpoint often learns of
// a block a moment after the beacon chain does: until it has the newest
// head, the previous one serves while it is fresh.
func (r *Reader) head(ctx context.Context) (*types.Header, error) {
	h, err := r.heads.Latest()
	if err != nil {
		return nil, err
	}
	if err := r.fresh(h); err != nil {
		return nil, err
	}
	hdr, err := r.header(ctx, h.Hash)
	if errors.Is(err, ethereum.NotFound) {
		r.mu.Lock()
		prev := r.prevHead
		r.mu.Unlock()
		if prev.hdr != nil && r.fresh(prev.head) == nil {
			return prev.hdr, nil
		}
		return nil, fmt.Errorf("the RPC endpoint does not have the verified head %s (block of slot %d) yet: is it behind?", h.Hash.Hex(), h.Slot)
	}
	if err != nil {
		return nil, err
	}
	r.mu.Lock()
	if r.prevHead.hdr == nil || hdr.Number.Cmp(r.prevHead.hdr.Number) >= 0 {
		r.prevHead = verifiedHead{h, hdr}
	}
	r.mu.Unlock()
	return hdr, nil
}

// verifiedHead is a head and its header.
type verifiedHead struct {
	head chain.Head
	hdr  *types.Header
}

// fresh returns chain.ErrStale when h is older than Options.MaxHeadAge.
func (r *Reader) fresh(h chain.Head) error {
	if age := r.opts.Clock().Sub(h.Time); age > r.opts.MaxHeadAge {
		return fmt.Errorf("%w: head %s (slot %d) is %v old, more than %v", chain.ErrStale, h.Hash.Hex(), h.Slot, age.Round(time.Second), r.opts.MaxHeadAge)
	}
	return nil
}

// header returns the header whose hash is hash, checked by hashing it here;
// ethereum.NotFound when the RPC has none. Callers must not change it: it
// is cached.
func (r *Reader) header(ctx context.Context, hash common.Hash) (*types.Header, error) {
	if h, ok := r.headers.Get(hash); ok {
		return h, nil
	}
	var h *types.Header
	if err := r.call(ctx, &h, "eth_getBlockByHash", hash, false); err != nil {
		return nil, fmt.Errorf("header %s: %w", hash.Hex(), err)
	}
	if h == nil {
		return nil, ethereum.NotFound
	}
	// The RPC's "hash" field is not read: the header is what hashes to it.
	if got := h.Hash(); got != hash {
		return nil, unverified("header %s: the RPC's header hashes to %s", hash.Hex(), got.Hex())
	}
	r.headers.Add(hash, h)
	return h, nil
}

// canonicalHash returns the hash of block n in the chain that ends at
// anchor, for n below anchor: from EIP-2935's history contract (a storage
// proof at anchor's state root) when the contract serves n, else by
// walking parent hashes down from anchor, at most maxParentWalk.
func (r *Reader) canonicalHash(ctx context.Context, anchor *types.Header, n uint64) (common.Hash, error) {
	top := anchor.Number.Uint64()
	switch {
	case n == top:
		return anchor.Hash(), nil
	case n > top:
		return common.Hash{}, ethereum.NotFound
	case n == top-1:
		return anchor.ParentHash, nil
	}
	key := canonKey{anchor.Hash(), n}
	if h, ok := r.canon.Get(key); ok {
		return h, nil
	}
	var hash common.Hash
	if top-n <= r.historyWindow {
		p, err := r.proveAccount(ctx, anchor, params.HistoryStorageAddress, []common.Hash{historySlot(n)})
		if err != nil {
			return common.Hash{}, fmt.Errorf("hash of block %d: %w", n, err)
		}
		hash = p.Storage[0] // zero before the contract existed
	}
	if hash == (common.Hash{}) {
		if top-n > r.parentWalk {
			return common.Hash{}, unverified("block %d is too old to prove from block %d: the history contract (EIP-2935) does not hold it and it is more than %d blocks down", n, top, r.parentWalk)
		}
		h := anchor
		for h.Number.Uint64() > n {
			parent, err := r.header(ctx, h.ParentHash)
			if errors.Is(err, ethereum.NotFound) {
				return common.Hash{}, unverified("the RPC has no header %s, parent of block %d", h.ParentHash.Hex(), h.Number)
			}
			if err != nil {
				return common.Hash{}, err
			}
			h = parent
		}
		hash = h.Hash()
	}
	r.canon.Add(key, hash)
	return hash, nil
}

// historySlot is the slot of the EIP-2935 history contract that holds the
// hash of block n.
func historySlot(n uint64) common.Hash {
	return common.BigToHash(new(big.Int).SetUint64(n % params.HistoryServeWindow))
}

// headerAt returns the canonical header at number (nil: the head). Callers
// must not change it.
func (r *Reader) headerAt(ctx context.Context, number *big.Int) (*types.Header, error) {
	head, err := r.head(ctx)
	if err != nil {
		return nil, err
	}
	n, err := r.resolve(ctx, number, head)
	if err != nil {
		return nil, err
	}
	if n > head.Number.Uint64() {
		return nil, ethereum.NotFound
	}
	hash, err := r.canonicalHash(ctx, head, n)
	if err != nil {
		return nil, err
	}
	hdr, err := r.header(ctx, hash)
	if errors.Is(err, ethereum.NotFound) {
		return nil, unverified("the RPC has no header %s, proven canonical at %d", hash.Hex(), n)
	}
	if err != nil {
		return nil, err
	}
	if hdr.Number.Uint64() != n {
		return nil, unverified("block %s proven at %d is numbered %v", hash.Hex(), n, hdr.Number)
	}
	return hdr, nil
}

// resolve turns a block number argument into a number: nil, latest and
// pending are the head; safe and finalized the head source's finalized
// block; earliest 0.
func (r *Reader) resolve(ctx context.Context, number *big.Int, head *types.Header) (uint64, error) {
	if number == nil {
		return head.Number.Uint64(), nil
	}
	if number.Sign() >= 0 {
		if !number.IsUint64() {
			return 0, ethereum.NotFound
		}
		return number.Uint64(), nil
	}
	if !number.IsInt64() {
		return 0, fmt.Errorf("invalid block number %v", number)
	}
	switch rpc.BlockNumber(number.Int64()) {
	case rpc.LatestBlockNumber, rpc.PendingBlockNumber:
		return head.Number.Uint64(), nil
	case rpc.SafeBlockNumber, rpc.FinalizedBlockNumber:
		return r.FinalizedNumber(ctx)
	case rpc.EarliestBlockNumber:
		return 0, nil
	}
	return 0, fmt.Errorf("invalid block number %v", number)
}

// canonical reports whether hdr is in the chain that ends at head.
func (r *Reader) canonical(ctx context.Context, head, hdr *types.Header) (bool, error) {
	n := hdr.Number.Uint64()
	if n > head.Number.Uint64() {
		return false, nil
	}
	hash, err := r.canonicalHash(ctx, head, n)
	if err != nil {
		return false, err
	}
	return hash == hdr.Hash(), nil
}

// BlockNumber returns the verified head's number; eth_blockNumber is never
// asked.
func (r *Reader) BlockNumber(ctx context.Context) (uint64, error) {
	head, err := r.head(ctx)
	if err != nil {
		return 0, err
	}
	return head.Number.Uint64(), nil
}

// HeaderByNumber returns the canonical header at number (nil: the verified
// head); ethereum.NotFound above the head.
func (r *Reader) HeaderByNumber(ctx context.Context, number *big.Int) (*types.Header, error) {
	hdr, err := r.headerAt(ctx, number)
	if err != nil {
		return nil, err
	}
	return types.CopyHeader(hdr), nil
}

// HeaderByHash returns the header with hash when it is in the verified
// head's chain; ethereum.NotFound otherwise (unknown, above the head, or
// not canonical), which is what the Watcher takes for "reorged away".
func (r *Reader) HeaderByHash(ctx context.Context, hash common.Hash) (*types.Header, error) {
	hdr, err := r.canonicalHeader(ctx, hash)
	if err != nil {
		return nil, err
	}
	return types.CopyHeader(hdr), nil
}

// canonicalHeader is the verified header with hash when it is in the
// verified head's chain; ethereum.NotFound otherwise. It is shared, not
// copied.
func (r *Reader) canonicalHeader(ctx context.Context, hash common.Hash) (*types.Header, error) {
	head, err := r.head(ctx)
	if err != nil {
		return nil, err
	}
	hdr, err := r.header(ctx, hash)
	if err != nil {
		return nil, err
	}
	ok, err := r.canonical(ctx, head, hdr)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, ethereum.NotFound
	}
	return hdr, nil
}

// HeadAge is how long ago, by Options.Clock, the verified head's slot began.
func (r *Reader) HeadAge(ctx context.Context) (time.Duration, error) {
	h, err := r.heads.Latest()
	if err != nil {
		return 0, err
	}
	return r.opts.Clock().Sub(h.Time), nil
}

// Refresh asks the head source for a fresher head when it can be asked (a
// light client: it then checks every slot for a while).
func (r *Reader) Refresh() {
	if rf, ok := r.heads.(chain.Refresher); ok {
		rf.Refresh()
	}
}

// FinalizedNumber returns the number of the head source's newest finalized
// block, read from its header (checked by hash).
func (r *Reader) FinalizedNumber(ctx context.Context) (uint64, error) {
	h, err := r.heads.Finalized()
	if err != nil {
		return 0, err
	}
	hdr, err := r.header(ctx, h.Hash)
	if errors.Is(err, ethereum.NotFound) {
		return 0, fmt.Errorf("the RPC endpoint does not have the finalized block %s: %w", h.Hash.Hex(), err)
	}
	if err != nil {
		return 0, err
	}
	return hdr.Number.Uint64(), nil
}
