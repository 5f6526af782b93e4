package verify

import (
	"bytes"
	"context"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/rpc"
)

// maxProofKeys is the most storage keys asked in one eth_getProof (geth
// refuses more than 1024).
const maxProofKeys = 256

// at names a block by hash, as EIP-1898 does, so that an answer is about
// exactly the verified block.
func at(hdr *types.Header) rpc.BlockNumberOrHash {
	return rpc.BlockNumberOrHashWithHash(hdr.Hash(), false)
}

func slotKeys(slots []common.Hash) []string {
	keys := make([]string, len(slots))
	for i, s := range slots {
		keys[i] = s.Hex()
	}
	return keys
}

// proveAccount reads addr and slots at hdr with eth_getProof and checks the
// answer against hdr's state root.
func (r *Reader) proveAccount(ctx context.Context, hdr *types.Header, addr common.Address, slots []common.Hash) (*provenAccount, error) {
	var res proofResponse
	if err := r.call(ctx, &res, "eth_getProof", addr, slotKeys(slots), at(hdr)); err != nil {
		return nil, fmt.Errorf("eth_getProof %s at block %v: %w", addr.Hex(), hdr.Number, err)
	}
	return checkProof(hdr.Root, addr, slots, &res)
}

// code returns the code whose hash is codeHash, read at hdr and checked
// against the hash. Callers must not change it: it is cached.
func (r *Reader) code(ctx context.Context, hdr *types.Header, addr common.Address, codeHash common.Hash) ([]byte, error) {
	if codeHash == types.EmptyCodeHash {
		return nil, nil
	}
	if c, ok := r.codes.Get(codeHash); ok {
		return c, nil
	}
	var c hexutil.Bytes
	if err := r.call(ctx, &c, "eth_getCode", addr, at(hdr)); err != nil {
		return nil, fmt.Errorf("eth_getCode %s at block %v: %w", addr.Hex(), hdr.Number, err)
	}
	if got := crypto.Keccak256Hash(c); got != codeHash {
		return nil, unverified("code of %s at block %v hashes to %s, proven code hash %s", addr.Hex(), hdr.Number, got.Hex(), codeHash.Hex())
	}
	r.codes.Add(codeHash, c)
	return c, nil
}

// BalanceAt returns account's balance at blockNumber (nil: the verified
// head), proven against the block's state root.
func (r *Reader) BalanceAt(ctx context.Context, account common.Address, blockNumber *big.Int) (*big.Int, error) {
	hdr, err := r.headerAt(ctx, blockNumber)
	if err != nil {
		return nil, err
	}
	p, err := r.proveAccount(ctx, hdr, account, nil)
	if err != nil {
		return nil, err
	}
	return p.Balance.ToBig(), nil
}

// NonceAt returns account's nonce at blockNumber (nil: the verified head),
// proven against the block's state root.
func (r *Reader) NonceAt(ctx context.Context, account common.Address, blockNumber *big.Int) (uint64, error) {
	hdr, err := r.headerAt(ctx, blockNumber)
	if err != nil {
		return 0, err
	}
	p, err := r.proveAccount(ctx, hdr, account, nil)
	if err != nil {
		return 0, err
	}
	return p.Nonce, nil
}

// StorageAt returns the 32-byte value of account's storage slot key at
// blockNumber (nil: the verified head), proven against the block's state
// root.
func (r *Reader) StorageAt(ctx context.Context, account common.Address, key common.Hash, blockNumber *big.Int) ([]byte, error) {
	hdr, err := r.headerAt(ctx, blockNumber)
	if err != nil {
		return nil, err
	}
	p, err := r.proveAccount(ctx, hdr, account, []common.Hash{key})
	if err != nil {
		return nil, err
	}
	return p.Storage[0].Bytes(), nil
}

// CodeAt returns account's code at blockNumber (nil: the verified head):
// its hash is proven against the block's state root, the code checked
// against the hash.
func (r *Reader) CodeAt(ctx context.Context, account common.Address, blockNumber *big.Int) ([]byte, error) {
	hdr, err := r.headerAt(ctx, blockNumber)
	if err != nil {
		return nil, err
	}
	p, err := r.proveAccount(ctx, hdr, account, nil)
	if err != nil {
		return nil, err
	}
	c, err := r.code(ctx, hdr, account, common.BytesToHash(p.CodeHash))
	if err != nil {
		return nil, err
	}
	return bytes.Clone(c), nil
}
