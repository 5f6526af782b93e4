//go:build !wasip1

package main

import "runtime/debug"

// trap dies of a fatal signal: with the traceback level "crash", the Go
// runtime ends an unrecovered panic with SIGABRT instead of exit status 2,
// so the runtime under test sees a crash, not an exit.
func trap() {
	debug.SetTraceback("crash")
	panic("testapp: trap")
}
