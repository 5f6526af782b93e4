package wasm

import (
	"strconv"
	"syscall"
)

// maxReserve bounds a reservation: address space is plenty on a 64-bit
// device, not on a 32-bit one, where a task may still grow past it.
var maxReserve uint64 = 64 << 30

func init() {
	if strconv.IntSize == 32 {
		maxReserve = 256 << 20
	}
}

// reserve maps n bytes (up to maxReserve) of zeroed memory that takes no
// room until touched (MAP_NORESERVE: nor is it counted against the
// system's commit limit), or reports that it could not.
func reserve(n uint64) ([]byte, bool) {
	n = min(n, maxReserve)
	n = (n + pageSize - 1) / pageSize * pageSize
	if n == 0 {
		return nil, false
	}
	b, err := syscall.Mmap(-1, 0, int(n), syscall.PROT_READ|syscall.PROT_WRITE,
		syscall.MAP_PRIVATE|syscall.MAP_ANONYMOUS|syscall.MAP_NORESERVE)
	if err != nil {
		return nil, false
	}
	return b, true
}

// release unmaps what reserve mapped.
func release(b []byte) { syscall.Munmap(b) }
