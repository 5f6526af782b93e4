//go:build !linux

package wasm

import "time"

// threadCPU cannot tell here; Result.CPU is then Wall.
func threadCPU() (time.Duration, bool) { return 0, false }
