package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/hearth-home/hearth/e2e/home"
	"github.com/hearth-home/hearth/gateway/api"
)

// runWasmHome is the all-wasm home: a gateway and o.agents amd64 agents
// that find it over mDNS, sharing the wasm job. Its agents leave containerd
// alone (--containerd off), whatever this machine runs.
func runWasmHome(ctx context.Context, o options, start time.Time) error {
	opts := home.Options{Agents: o.agents, Bin: o.bin, Prefix: "demo", AgentArgs: []string{"--containerd", "off"}, GatewayArgs: marketArgs}
	if o.verbose {
		opts.Log = os.Stderr
	}
	fmt.Printf("Building a simulated home: a bridge and %d network namespaces...\n", o.agents+1)
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
	members, err := waitPaired(ctx, h, start, 30*time.Second)
	if err != nil {
		return err
	}

	spec, _ := filepath.Abs(o.job)
	fmt.Printf("Submitting %s and waiting for it...\n", o.job)
	j, err := submit(ctx, h, spec)
	if err != nil {
		return err
	}
	ds, err := waitJobs(ctx, h, 2*time.Minute, j.ID)
	if err != nil {
		return err
	}
	d := ds[0]
	fmt.Printf("  job %s %s in %.1fs\n", d.ID, d.State, d.Finished.Sub(d.Created).Seconds())
	fmt.Println("Where each task ran:")
	printTasks(d, members, nil, "")
	if d.State != api.JobDone {
		return fmt.Errorf("job %s %s", d.ID, d.State)
	}
	if _, err = verifyKeys(ctx, h, o.bin, d); err != nil {
		return err
	}
	return runMarket(ctx, h, o.bin)
}
