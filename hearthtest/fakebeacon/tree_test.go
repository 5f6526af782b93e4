package fakebeacon

import (
	"crypto/sha256"
	"math/rand/v2"
	"testing"

	"github.com/ethereum/go-ethereum/beacon/merkle"
	btypes "github.com/ethereum/go-ethereum/beacon/types"
	"github.com/ethereum/go-ethereum/common"
)

func TestSparseTreeBranchesVerify(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for round := 0; round < 50; round++ {
		leaves := map[uint64]common.Hash{}
		for len(leaves) < 1+rng.IntN(8) {
			depth := 1 + rng.IntN(9)
			g := uint64(1)<<depth | rng.Uint64N(uint64(1)<<depth)
			ok := true
			for h := range leaves { // keep leaves off each other's paths
				if isAncestor(g, h) || isAncestor(h, g) || g == h {
					ok = false
				}
			}
			if ok {
				var v common.Hash
				for i := range v {
					v[i] = byte(rng.Uint32())
				}
				leaves[g] = v
			}
		}
		tr, err := newSparseTree(leaves)
		if err != nil {
			t.Fatal(err)
		}
		root := tr.root()
		for g, v := range leaves {
			if err := merkle.VerifyProof(root, g, toValues(tr.branch(g)), merkle.Value(v)); err != nil {
				t.Fatalf("round %d: leaf %d of %v: %v", round, g, keys(leaves), err)
			}
			var other merkle.Value
			other[0] = 1
			if merkle.VerifyProof(root, g, toValues(tr.branch(g)), other) == nil {
				t.Fatalf("round %d: leaf %d: another value verifies", round, g)
			}
		}
	}
}

func TestSparseTreeZeroNodes(t *testing.T) {
	v := common.HexToHash("0x01")
	tr := mustSparseTree(map[uint64]common.Hash{2: v})
	if want := sha256.Sum256(append(v.Bytes(), make([]byte, 32)...)); tr.root() != want {
		t.Fatalf("root = %x, want sha256(v, zero) = %x", tr.root(), want)
	}
	if _, err := newSparseTree(map[uint64]common.Hash{4: v, 9: v}); err == nil {
		t.Fatal("a leaf above another leaf was accepted")
	}
}

// The beacon header is a container of five fields at generalized indices
// 8..12, padded with zero leaves to 8: the sparse tree must hash it as
// go-ethereum does once the padding is given (left out, nodes 13..15 would
// make node 7 zero instead of the hash of zeros).
func TestSparseTreeHashesHeaderAsGoEthereum(t *testing.T) {
	h := btypes.Header{Slot: 123456789, ProposerIndex: 42, ParentRoot: common.HexToHash("0xaa"), StateRoot: common.HexToHash("0xbb"), BodyRoot: common.HexToHash("0xcc")}
	tr := mustSparseTree(map[uint64]common.Hash{
		8: leUint64(h.Slot), 9: leUint64(h.ProposerIndex), 10: h.ParentRoot, 11: h.StateRoot, 12: h.BodyRoot,
		13: {}, 14: {}, 15: {},
	})
	if tr.root() != h.Hash() {
		t.Fatalf("root = %x, Header.Hash() = %x", tr.root(), h.Hash())
	}
}

func isAncestor(a, g uint64) bool {
	for g >>= 1; g >= 1; g >>= 1 {
		if g == a {
			return true
		}
	}
	return false
}

func toValues(hs []common.Hash) merkle.Values {
	out := make(merkle.Values, len(hs))
	for i, h := range hs {
		out[i] = merkle.Value(h)
	}
	return out
}

func keys(m map[uint64]common.Hash) []uint64 {
	var out []uint64
	for k := range m {
		out = append(out, k)
	}
	return out
}
