package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/hearth-home/hearth/e2e/home"
	"github.com/hearth-home/hearth/gateway/api"
)

// vanityResult is what the vanity app writes to /out/result.json.
type vanityResult struct {
	Found      bool   `json:"found"`
	Address    string `json:"address"`
	PrivateKey string `json:"private_key"`
	Shard      int    `json:"shard"`
}

// verifyKeys downloads the results of d (the CLI checks every archive and
// digest against the gateway's record), prints the keys found and checks
// them with `vanity verify`. It returns how many it found, and fails when
// there is none.
func verifyKeys(ctx context.Context, h *home.Home, bin string, d api.JobDetail) (int, error) {
	dir, err := os.MkdirTemp("", "hearth-demo-results-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(dir)
	if _, err := h.CLI(ctx, "job", "results", d.ID, "--out", dir); err != nil {
		return 0, err
	}
	fmt.Println("  results downloaded; every archive and result digest checked against the gateway's record")
	files, _ := filepath.Glob(filepath.Join(dir, "*", "result.json"))
	index := func(f string) int { n, _ := strconv.Atoi(filepath.Base(filepath.Dir(f))); return n }
	slices.SortFunc(files, func(a, b string) int { return index(a) - index(b) })
	var found []string
	for _, f := range files {
		var r vanityResult
		raw, _ := os.ReadFile(f)
		if json.Unmarshal(raw, &r) == nil && r.Found {
			found = append(found, f)
			lead := fmt.Sprintf("  found by task %s: ", filepath.Base(filepath.Dir(f)))
			fmt.Printf("%saddress %s\n%*skey     %s\n", lead, r.Address, len(lead), "", r.PrivateKey)
		}
	}
	if len(found) == 0 {
		return 0, fmt.Errorf("%s: no task found a key", d.ID)
	}
	verify := exec.CommandContext(ctx, filepath.Join(bin, "vanity"), append([]string{"verify"}, found...)...)
	out, err := verify.CombinedOutput()
	if err != nil {
		return 0, fmt.Errorf("vanity verify: %w\n%s", err, out)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fmt.Println("  | " + line)
	}
	fmt.Println("  verified: each key yields its address, and the address has the prefix")
	return len(found), nil
}
