package merkle

import (
	"errors"
	"math/big"
	"testing"
)

func leaves(n int) []Hash {
	ls := make([]Hash, n)
	for i := range ls {
		var d Hash
		d[0], d[31] = byte(i), 0xaa
		ls[i] = Leaf(big.NewInt(7), uint64(i), d)
	}
	return ls
}

// Every leaf of trees of every shape up to 33 proves against the root, and
// a changed leaf, index, count or proof does not.
func TestProofs(t *testing.T) {
	for n := 1; n <= 33; n++ {
		ls := leaves(n)
		root := Root(ls)
		for i := range ls {
			p, err := Proof(ls, i)
			if err != nil {
				t.Fatal(err)
			}
			if err := Verify(root, ls[i], i, n, p); err != nil {
				t.Fatalf("n=%d i=%d: %v", n, i, err)
			}
			bad := ls[i]
			bad[5] ^= 1
			if err := Verify(root, bad, i, n, p); !errors.Is(err, ErrMismatch) {
				t.Fatalf("n=%d i=%d: changed leaf: %v", n, i, err)
			}
			if n > 1 {
				if err := Verify(root, ls[i], (i+1)%n, n, p); err == nil {
					t.Fatalf("n=%d i=%d: wrong index verified", n, i)
				}
				if len(p) > 0 {
					if err := Verify(root, ls[i], i, n, p[:len(p)-1]); err == nil {
						t.Fatalf("n=%d i=%d: short proof verified", n, i)
					}
				}
			}
			if err := Verify(root, ls[i], i, n, append(p, Hash{})); err == nil {
				t.Fatalf("n=%d i=%d: long proof verified", n, i)
			}
		}
	}
}

// The leaf binds the order and the index, so a result cannot be moved.
func TestLeafBinds(t *testing.T) {
	var d Hash
	d[0] = 1
	a := Leaf(big.NewInt(1), 0, d)
	if a == Leaf(big.NewInt(2), 0, d) || a == Leaf(big.NewInt(1), 1, d) {
		t.Fatal("leaf does not bind order and index")
	}
	// A leaf is never a node of two hashes: prefixes differ.
	if Root([]Hash{a}) != a {
		t.Fatal("a single leaf is its own root")
	}
	if Root(nil) != (Hash{}) {
		t.Fatal("empty tree has the zero root")
	}
	if _, err := Proof(nil, 0); err == nil {
		t.Fatal("proof of an empty tree")
	}
}
