package verify

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"sync"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
)

// What no proof can check is bounded by policy instead: the nonce is the
// proven one, fees and gas are capped, a transaction goes to every
// endpoint.

// PendingNonceAt returns account's proven nonce at the verified head: a
// node's transaction pool cannot be verified, and the outbox takes the
// larger of this and its own record.
func (r *Reader) PendingNonceAt(ctx context.Context, account common.Address) (uint64, error) {
	return r.NonceAt(ctx, account, nil)
}

// SuggestGasTipCap returns the RPC's suggested priority fee, at most
// Options.MaxTip.
func (r *Reader) SuggestGasTipCap(ctx context.Context) (*big.Int, error) {
	var tip hexutil.Big
	if err := r.call(ctx, &tip, "eth_maxPriorityFeePerGas"); err != nil {
		return nil, err
	}
	if (*big.Int)(&tip).Cmp(r.opts.MaxTip) > 0 {
		r.log.Warn("verify: RPC suggests a priority fee above the cap; using the cap", "suggested", (*big.Int)(&tip), "cap", r.opts.MaxTip)
		return new(big.Int).Set(r.opts.MaxTip), nil
	}
	return (*big.Int)(&tip), nil
}

// EstimateGas returns the RPC's gas estimate for msg; an error wrapping
// ErrGasCap when it is above Options.MaxGas. A revert comes back as the
// RPC reported it.
func (r *Reader) EstimateGas(ctx context.Context, msg ethereum.CallMsg) (uint64, error) {
	var est hexutil.Uint64
	if err := r.rpc.CallContext(ctx, &est, "eth_estimateGas", callArg(msg)); err != nil {
		return 0, err
	}
	if uint64(est) > r.opts.MaxGas {
		return 0, fmt.Errorf("%w: estimate %d above the cap %d", ErrGasCap, uint64(est), r.opts.MaxGas)
	}
	return uint64(est), nil
}

// callArg is msg as eth_estimateGas takes it (as ethclient sends it).
func callArg(msg ethereum.CallMsg) map[string]any {
	arg := map[string]any{"from": msg.From, "to": msg.To}
	if len(msg.Data) > 0 {
		arg["input"] = hexutil.Bytes(msg.Data)
	}
	if msg.Value != nil {
		arg["value"] = (*hexutil.Big)(msg.Value)
	}
	if msg.Gas != 0 {
		arg["gas"] = hexutil.Uint64(msg.Gas)
	}
	if msg.GasPrice != nil {
		arg["gasPrice"] = (*hexutil.Big)(msg.GasPrice)
	}
	if msg.GasFeeCap != nil {
		arg["maxFeePerGas"] = (*hexutil.Big)(msg.GasFeeCap)
	}
	if msg.GasTipCap != nil {
		arg["maxPriorityFeePerGas"] = (*hexutil.Big)(msg.GasTipCap)
	}
	if msg.AccessList != nil {
		arg["accessList"] = msg.AccessList
	}
	if msg.BlobGasFeeCap != nil {
		arg["maxFeePerBlobGas"] = (*hexutil.Big)(msg.BlobGasFeeCap)
	}
	if msg.BlobHashes != nil {
		arg["blobVersionedHashes"] = msg.BlobHashes
	}
	if msg.AuthorizationList != nil {
		arg["authorizationList"] = msg.AuthorizationList
	}
	return arg
}

// SendTransaction sends tx to every endpoint at once, so that one that
// drops it cannot keep it from the chain. It succeeds when any endpoint
// accepts it; otherwise the error joins every endpoint's.
func (r *Reader) SendTransaction(ctx context.Context, tx *types.Transaction) error {
	if id := tx.ChainId(); tx.Protected() && id.Cmp(r.opts.ChainID) != 0 {
		return fmt.Errorf("transaction %s is signed for chain %v, not %v", tx.Hash().Hex(), id, r.opts.ChainID)
	}
	data, err := tx.MarshalBinary()
	if err != nil {
		return err
	}
	errs := make([]error, len(r.all))
	var wg sync.WaitGroup
	for i, c := range r.all {
		wg.Go(func() {
			if err := c.CallContext(ctx, nil, "eth_sendRawTransaction", hexutil.Encode(data)); err != nil {
				errs[i] = fmt.Errorf("endpoint %d: %w", i, err)
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err == nil {
			for _, e := range errs {
				if e != nil {
					r.log.Debug("verify: an endpoint refused a transaction another accepted", "tx", tx.Hash(), "err", e)
				}
			}
			return nil
		}
	}
	return errors.Join(errs...)
}
