package main

import (
	"flag"
	"fmt"
	"io"
	"os"
)

// Exit codes.
const (
	exitOK    = 0
	exitFail  = 1 // the window could not be read or the averages written
	exitUsage = 2
)

func main() {
	os.Exit(run(os.Args[1:], os.Stderr))
}

func run(args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet("average", flag.ContinueOnError)
	fs.SetOutput(stderr)
	in := fs.String("in", "/in/window.ndjson", "the window's messages, one JSON line each")
	out := fs.String("out", "/out/averages.ndjson", "where the averages go, one output JSON line per key")
	field := fs.String("field", "temperature", "the payload's numeric field to average")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if err := averageFile(*in, *out, *field, stderr); err != nil {
		fmt.Fprintf(stderr, "average: %v\n", err)
		return exitFail
	}
	return exitOK
}

func averageFile(inPath, outPath, field string, stderr io.Writer) error {
	in, err := os.Open(inPath)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(outPath)
	if err != nil {
		return err
	}
	if err := average(in, out, field, stderr); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
