package devchain

import (
	"context"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/consensus/misc/eip1559"
	"github.com/ethereum/go-ethereum/core/txpool"
	"github.com/holiman/uint256"
)

// Commit seals a block now, with whatever the transaction pool holds, and
// returns the hash of the new head. After Close it does nothing and returns
// the zero hash.
func (c *Chain) Commit() common.Hash {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return common.Hash{}
	}
	return c.sealLocked()
}

// runSealer seals a block every BlockInterval when there is a transaction to
// include, and an empty one when the chain has been idle for IdleBlocks.
func (c *Chain) runSealer(ctx context.Context) {
	tick := time.NewTicker(c.opts.BlockInterval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		c.mu.Lock()
		idle := c.opts.IdleBlocks > 0 && time.Since(c.lastSeal) >= c.opts.IdleBlocks
		if !c.closed && (idle || c.includable()) {
			c.sealLocked()
		}
		c.mu.Unlock()
	}
}

// includable reports whether the pool holds a transaction that the next
// block would include. Counting every pending transaction instead would
// seal empty blocks as fast as BlockInterval allows for as long as one
// transaction's tip stays below the miner's minimum. The nonce check covers
// the moments after a seal when the pool has not yet caught up with the new
// head and still lists the transactions just included.
func (c *Chain) includable() bool {
	chain := c.eth.BlockChain()
	baseFee := eip1559.CalcBaseFee(chain.Config(), chain.CurrentBlock())
	pending, _ := c.eth.TxPool().Pending(txpool.PendingFilter{
		MinTip:  c.minTip,
		BaseFee: uint256.MustFromBig(baseFee),
	})
	if len(pending) == 0 {
		return false
	}
	state, err := chain.State()
	if err != nil {
		return true // let the seal find out
	}
	for from, txs := range pending {
		if tx := txs[0].Resolve(); tx != nil && tx.Nonce() == state.GetNonce(from) {
			return true
		}
	}
	return false
}

// sealLocked seals a block; c.mu must be held.
func (c *Chain) sealLocked() common.Hash {
	before := c.eth.BlockChain().CurrentBlock().Number.Uint64()
	hash := c.beacon.Commit()
	c.lastSeal = time.Now()
	// The beacon reports failures only to go-ethereum's logger.
	if head := c.eth.BlockChain().CurrentBlock().Number.Uint64(); head == before {
		c.opts.Logger.Warn("devchain: sealing failed; go-ethereum's log has the reason", "block", before+1)
		return hash
	}
	// go-ethereum writes to its database without waiting for the write-ahead
	// log, which it flushes in the background every few hundred kilobytes:
	// a killed gateway would lose its last blocks. One fsync per block is
	// cheap at development rates.
	if c.opts.DataDir != "" {
		if err := c.eth.ChainDb().SyncKeyValue(); err != nil {
			c.opts.Logger.Warn("devchain: syncing a block to disk", "block", before+1, "dir", c.opts.DataDir, "err", err)
		}
	}
	return hash
}
