// Command demo is `make demo`: a simulated home on one machine. It creates
// network namespaces on a bridge, starts one gateway and three agents as
// real processes, each in its own namespace, waits until discovery has
// paired them, runs the vanity job across them, prints where each task ran
// and the key found, verifies it, and tears everything down.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/hearth-home/hearth/e2e/home"
	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/internal/netnstest"
)

func main() {
	agents := flag.Int("agents", 3, "number of agents")
	job := flag.String("job", "examples/vanity/job.yaml", "job spec to run")
	bin := flag.String("bin", "bin", "directory with the built binaries")
	verbose := flag.Bool("v", false, "show every process's log")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, *agents, *job, *bin, *verbose); err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, agents int, jobFile, bin string, verbose bool) error {
	if os.Geteuid() != 0 {
		return fmt.Errorf(`the demo builds a simulated home out of network namespaces, which needs root.
Run it as root (sudo make demo), or try Hearth without root on this machine:
  bin/hearth-gateway --dev &
  bin/hearth job submit examples/vanity/job.yaml --wait`)
	}
	if err := netnstest.Supported(); err != nil {
		return fmt.Errorf("%w (is iproute2 installed?); try `hearth-gateway --dev` instead", err)
	}
	absBin, _ := filepath.Abs(bin)
	opts := home.Options{Agents: agents, Bin: absBin, Prefix: "demo"}
	if verbose {
		opts.Log = os.Stderr
	}
	start := time.Now()
	fmt.Printf("Building a simulated home: a bridge and %d network namespaces...\n", agents+1)
	h, err := home.Start(ctx, opts)
	if err != nil {
		return err
	}
	defer func() {
		fmt.Println("Tearing down the home...")
		h.Close()
	}()
	fmt.Printf("  gateway  at %s\n", h.GwAddr)
	for _, a := range h.Agents {
		fmt.Printf("  %s in namespace %s, started without the gateway's address: it must find it over mDNS\n", a.Name, a.NS)
	}

	fmt.Println("Waiting for the agents to discover the gateway and pair...")
	wctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	seen := map[string]bool{}
	for len(seen) < agents {
		ms, err := h.Members(wctx)
		if err == nil {
			for _, m := range ms {
				if m.State == api.MemberReady && !seen[m.ID] {
					seen[m.ID] = true
					fmt.Printf("  %-8s %s paired (%s, %s) %.1fs after start\n", m.Node.Name, m.ID[:7], m.Node.Arch, strings.Join(m.Node.Runtimes, ","), time.Since(start).Seconds())
				}
			}
		}
		select {
		case <-wctx.Done():
			return fmt.Errorf("only %d of %d agents paired within 30 s; run with -v to see their logs", len(seen), agents)
		case <-time.After(100 * time.Millisecond):
		}
	}

	absJob, _ := filepath.Abs(jobFile)
	fmt.Printf("Submitting %s and waiting for it...\n", jobFile)
	out, err := h.CLI(ctx, "job", "submit", absJob, "-o", "json")
	if err != nil {
		return err
	}
	var j api.Job
	if err := json.Unmarshal(out, &j); err != nil {
		return fmt.Errorf("decode submit output: %w", err)
	}
	var d api.JobDetail
	last := ""
	for {
		if err := h.CLIJSON(ctx, &d, "job", "get", j.ID); err != nil {
			return err
		}
		// One line per change: readable in a terminal and in a log alike.
		if line := fmt.Sprintf("  %s: %d/%d done, %d running, %d queued", j.ID, d.Counts.Done+d.Counts.Failed, d.Spec.Tasks, d.Counts.Leased, d.Counts.Queued); line != last {
			fmt.Println(line)
			last = line
		}
		if d.State != api.JobRunning {
			break
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(250 * time.Millisecond):
		}
	}
	fmt.Printf("  job %s %s in %.1fs\n", j.ID, d.State, d.Finished.Sub(d.Created).Seconds())

	names := map[string]string{}
	ms, _ := h.Members(ctx)
	for _, m := range ms {
		names[m.ID] = m.Node.Name
	}
	fmt.Println("Where each task ran:")
	fmt.Printf("  %-5s %-9s %-7s %-8s %s\n", "TASK", "NODE", "STATE", "WALL", "RESULT")
	perNode := map[string]int{}
	for _, t := range d.Tasks {
		wall, line := "-", ""
		if t.Result != nil {
			wall = (time.Duration(t.Result.WallMilli) * time.Millisecond).String()
			line = strings.TrimSpace(string(t.Result.Stdout))
			if len(line) > 60 {
				line = line[:60] + "..."
			}
		}
		perNode[names[t.Node]]++
		fmt.Printf("  %-5d %-9s %-7s %-8s %s\n", t.Index, names[t.Node], t.State, wall, line)
	}
	var spread []string
	for n, c := range perNode {
		spread = append(spread, fmt.Sprintf("%s: %d", n, c))
	}
	slices.Sort(spread)
	fmt.Printf("  tasks per node: %s\n", strings.Join(spread, ", "))

	dir, err := os.MkdirTemp("", "hearth-demo-results-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if _, err := h.CLI(ctx, "job", "results", j.ID, "--out", dir); err != nil {
		return err
	}
	fmt.Println("Results downloaded; every archive and result digest checked against the gateway's record.")
	files, _ := filepath.Glob(filepath.Join(dir, "*", "result.json"))
	var found []string
	for _, f := range files {
		var r struct {
			Found      bool   `json:"found"`
			Address    string `json:"address"`
			PrivateKey string `json:"private_key"`
			Shard      int    `json:"shard"`
		}
		raw, _ := os.ReadFile(f)
		if json.Unmarshal(raw, &r) == nil && r.Found {
			found = append(found, f)
			fmt.Printf("Found by shard %d: address %s\n                   key     %s\n", r.Shard, r.Address, r.PrivateKey)
		}
	}
	if len(found) == 0 {
		return fmt.Errorf("no shard found a key")
	}
	verify := exec.CommandContext(ctx, filepath.Join(absBin, "vanity"), append([]string{"verify"}, found...)...)
	verify.Stdout, verify.Stderr = os.Stdout, os.Stderr
	if err := verify.Run(); err != nil {
		return fmt.Errorf("vanity verify: %w", err)
	}
	fmt.Println("Verified: each key printed yields its address, and the address has the prefix.")
	fmt.Printf("Demo done in %.1fs.\n", time.Since(start).Seconds())
	return nil
}
