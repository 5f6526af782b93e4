package fakebeacon

import (
	"testing"

	"github.com/ethereum/go-ethereum/beacon/params"
	"github.com/ethereum/go-ethereum/common"
)

// go-ethereum's verifier accepts a signature made once with the sum of the
// signers' secret keys, for exactly the signers named by the bits.
func TestCommitteeSignatureVerifies(t *testing.T) {
	c, err := newCommittee(DefaultSeed, committeeID{trueCommittee, 7})
	if err != nil {
		t.Fatal(err)
	}
	again, err := newCommittee(DefaultSeed, committeeID{trueCommittee, 7})
	if err != nil {
		t.Fatal(err)
	}
	if again.root != c.root {
		t.Fatal("committee keys are not deterministic")
	}
	sc, err := c.serialized.Deserialize()
	if err != nil {
		t.Fatal(err)
	}
	msg := common.HexToHash("0x1234")
	for _, n := range []int{params.SyncCommitteeSize, FewSignerCount} {
		agg, err := c.sign(msg, n)
		if err != nil {
			t.Fatal(err)
		}
		if agg.SignerCount() != n {
			t.Fatalf("signer count %d, want %d", agg.SignerCount(), n)
		}
		if !sc.VerifySignature(msg, &agg) {
			t.Fatalf("%d signers: signature rejected", n)
		}
		if sc.VerifySignature(common.HexToHash("0x1235"), &agg) {
			t.Fatalf("%d signers: signature accepted for another message", n)
		}
		agg.Signers[0] ^= 1 // name one signer fewer (or more)
		if sc.VerifySignature(msg, &agg) {
			t.Fatalf("%d signers: signature accepted with other bits", n)
		}
	}
}
