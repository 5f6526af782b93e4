package devchain

import (
	"bytes"
	"math/big"
	"testing"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	"github.com/ethereum/go-ethereum/common"
	"golang.org/x/crypto/sha3"
)

// The dev addresses are in docs and wallets' address books; they must not
// drift.
var wantDevAddresses = map[string]string{
	"provider":  "0x4A856ed370F4c09FE34439978f13E1556313783F",
	"requester": "0xafe4033e522a75D5eabCc565B42767BaAD239a35",
}

func TestDevKeyIsTheDocumentedDerivation(t *testing.T) {
	for name, want := range wantDevAddresses {
		// Derive independently of go-ethereum: keccak256 from x/crypto,
		// the public key from decred's secp256k1.
		h := sha3.NewLegacyKeccak256()
		h.Write([]byte("hearth dev key: " + name))
		scalar := h.Sum(nil)
		pub := secp256k1.PrivKeyFromBytes(scalar).PubKey().SerializeUncompressed()
		h = sha3.NewLegacyKeccak256()
		h.Write(pub[1:])
		derived := common.BytesToAddress(h.Sum(nil)[12:])

		key := DevKey(name)
		if !bytes.Equal(key.D.FillBytes(make([]byte, 32)), scalar) {
			t.Errorf("DevKey(%q) scalar is not keccak256 of the documented string", name)
		}
		if got := DevAddress(name); got != derived || got.Hex() != want {
			t.Errorf("DevAddress(%q) = %s; independent derivation %s; pinned %s", name, got, derived, want)
		}
	}
	if DevAddress("provider") == DevAddress("requester") {
		t.Error("provider and requester share a key")
	}
}

func TestDevAllocFundsEachAddress(t *testing.T) {
	a, b := DevAddress("provider"), DevAddress("requester")
	alloc := DevAlloc(a, b)
	want, _ := new(big.Int).SetString("10000000000000000000000", 10)
	if len(alloc) != 2 {
		t.Fatalf("DevAlloc has %d accounts, want 2", len(alloc))
	}
	for _, addr := range []common.Address{a, b} {
		if got := alloc[addr].Balance; got == nil || got.Cmp(want) != 0 {
			t.Errorf("balance of %s = %v, want %v", addr, got, want)
		}
	}
	// Each account owns its balance: changing one must not change another.
	alloc[a].Balance.SetInt64(1)
	if alloc[b].Balance.Cmp(want) != 0 || DevAlloc(a)[a].Balance.Cmp(want) != 0 {
		t.Error("DevAlloc balances share memory")
	}
}
