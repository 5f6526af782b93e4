package devchain

import (
	"crypto/ecdsa"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/params"
)

// DevKey returns the development key called name ("provider",
// "requester", ...): the secp256k1 key whose scalar is
// keccak256("hearth dev key: " + name).
//
// These keys are PUBLIC: anyone can derive them from this comment. They are
// for development chains only; never send real funds to their addresses.
func DevKey(name string) *ecdsa.PrivateKey {
	seed := crypto.Keccak256([]byte("hearth dev key: " + name))
	key, err := crypto.ToECDSA(seed)
	if err != nil {
		// Only when the hash is zero or not below the curve order, which
		// happens with probability about 2^-128.
		panic(fmt.Sprintf("devchain: dev key %q: %v", name, err))
	}
	return key
}

// DevAddress returns the address of DevKey(name).
func DevAddress(name string) common.Address {
	return crypto.PubkeyToAddress(DevKey(name).PublicKey)
}

// devFunds is what DevAlloc gives each account.
var devFunds = new(big.Int).Mul(big.NewInt(10_000), big.NewInt(params.Ether))

// DevAlloc returns a genesis allocation that gives each address 10,000 ETH.
func DevAlloc(addrs ...common.Address) types.GenesisAlloc {
	alloc := make(types.GenesisAlloc, len(addrs))
	for _, addr := range addrs {
		alloc[addr] = types.Account{Balance: new(big.Int).Set(devFunds)}
	}
	return alloc
}
