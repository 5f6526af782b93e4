// Package merkle builds and checks the Merkle tree that settles a market
// order on chain: one leaf per task, the root stored by the contract.
//
// A leaf binds the order, the task's index and its result digest (the raw
// 32 bytes of api.ResultDigest, or zero for a task that produced no result):
//
//	leaf = keccak256(0x00 || uint256(order) || uint256(index) || digest)
//	node = keccak256(0x01 || left || right)
//
// The prefixes keep a leaf from passing for a node. A level with an odd
// count carries its last node up unchanged, so a proof for n leaves holds at
// most ceil(log2 n) hashes and the verifier needs n to place them.
package merkle

import (
	"errors"
	"fmt"
	"math/big"

	"golang.org/x/crypto/sha3"
)

// Hash is a 32-byte digest.
type Hash = [32]byte

// Leaf is the leaf of task index of order with result digest d.
func Leaf(order *big.Int, index uint64, d Hash) Hash {
	var buf [1 + 32 + 32 + 32]byte
	order.FillBytes(buf[1:33])
	new(big.Int).SetUint64(index).FillBytes(buf[33:65])
	copy(buf[65:], d[:])
	return keccak(buf[:])
}

func node(l, r Hash) Hash {
	var buf [1 + 64]byte
	buf[0] = 1
	copy(buf[1:], l[:])
	copy(buf[33:], r[:])
	return keccak(buf[:])
}

func keccak(b []byte) (h Hash) {
	k := sha3.NewLegacyKeccak256()
	k.Write(b)
	k.Sum(h[:0])
	return h
}

// Root is the root of leaves; the zero hash for none.
func Root(leaves []Hash) Hash {
	if len(leaves) == 0 {
		return Hash{}
	}
	level := append([]Hash(nil), leaves...)
	for len(level) > 1 {
		level = up(level)
	}
	return level[0]
}

func up(level []Hash) []Hash {
	next := make([]Hash, 0, (len(level)+1)/2)
	for i := 0; i < len(level); i += 2 {
		if i+1 == len(level) {
			next = append(next, level[i])
		} else {
			next = append(next, node(level[i], level[i+1]))
		}
	}
	return next
}

// Proof is the sibling hashes from leaf i up to the root, skipping the
// levels where the leaf's branch is carried up without a sibling.
func Proof(leaves []Hash, i int) ([]Hash, error) {
	if i < 0 || i >= len(leaves) {
		return nil, fmt.Errorf("merkle: leaf %d of %d", i, len(leaves))
	}
	var proof []Hash
	level := append([]Hash(nil), leaves...)
	for len(level) > 1 {
		if sib := i ^ 1; sib < len(level) {
			proof = append(proof, level[sib])
		}
		level = up(level)
		i /= 2
	}
	return proof, nil
}

// ErrMismatch says a proof does not lead to the root.
var ErrMismatch = errors.New("merkle: proof does not match the root")

// Verify checks that leaf is leaf i of n under root.
func Verify(root, leaf Hash, i, n int, proof []Hash) error {
	if n <= 0 || i < 0 || i >= n {
		return fmt.Errorf("merkle: leaf %d of %d", i, n)
	}
	h := leaf
	for n > 1 {
		if sib := i ^ 1; sib < n {
			if len(proof) == 0 {
				return fmt.Errorf("%w: proof too short", ErrMismatch)
			}
			if i%2 == 0 {
				h = node(h, proof[0])
			} else {
				h = node(proof[0], h)
			}
			proof = proof[1:]
		}
		i /= 2
		n = (n + 1) / 2
	}
	if len(proof) != 0 {
		return fmt.Errorf("%w: %d proof hashes left over", ErrMismatch, len(proof))
	}
	if h != root {
		return ErrMismatch
	}
	return nil
}
