package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// searchFlags parses the search mode's command line into a Search and the
// output directory.
func searchFlags(args []string, stderr io.Writer) (Search, string, error) {
	fs := flag.NewFlagSet("vanity", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: vanity -prefix HEX [-seed S] [-shard I] [-shards N] [-tries K] [-out DIR]")
		fmt.Fprintln(stderr, "       vanity verify [FILE...]")
		fs.PrintDefaults()
	}
	prefix := fs.String("prefix", "", "hex `digits` the address must start with (case-insensitive, 0x optional; required)")
	seed := fs.String("seed", "", "`string` that candidate keys are derived from")
	shard := fs.Uint64("shard", 0, "this task's `index`, 0 .. shards-1")
	shards := fs.Uint64("shards", 1, "`count` of tasks in the job")
	tries := fs.Uint64("tries", 100000, "`candidates` per shard; shard I searches counters I*K .. I*K+K-1")
	out := fs.String("out", "/out", "also write result.json into this `directory` when it exists")
	if err := fs.Parse(args); err != nil {
		return Search{}, "", err
	}
	if fs.NArg() > 0 {
		return Search{}, "", fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if *shards == 0 {
		return Search{}, "", fmt.Errorf("%w: -shards must be at least 1", ErrBadShard)
	}
	if *prefix == "" {
		return Search{}, "", errors.New("-prefix is required")
	}
	p, err := ParsePrefix(*prefix)
	if err != nil {
		return Search{}, "", fmt.Errorf("-prefix: %w", err)
	}
	s := Search{Prefix: p, Seed: *seed, Shard: *shard, Shards: *shards, Tries: *tries}
	if _, _, err := s.Range(); err != nil {
		return Search{}, "", err
	}
	return s, *out, nil
}

func runSearch(args []string, stdout, stderr io.Writer) int {
	s, outDir, err := searchFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		fmt.Fprintf(stderr, "vanity: %v\n", err)
		return exitUsage
	}
	r, err := s.Run()
	if err != nil {
		fmt.Fprintf(stderr, "vanity: %v\n", err)
		return exitFail
	}
	line, err := json.Marshal(r)
	if err != nil {
		fmt.Fprintf(stderr, "vanity: %v\n", err)
		return exitFail
	}
	line = append(line, '\n')
	if _, err := stdout.Write(line); err != nil {
		fmt.Fprintf(stderr, "vanity: writing stdout: %v\n", err)
		return exitFail
	}
	// The output directory is optional: natively there is usually no /out,
	// and stdout already carries the same line.
	if fi, err := os.Stat(outDir); err == nil && fi.IsDir() {
		if err := os.WriteFile(filepath.Join(outDir, "result.json"), line, 0o644); err != nil {
			fmt.Fprintf(stderr, "vanity: %v\n", err)
			return exitFail
		}
	}
	return exitOK
}
