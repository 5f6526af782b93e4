package verify

import (
	"context"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/consensus/misc/eip4844"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/state"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/core/vm"
	"github.com/ethereum/go-ethereum/eth/tracers/logger"
	"github.com/ethereum/go-ethereum/params"
	"github.com/ethereum/go-ethereum/triedb"
)

// outcome is one run of a call.
type outcome struct {
	res      *core.ExecutionResult
	applyErr error     // the message could not run (say, funds)
	stateErr error     // the run reached state the witness lacks
	fatal    error     // the run cannot be trusted, whatever the state
	touched  accessSet // what the run touched
}

// execute runs m over the state in w.
func (r *Reader) execute(ctx context.Context, w *witness, m *core.Message) outcome {
	db := w.w.MakeHashDB()
	sdb, err := state.New(w.hdr.Root, state.NewDatabase(triedb.NewDatabase(db, triedb.HashDefaults), state.NewCodeDB(db)))
	if err != nil {
		return outcome{stateErr: err, touched: accessSet{}}
	}
	blockCtx, err := r.blockContext(w.hdr)
	if err != nil {
		return outcome{fatal: err}
	}
	var hashErr error
	blockCtx.GetHash = func(n uint64) common.Hash {
		h, err := r.canonicalHash(ctx, w.hdr, n)
		if err != nil && hashErr == nil {
			hashErr = fmt.Errorf("BLOCKHASH(%d): %w", n, err)
		}
		return h
	}
	tracer := logger.NewAccessListTracer(nil, nil)
	evm := vm.NewEVM(blockCtx, sdb, r.opts.Config, vm.Config{Tracer: tracer.Hooks(), NoBaseFee: true})
	done := make(chan struct{})
	defer close(done)
	go func() {
		select {
		case <-ctx.Done():
			evm.Cancel()
		case <-done:
		}
	}()
	res, applyErr := core.ApplyMessage(evm, m, nil)
	if err := ctx.Err(); err != nil {
		return outcome{fatal: err}
	}
	if hashErr != nil {
		return outcome{fatal: hashErr}
	}
	touched := accessSet{}
	touched.addList(tracer.AccessList())
	return outcome{res: res, applyErr: applyErr, stateErr: sdb.Error(), touched: touched}
}

// blockContext is what the EVM sees of hdr, built from the verified header
// alone (core.NewEVMBlockContext needs a chain, and panics without one on
// headers with blob fields). As in eth_call, the base fee is zero.
func (r *Reader) blockContext(hdr *types.Header) (vm.BlockContext, error) {
	bc := vm.BlockContext{
		CanTransfer:      core.CanTransfer,
		Transfer:         core.Transfer,
		Coinbase:         hdr.Coinbase,
		GasLimit:         hdr.GasLimit,
		BlockNumber:      new(big.Int).Set(hdr.Number),
		Time:             hdr.Time,
		Difficulty:       new(big.Int).Set(hdr.Difficulty),
		BaseFee:          new(big.Int),
		CostPerStateByte: params.CostPerStateByte,
	}
	if hdr.Difficulty.Sign() == 0 {
		random := hdr.MixDigest
		bc.Random = &random
	}
	if hdr.SlotNumber != nil {
		bc.SlotNum = *hdr.SlotNumber
	}
	if hdr.ExcessBlobGas != nil {
		fee, err := blobBaseFee(r.opts.Config, hdr)
		if err != nil {
			return bc, err
		}
		bc.BlobBaseFee = fee
	}
	return bc, nil
}

// blobBaseFee is eip4844.CalcBlobFee, which panics when config has no
// blob schedule for hdr's fork.
func blobBaseFee(config *params.ChainConfig, hdr *types.Header) (fee *big.Int, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("blob base fee of block %v: %v (is Options.Config this chain's?)", hdr.Number, p)
		}
	}()
	return eip4844.CalcBlobFee(config, hdr), nil
}
