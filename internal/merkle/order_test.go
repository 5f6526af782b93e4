package merkle

import (
	"math/big"
	"strings"
	"testing"
)

// A digest's bytes are its hex; anything else is the zero of "no result".
// An order's leaves bind each digest to its order and index.
func TestOrderLeaves(t *testing.T) {
	d := "sha256:" + strings.Repeat("ab", 32)
	if got := DigestBytes(d); got[0] != 0xab || got[31] != 0xab {
		t.Fatalf("DigestBytes(%s) = %x", d, got)
	}
	for _, bad := range []string{"", "sha256:", "sha256:abc", "sha256:" + strings.Repeat("zz", 32), "sha256:" + strings.Repeat("ab", 33)} {
		if got := DigestBytes(bad); got != (Hash{}) {
			t.Errorf("DigestBytes(%q) = %x, want zero", bad, got)
		}
	}
	leaves := OrderLeaves(7, []string{d, ""})
	if len(leaves) != 2 || leaves[0] != Leaf(big.NewInt(7), 0, DigestBytes(d)) || leaves[1] != Leaf(big.NewInt(7), 1, Hash{}) {
		t.Fatalf("OrderLeaves = %x", leaves)
	}
	if OrderLeaves(8, []string{d})[0] == leaves[0] {
		t.Fatal("the same digest gives the same leaf in another order")
	}
}
