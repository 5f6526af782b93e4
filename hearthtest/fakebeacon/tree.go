package fakebeacon

import (
	"crypto/sha256"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
)

// sparseTree is a binary SHA-256 Merkle tree given by a few of its nodes,
// each at a generalized index (1 is the root, g's children are 2g and
// 2g+1). A node that is not given and has no given node below it is 32 zero
// bytes; every other node is the hash of its two children. This is how SSZ
// hashes a container, except that real SSZ gives an empty subtree the
// zero-hash of its depth: a light client only checks the branches it is
// given, so the difference cannot be seen through one.
type sparseTree struct {
	leaves map[uint64]common.Hash
	inner  map[uint64]bool // strict ancestors of the leaves
	memo   map[uint64]common.Hash
}

// newSparseTree builds the tree of the given nodes. No node may be above
// another: its value would contradict its children.
func newSparseTree(leaves map[uint64]common.Hash) (*sparseTree, error) {
	t := &sparseTree{
		leaves: make(map[uint64]common.Hash, len(leaves)),
		inner:  make(map[uint64]bool),
		memo:   make(map[uint64]common.Hash),
	}
	for g, v := range leaves {
		if g == 0 {
			return nil, fmt.Errorf("fakebeacon: generalized index 0")
		}
		t.leaves[g] = v
		for a := g >> 1; a >= 1; a >>= 1 {
			t.inner[a] = true
		}
	}
	for g := range leaves {
		if t.inner[g] {
			return nil, fmt.Errorf("fakebeacon: tree node %d is given and also above another given node", g)
		}
	}
	return t, nil
}

// mustSparseTree is newSparseTree for the package's own fixed layouts.
func mustSparseTree(leaves map[uint64]common.Hash) *sparseTree {
	t, err := newSparseTree(leaves)
	if err != nil {
		panic(err)
	}
	return t
}

// node returns the value of the node at generalized index g.
func (t *sparseTree) node(g uint64) common.Hash {
	if v, ok := t.leaves[g]; ok {
		return v
	}
	if !t.inner[g] {
		return common.Hash{}
	}
	if v, ok := t.memo[g]; ok {
		return v
	}
	l, r := t.node(2*g), t.node(2*g+1)
	h := sha256.New()
	h.Write(l[:])
	h.Write(r[:])
	var v common.Hash
	h.Sum(v[:0])
	t.memo[g] = v
	return v
}

// root is the tree's root (generalized index 1).
func (t *sparseTree) root() common.Hash { return t.node(1) }

// branch is the Merkle proof of node g: its sibling, then its parent's
// sibling, and so on up to a child of the root, as
// go-ethereum's beacon/merkle.VerifyProof takes it.
func (t *sparseTree) branch(g uint64) []common.Hash {
	var out []common.Hash
	for ; g > 1; g >>= 1 {
		out = append(out, t.node(g^1))
	}
	return out
}
