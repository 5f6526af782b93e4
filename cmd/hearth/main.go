// Command hearth is the people's command-line client of a Hearth home cloud:
// it lists the pool, approves devices, submits jobs and fetches their
// verified results. It talks to the gateway with the admin credentials that
// `hearth-gateway init` (or `hearth-gateway --dev`) writes.
package main

import (
	"context"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// Exit codes.
const (
	exitOK    = 0
	exitFail  = 1 // the command ran and failed (gateway error, failed job, digest mismatch)
	exitUsage = 2 // the command line is wrong
	// exitInterrupted: the user stopped the command (Ctrl-C), as shells
	// report a SIGINT.
	exitInterrupted = 130
)

// run is the whole program minus the process: it reads the environment
// through os.Getenv and writes only to stdout and stderr.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	c := &cli{
		stdout:    stdout,
		stderr:    stderr,
		getenv:    os.Getenv,
		now:       time.Now,
		pollEvery: 250 * time.Millisecond,
		terminal:  isTerminal(stderr),
	}
	return c.main(ctx, args)
}

// cli holds what every command shares: where to write, how to find the
// gateway, and the clock.
type cli struct {
	stdout, stderr io.Writer
	getenv         func(string) string
	now            func() time.Time
	// pollEvery is how often `job submit --wait` asks for progress.
	pollEvery time.Duration
	// terminal says stderr is a terminal: progress redraws one line.
	terminal bool

	// Set by the global flags, wherever they appear on the command line.
	credentialsFlag string
	gatewayFlag     string

	// credentialsPath is the file the credentials came from, for hints.
	credentialsPath string
}

// isTerminal reports whether w is a character device (a terminal, or
// /dev/null, where redrawing a line harms nobody).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
