package main

import "unsafe"

// trapAt is global so that the compiler cannot drop the store through it.
var trapAt *byte

// trap stores far outside the module's linear memory: Go checks only nil
// pointers, so the store reaches the wasm engine, which traps with an out
// of bounds memory access.
func trap() {
	trapAt = (*byte)(unsafe.Add(unsafe.Pointer(&sink), 3<<30))
	*trapAt = 1
}
