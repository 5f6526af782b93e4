package verify

import (
	"context"
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/vm"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/holiman/uint256"
)

const (
	// maxCallRounds is how many times a call runs, each time with the
	// state the previous run touched and the proofs lacked.
	maxCallRounds = 4
	// defaultCallGas is a call's gas when CallMsg.Gas is 0.
	defaultCallGas = 30_000_000
)

// CallContract runs msg in go-ethereum's EVM over state proven against the
// header at blockNumber (nil: the verified head). eth_call is never asked.
// The state comes from eth_getProof for the accounts and slots the call
// touches (first guessed from eth_createAccessList, an untrusted hint, then
// learned from the runs); a run that reaches state the proofs do not cover
// is rerun with more proofs, at most maxCallRounds times, then the call
// fails with chain.ErrUnverified. A revert returns an error that carries
// the revert data as ethclient's does (ethclient.RevertErrorData reads it).
func (r *Reader) CallContract(ctx context.Context, msg ethereum.CallMsg, blockNumber *big.Int) ([]byte, error) {
	hdr, err := r.headerAt(ctx, blockNumber)
	if err != nil {
		return nil, err
	}
	m, err := callMessage(msg)
	if err != nil {
		return nil, err
	}
	w, err := newWitness(hdr)
	if err != nil {
		return nil, err
	}
	need := accessSet{}
	need.add(msg.From)
	if msg.To != nil {
		need.add(*msg.To)
	}
	need.add(hdr.Coinbase)
	need.addList(msg.AccessList)
	for _, auth := range msg.AuthorizationList {
		if a, err := auth.Authority(); err == nil {
			need.add(a)
		}
	}
	if hint, err := r.accessListHint(ctx, hdr, msg); err != nil {
		r.log.Debug("verify: no access list hint", "err", err)
	} else {
		need.addList(hint)
	}

	var lastErr error
	for round := 1; round <= maxCallRounds; round++ {
		if err := r.fetchWitness(ctx, w, need); err != nil {
			return nil, err
		}
		if msg.To == nil { // a deployment: the new account's address
			need.add(crypto.CreateAddress(msg.From, w.accounts[msg.From].Nonce))
			if err := r.fetchWitness(ctx, w, need); err != nil {
				return nil, err
			}
		}
		out := r.execute(ctx, w, m)
		if out.fatal != nil {
			return nil, out.fatal
		}
		if out.stateErr == nil {
			return callResult(out.res, out.applyErr)
		}
		lastErr = out.stateErr
		need = w.missing(out.touched)
		if len(need) == 0 {
			break
		}
		r.log.Debug("verify: call needs more state", "round", round, "accounts", len(need), "err", out.stateErr)
	}
	return nil, unverified("the call at block %v reaches state the RPC's proofs do not cover: %w", hdr.Number, lastErr)
}

// callMessage is msg as eth_call runs it: no nonce or sender checks, and
// no fees (gas price zero, base fee ignored).
func callMessage(msg ethereum.CallMsg) (*core.Message, error) {
	value := new(uint256.Int)
	if msg.Value != nil {
		if msg.Value.Sign() < 0 {
			return nil, errors.New("call: negative value")
		}
		if value.SetFromBig(msg.Value) {
			return nil, errors.New("call: value above 256 bits")
		}
	}
	gas := msg.Gas
	if gas == 0 {
		gas = defaultCallGas
	}
	return &core.Message{
		From:                  msg.From,
		To:                    msg.To,
		Value:                 value,
		GasLimit:              gas,
		GasPrice:              new(uint256.Int),
		GasFeeCap:             new(uint256.Int),
		GasTipCap:             new(uint256.Int),
		Data:                  msg.Data,
		AccessList:            msg.AccessList,
		BlobGasFeeCap:         new(uint256.Int),
		BlobHashes:            msg.BlobHashes,
		SetCodeAuthorizations: msg.AuthorizationList,
		SkipNonceChecks:       true,
		SkipTransactionChecks: true,
	}, nil
}

// callResult turns a run into what eth_call through ethclient gives.
func callResult(res *core.ExecutionResult, applyErr error) ([]byte, error) {
	if applyErr != nil {
		return nil, fmt.Errorf("call: %w", applyErr)
	}
	if errors.Is(res.Err, vm.ErrExecutionReverted) {
		return nil, newRevertError(res.Revert())
	}
	if res.Err != nil {
		return nil, fmt.Errorf("call: %w", res.Err)
	}
	return res.Return(), nil
}
