// Package contracts holds Hearth's market contract, HearthMarket.sol, and its
// Go bindings.
//
// HearthMarket.abi, HearthMarket.bin and hearthmarket.go are generated and
// committed; `make contracts` regenerates them (solc from npm at the version
// package-lock.json pins, then abigen v2 pinned in go.mod), and `make
// contracts-check`, which CI runs, fails when they differ from the sources.
// docs/market.md describes the contract's functions and events.
package contracts

import (
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

// Order statuses, as the contract's Status enum numbers them.
const (
	StatusNone uint8 = iota
	StatusOpen
	StatusAccepted
	StatusSettled
	StatusReclaimed
	StatusDisputed
)

// Runtimes, as the contract's Runtime enum numbers them.
const (
	RuntimeWasm uint8 = iota
	RuntimeOCI
)

// StatusName is a status's name for people: "open", "accepted", ...
func StatusName(s uint8) string {
	switch s {
	case StatusOpen:
		return "open"
	case StatusAccepted:
		return "accepted"
	case StatusSettled:
		return "settled"
	case StatusReclaimed:
		return "reclaimed"
	case StatusDisputed:
		return "disputed"
	}
	return "none"
}

// Seal is what a provider commits to for a batch of reveals of replicated
// orders: the contract's sealOf(provider, batch), keccak256 of
// abi.encode(provider, batch), computed here without a call.
func Seal(provider common.Address, batch []HearthMarketSettlement) [32]byte {
	data := NewHearthMarket().PackSealOf(provider, batch)
	return crypto.Keccak256Hash(data[4:]) // without the selector
}

// Seats are the provider numbers in a replicated order's seats, as
// Replication.seats packs them: seat i in bits 32i to 32i+31.
func Seats(rep ReplicationOutput) []uint32 {
	out := make([]uint32, rep.Joined)
	for i := range out {
		out[i] = uint32(new(big.Int).Rsh(rep.Seats, uint(32*i)).Uint64())
	}
	return out
}
