// Package contracts holds Hearth's market contract, HearthMarket.sol, and its
// Go bindings.
//
// HearthMarket.abi, HearthMarket.bin and hearthmarket.go are generated and
// committed; `make contracts` regenerates them (solc from npm at the version
// package-lock.json pins, then abigen v2 pinned in go.mod), and `make
// contracts-check`, which CI runs, fails when they differ from the sources.
// docs/market.md describes the contract's functions and events.
package contracts

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
