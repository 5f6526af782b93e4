package main

import (
	"crypto/sha256"
	"encoding/binary"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
)

// CandidateKey derives the private key numbered counter from seed:
// sha256(seed || counter as 8 bytes big-endian). The counter has a fixed
// width, so distinct (seed, counter) pairs hash distinct inputs. A digest that
// is zero or not below the secp256k1 order (odds about 2^-128) is hashed
// again until it is a valid scalar, so every counter yields exactly one key.
//
// This function is the search's whole contract with replication: change it
// and results from older builds no longer certify against newer ones.
func CandidateKey(seed string, counter uint64) [32]byte {
	msg := make([]byte, len(seed)+8)
	copy(msg, seed)
	binary.BigEndian.PutUint64(msg[len(seed):], counter)
	k := sha256.Sum256(msg)
	for !validScalar(&k) {
		k = sha256.Sum256(k[:])
	}
	return k
}

func validScalar(k *[32]byte) bool {
	var s secp256k1.ModNScalar
	overflow := s.SetBytes(k)
	return overflow == 0 && !s.IsZero()
}
