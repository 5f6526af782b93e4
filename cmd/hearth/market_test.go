package main

import (
	"encoding/hex"
	"strings"
	"testing"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/gateway/chain"
	"github.com/hearth-home/hearth/internal/merkle"
)

func TestParseAmount(t *testing.T) {
	for in, want := range map[string]string{
		"12345": "12345", "1eth": "1000000000000000000", "0.5 ETH": "500000000000000000",
		"100gwei": "100000000000", "7wei": "7", "1.5ether": "1500000000000000000",
	} {
		got, err := parseAmount(in)
		if err != nil || got.String() != want {
			t.Errorf("parseAmount(%q) = %v, %v; want %s", in, got, err, want)
		}
	}
	// Bad input names the amount and says what is wanted.
	for _, in := range []string{"", "-1", "abc", "0.5wei", "1e", "1.5"} {
		if _, err := parseAmount(in); err == nil || !strings.Contains(err.Error(), "amount") {
			t.Errorf("parseAmount(%q): %v, want an error naming the amount", in, err)
		}
	}
}

// verifyOrderResults accepts the provider's honest results and names each
// task whose result the root on chain does not hold.
func TestVerifyOrderResults(t *testing.T) {
	const id = 9
	digests := []string{"sha256:" + strings.Repeat("a", 64), "", "sha256:" + strings.Repeat("c", 64)}
	leaves := merkle.OrderLeaves(id, digests)
	root := merkle.Root(leaves)
	res := api.MarketResults{}
	for i, d := range digests {
		p, _ := merkle.Proof(leaves, i)
		var hs []string
		for _, h := range p {
			hs = append(hs, "0x"+hex.EncodeToString(h[:]))
		}
		res.Proofs = append(res.Proofs, hs)
		task := api.Task{Index: i, State: api.TaskFailed}
		if d != "" {
			task = api.Task{Index: i, State: api.TaskDone, Result: &api.TaskResult{Digest: d}}
		}
		res.Tasks = append(res.Tasks, task)
	}
	if bad := verifyOrderResults(id, 3, 2, root, res); len(bad) != 0 {
		t.Fatalf("honest results: %v", bad)
	}
	res.Tasks[2].Result = &api.TaskResult{Digest: "sha256:" + strings.Repeat("d", 64)}
	bad := verifyOrderResults(id, 3, 2, root, res)
	if len(bad) != 1 || !strings.HasPrefix(bad[0], "task 2:") {
		t.Fatalf("a result the provider did not settle: %v, want task 2 named", bad)
	}
	if bad := verifyOrderResults(id, 3, 3, root, res); len(bad) < 2 {
		t.Fatalf("a done count that differs from the chain's is not named: %v", bad)
	}
}

// The CLI reads the dev chain locally, verifies when it knows a beacon
// endpoint, and otherwise trusts (the caller warns); a mode that cannot
// work is a usage error.
func TestReadMode(t *testing.T) {
	for _, c := range []struct {
		flag   string
		dev    bool
		beacon string
		want   chain.Mode
		err    bool
	}{
		{dev: true, want: chain.ModeLocal},
		{dev: true, beacon: "http://b", want: chain.ModeLocal},
		{beacon: "http://b", want: chain.ModeVerified},
		{want: chain.ModeTrusted},
		{flag: "trusted", beacon: "http://b", want: chain.ModeTrusted},
		{flag: "verified", beacon: "http://b", want: chain.ModeVerified},
		{flag: "verified", err: true},
		{flag: "sure", beacon: "http://b", err: true},
	} {
		got, err := readMode(c.flag, c.dev, c.beacon)
		if (err != nil) != c.err || got != c.want {
			t.Errorf("readMode(%q, %v, %q) = %q, %v; want %q, error %v", c.flag, c.dev, c.beacon, got, err, c.want, c.err)
		}
	}
}
