//go:build !linux

package wasm

// maxReserve is Linux's; elsewhere nothing is reserved.
var maxReserve uint64

// reserve is Linux's; elsewhere linear memory is a slice of the heap.
func reserve(uint64) ([]byte, bool) { return nil, false }

func release([]byte) {}
