package main

import (
	"io"
	"os"
)

// Exit codes shared by both modes.
const (
	exitOK    = 0 // search ran (found or not), or every result verified
	exitFail  = 1 // I/O failure, or a result did not verify
	exitUsage = 2 // bad flags or arguments
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run dispatches on the first argument, so tests can drive the whole
// program without a process.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "verify" {
		return runVerify(args[1:], stdin, stdout, stderr)
	}
	return runSearch(args, stdout, stderr)
}
