package verify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"sync"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/common/lru"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/params"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/hearth-home/hearth/gateway/chain"
)

// Cache sizes. Headers and canonical hashes are small; code is up to 24 KiB
// (48 KiB of init code) per entry; a block's receipts are the largest.
const (
	headerCacheSize = 256
	canonCacheSize  = 1024
	codeCacheSize   = 64
	blockCacheSize  = 32
)

// Reader is a chain.Backend whose every answer is checked against block
// hashes from a chain.HeadSource. Its methods are safe for concurrent use.
type Reader struct {
	heads chain.HeadSource
	rpc   *rpc.Client   // reads
	all   []*rpc.Client // sends
	opts  Options
	log   *slog.Logger

	// How far below an anchor block hashes are proven: by EIP-2935's
	// history contract, else by walking parent hashes. Fields so that tests
	// can take the walk.
	historyWindow uint64
	parentWalk    uint64

	mu       sync.Mutex
	prevHead verifiedHead // the newest head the RPC had

	headers *lru.Cache[common.Hash, *types.Header]  // verified, by hash
	canon   *lru.Cache[canonKey, common.Hash]       // proven canonical hashes
	codes   *lru.Cache[common.Hash, []byte]         // verified, by code hash
	blocks  *lru.Cache[common.Hash, *verifiedBlock] // verified receipts, by block hash
}

var (
	_ chain.Backend   = (*Reader)(nil)
	_ chain.Verifying = (*Reader)(nil)
	_ chain.Refresher = (*Reader)(nil)
)

// New checks the endpoints (eth_chainId of each, and Probe of the first)
// and returns a Reader whose every answer is anchored to heads. rpcs[0]
// serves reads; transactions are sent to all of them.
func New(ctx context.Context, heads chain.HeadSource, rpcs []*rpc.Client, opts Options) (*Reader, error) {
	if heads == nil {
		return nil, errors.New("verify: no head source")
	}
	if len(rpcs) == 0 {
		return nil, errors.New("verify: no RPC endpoint")
	}
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	for i, c := range rpcs {
		var id hexutil.Big
		if err := c.CallContext(ctx, &id, "eth_chainId"); err != nil {
			return nil, fmt.Errorf("verify: eth_chainId of endpoint %d: %w", i, err)
		}
		if (*big.Int)(&id).Cmp(opts.ChainID) != 0 {
			return nil, fmt.Errorf("%w: endpoint %d serves chain %v, want %v", chain.ErrWrongChain, i, (*big.Int)(&id), opts.ChainID)
		}
	}
	if err := Probe(ctx, rpcs[0]); err != nil {
		return nil, err
	}
	return &Reader{
		heads: heads,
		rpc:   rpcs[0],
		all:   rpcs,
		opts:  opts,
		log:   opts.Logger,

		historyWindow: params.HistoryServeWindow,
		parentWalk:    maxParentWalk,
		headers:       lru.NewCache[common.Hash, *types.Header](headerCacheSize),
		canon:         lru.NewCache[canonKey, common.Hash](canonCacheSize),
		codes:         lru.NewCache[common.Hash, []byte](codeCacheSize),
		blocks:        lru.NewCache[common.Hash, *verifiedBlock](blockCacheSize),
	}, nil
}

// ChainID returns the chain ID pinned in Options (New checked the
// endpoints serve it).
func (r *Reader) ChainID(ctx context.Context) (*big.Int, error) {
	return new(big.Int).Set(r.opts.ChainID), nil
}

// unverified wraps err (or a message) in chain.ErrUnverified.
func unverified(format string, args ...any) error {
	return fmt.Errorf("%w: %w", chain.ErrUnverified, fmt.Errorf(format, args...))
}
