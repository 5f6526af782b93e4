package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/hearth-home/hearth/e2e/home"
	"github.com/hearth-home/hearth/gateway/api"
)

// armName is the emulated device's name in the pool.
const armName = "pi-zero"

// runMixedHome is the mixed home: a gateway, two amd64 agents that run
// containers (one containerd, a namespace each) and wasm, and an arm/v6
// agent under qemu-arm-static that runs wasm only. The oci job must land
// on the amd64 agents only, and the wasm job on all three.
func runMixedHome(ctx context.Context, o options, start time.Time) (err error) {
	sock := os.Getenv(socketEnv)
	c := ctr{sock: sock}
	c.wipeStale(ctx)
	armBin, err := buildArmAgent(ctx, o.bin)
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "hearth-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	ociSpec, _ := filepath.Abs(o.ociJob)
	if _, err := os.Stat(ociSpec); err != nil {
		return fmt.Errorf("%v: `make build` builds the example apps", err)
	}
	wasmFile, _ := filepath.Abs(o.job)
	wasmSpec, recutWhy, err := recut(wasmFile, tmp, o.armTries)
	if err != nil {
		return err
	}

	namespaces := []string{containerdNamespace(1), containerdNamespace(2)}
	opts := home.Options{Agents: 3, Bin: o.bin, Prefix: "demo", GatewayArgs: marketArgs, PerAgent: []home.AgentOptions{
		{Args: []string{"--containerd", sock, "--containerd-namespace", namespaces[0]}},
		{Args: []string{"--containerd", sock, "--containerd-namespace", namespaces[1]}},
		// One slot: a Pi Zero has one core, and qemu would otherwise see
		// the host's.
		{Name: armName, Binary: armBin, Wrapper: []string{qemuARM}, Join: true, Args: []string{"--slots", "1"}},
	}}
	if o.verbose {
		opts.Log = os.Stderr
	}
	fmt.Println("Building a simulated home: a bridge and 4 network namespaces...")
	h, err := home.Start(ctx, opts)
	if err != nil {
		return err
	}
	defer func() {
		fmt.Println("Tearing down the home...")
		h.Close()
		// Cancelled or not, the namespaces go: a fresh context.
		cctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		for _, ns := range namespaces {
			what, werr := c.wipe(cctx, ns)
			if werr != nil {
				err = errors.Join(err, fmt.Errorf("removing containerd namespace %s: %w", ns, werr))
				continue
			}
			fmt.Printf("  containerd namespace %s removed (%s)\n", ns, what)
		}
	}()
	fmt.Printf("  gateway  at %s, network namespace %s\n", h.GwAddr, h.Gateway.NS)
	for i, a := range h.Agents[:2] {
		fmt.Printf("  %-8s amd64 (hearth-agent), network namespace %s: finds the gateway over mDNS;\n"+
			"           runs containers in containerd namespace %s\n", a.Name, a.NS, namespaces[i])
	}
	arm := h.Agents[2]
	fmt.Printf("  %-8s linux/arm/v6 (%s under %s), network namespace %s: wasm only;\n"+
		"           joins %s with --join (qemu-user cannot join multicast groups, so no mDNS)\n",
		arm.Name, armAgent, qemuARM, arm.NS, h.GwAddr)
	fmt.Printf("  both amd64 agents use the containerd at %s\n", sock)

	fmt.Println("Waiting for the agents to pair...")
	members, err := waitPaired(ctx, h, start, 60*time.Second)
	if err != nil {
		return err
	}
	if err := checkMembers(members); err != nil {
		return err
	}

	fmt.Printf("Submitting both jobs at once, the oci one first: its tasks are queued ahead\n"+
		"of the wasm ones, and the gateway must pass them over when %s asks for work.\n", armName)
	fmt.Printf("  oci:  %s\n", o.ociJob)
	fmt.Printf("  wasm: %s: %s\n", o.job, recutWhy)
	oj, err := submit(ctx, h, ociSpec)
	if err != nil {
		return err
	}
	fmt.Printf("  %s: %d tasks, image platforms %s\n", oj.ID, oj.Spec.Tasks, strings.Join(oj.Spec.Platforms, ", "))
	wj, err := submit(ctx, h, wasmSpec)
	if err != nil {
		return err
	}
	fmt.Printf("  %s: %d tasks\n", wj.ID, wj.Spec.Tasks)
	ds, err := waitJobs(ctx, h, armTimeout+time.Minute, oj.ID, wj.ID)
	if err != nil {
		return err
	}
	od, wd := ds[0], ds[1]

	fmt.Printf("Job %s (oci) %s in %.1fs. Where each task ran:\n", od.ID, od.State, od.Finished.Sub(od.Created).Seconds())
	printTasks(od, members, nil, "")
	if od.State != api.JobDone {
		return fmt.Errorf("job %s %s", od.ID, od.State)
	}
	onArm := nodesOf(od, members)[armName]
	if onArm > 0 {
		return fmt.Errorf("%d oci tasks ran on %s, which has no containerd: placement is broken", onArm, armName)
	}
	fmt.Printf("  check: no oci task ran on %s: ok (the image has a build for %s, but it runs no containers)\n",
		armName, strings.Join(armPlatforms(od.Spec.Platforms), ", "))
	ociKeys, err := verifyKeys(ctx, h, o.bin, od)
	if err != nil {
		return err
	}

	fmt.Printf("Job %s (wasm) %s in %.1fs. Where each task ran", wd.ID, wd.State, wd.Finished.Sub(wd.Created).Seconds())
	var show func(api.Task) bool
	if len(wd.Tasks) > 16 {
		fmt.Printf(" (those on %s, and those that found a key):\n", armName)
		at := where(wd, members)
		show = func(t api.Task) bool {
			return at(t).node == armName || t.Result != nil && strings.Contains(string(t.Result.Stdout), `"found":true`)
		}
	} else {
		fmt.Println(":")
	}
	printTasks(wd, members, show, "on the amd64 agents that found no key")
	if wd.State != api.JobDone {
		return fmt.Errorf("job %s %s", wd.ID, wd.State)
	}
	used := nodesOf(wd, members)
	var ran []string
	for n, c := range used {
		ran = append(ran, fmt.Sprintf("%s (%d)", n, c))
	}
	slices.Sort(ran)
	if n := used[armName]; n > 0 {
		fmt.Printf("  check: the wasm job ran on %d of the 3 agents, %s (emulated arm/v6) among them: ok\n", len(used), armName)
	} else {
		// Not a fault: the pool gives work to whoever asks, and the amd64
		// agents emptied the queue before the emulated one asked again.
		fmt.Printf("  note: %s took no task of the wasm job, which ran on %s only: the amd64\n"+
			"  agents emptied the queue before it asked. It paired and was ready (see above); run the demo\n"+
			"  again, or give -arm-tries a smaller number for more, smaller tasks.\n", armName, strings.Join(ran, ", "))
	}
	wasmKeys, err := verifyKeys(ctx, h, o.bin, wd)
	if err != nil {
		return err
	}
	if wasmKeys > ociKeys && wasmSpec != wasmFile {
		fmt.Printf("  (%d keys against the oci job's %d: each task stops at its first key, and the recut job's\n"+
			"  smaller tasks reach keys that the file's larger ones stop before)\n", wasmKeys, ociKeys)
	}
	return runMarket(ctx, h, o.bin)
}

// armPlatforms picks the 32-bit ARM platforms out of an image's.
func armPlatforms(ps []string) []string {
	var arm []string
	for _, p := range ps {
		if strings.HasPrefix(p, "linux/arm/") {
			arm = append(arm, p)
		}
	}
	if len(arm) == 0 {
		return []string{"no arm/v6"}
	}
	return arm
}

// checkMembers checks that each agent is what the demo says it is: the
// amd64 agents run oci images, the emulated one is arm/v6 and wasm only.
func checkMembers(members map[string]api.Member) error {
	for _, m := range members {
		oci := slices.Contains(m.Node.Runtimes, "oci")
		switch {
		case m.Node.Name == armName && (oci || m.Node.Arch != "armv6"):
			return fmt.Errorf("%s reports %s: want armv6, wasm only", armName, describe(m.Node))
		case m.Node.Name != armName && !oci:
			return fmt.Errorf("%s reports %s: it has no containerd; see its log with -v", m.Node.Name, describe(m.Node))
		}
	}
	return nil
}
