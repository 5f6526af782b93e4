package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
)

// ErrBadResult is returned when a result's key, address and prefix do not
// agree, or when a result is malformed.
var ErrBadResult = errors.New("result does not verify")

// Verify checks one result: a found result's private key must yield its
// address, and the address must start with its prefix. A not-found result
// must carry neither key nor address. Verify cannot tell that a not-found
// shard really found nothing; only rerunning the shard can.
func Verify(r *Result) error {
	p, err := ParsePrefix(r.Prefix)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrBadResult, err)
	}
	if !r.Found {
		if r.Address != "" || r.PrivateKey != "" {
			return fmt.Errorf("%w: found is false but a key or address is present", ErrBadResult)
		}
		return nil
	}
	key, err := ParsePrivateKey(r.PrivateKey)
	if err != nil {
		return fmt.Errorf("%w: private_key: %w", ErrBadResult, err)
	}
	claimed, err := ParseAddress(r.Address)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrBadResult, err)
	}
	derived, err := AddressOf(&key)
	if err != nil {
		return fmt.Errorf("%w: private_key: %w", ErrBadResult, err)
	}
	if derived != claimed {
		return fmt.Errorf("%w: private key yields %s, not %s", ErrBadResult, derived, r.Address)
	}
	if !p.Match(&derived) {
		return fmt.Errorf("%w: address %s does not start with prefix %s", ErrBadResult, derived, p)
	}
	return nil
}

// tally counts verified results.
type tally struct{ seen, failed, found int }

// verifyStream checks every JSON result in r (a result.json holds one; a
// captured stdout may hold several lines), reporting one line per result
// on out.
func (t *tally) verifyStream(name string, r io.Reader, out io.Writer) {
	dec := json.NewDecoder(r)
	seen := 0
	for {
		var res Result
		err := dec.Decode(&res)
		if err == io.EOF {
			break
		}
		seen++
		t.seen++
		if err != nil {
			t.failed++
			fmt.Fprintf(out, "FAIL %s: %v: not a result: %v\n", name, ErrBadResult, err)
			return
		}
		if err := Verify(&res); err != nil {
			t.failed++
			fmt.Fprintf(out, "FAIL %s: shard %d: %v\n", name, res.Shard, err)
			continue
		}
		if res.Found {
			t.found++
			fmt.Fprintf(out, "ok   %s: shard %d: %s has prefix %s (key %s, %d tried)\n", name, res.Shard, res.Address, res.Prefix, res.PrivateKey, res.Tried)
		} else {
			fmt.Fprintf(out, "ok   %s: shard %d: not found (%d tried)\n", name, res.Shard, res.Tried)
		}
	}
	if seen == 0 {
		t.seen++
		t.failed++
		fmt.Fprintf(out, "FAIL %s: %v: no result in input\n", name, ErrBadResult)
	}
}

func runVerify(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("vanity verify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: vanity verify [FILE...]   (no FILE, or -, reads stdin)")
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	files := fs.Args()
	if len(files) == 0 {
		files = []string{"-"}
	}
	var t tally
	for _, name := range files {
		if name == "-" {
			t.verifyStream("stdin", stdin, stdout)
			continue
		}
		f, err := os.Open(name)
		if err != nil {
			t.seen++
			t.failed++
			fmt.Fprintf(stdout, "FAIL %v\n", err)
			continue
		}
		t.verifyStream(name, f, stdout)
		f.Close()
	}
	if t.failed > 0 {
		fmt.Fprintf(stderr, "vanity verify: %d of %d results failed\n", t.failed, t.seen)
		return exitFail
	}
	fmt.Fprintf(stdout, "all %d results verified, %d with a key\n", t.seen, t.found)
	return exitOK
}
