//go:build !linux

package main

import (
	"fmt"
	"os"
)

func unsupported() {
	fmt.Fprintln(os.Stderr, "testapp: this mode needs Linux")
	os.Exit(100)
}

func whoami()      { unsupported() }
func forkbomb(int) { unsupported() }
func escape()      { unsupported() }
