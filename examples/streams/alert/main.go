package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
)

// Exit codes.
const (
	exitOK    = 0 // the input ended
	exitFail  = 1 // stdout could not be written
	exitUsage = 2 // bad flags or ALERT_ABOVE
)

// defaultAbove is the threshold without -above or ALERT_ABOVE, in °C.
const defaultAbove = 28.0

func main() {
	os.Exit(run(os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr))
}

// run reads the configuration and serves messages until stdin ends, so
// that tests drive the whole program without a process.
func run(args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	above := defaultAbove
	if s := getenv("ALERT_ABOVE"); s != "" {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			fmt.Fprintf(stderr, "alert: ALERT_ABOVE=%q is not a number\n", s)
			return exitUsage
		}
		above = v
	}
	fs := flag.NewFlagSet("alert", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Float64Var(&above, "above", above, "alert when the temperature is above this many `degrees` Celsius (default: $ALERT_ABOVE, else 28)")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "alert: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	if err := serve(stdin, stdout, stderr, above); err != nil {
		fmt.Fprintf(stderr, "alert: %v\n", err)
		return exitFail
	}
	return exitOK
}
