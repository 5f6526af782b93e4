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
// agent under qemu-arm-static (the small build) that runs wasm, and
// containers through runc alone when runc is installed. The wasm job runs
// on all three; an image with an arm/v6 build alone runs on the arm/v6
// agent only, and the demo compares its speed there with wasm's.
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

	undoBinfmt, noRunc := armRunc()
	if undoBinfmt != nil {
		defer undoBinfmt()
	}
	armJob := ""
	if noRunc == "" {
		if armJob, err = packArmImage(ctx, o.bin, tmp, 2, o.armTries); err != nil {
			return err
		}
	}
	// One slot: a Pi Zero has one core, and qemu would otherwise see the
	// host's. With runc it enters only its network namespace, keeping the
	// host's cgroup mounts, which runc needs.
	armOpts := home.AgentOptions{Name: armName, Binary: armBin, Wrapper: []string{qemuARM}, Join: true, Args: []string{"--slots", "1"}, HostMounts: noRunc == ""}
	if noRunc != "" {
		armOpts.Args = append(armOpts.Args, "--runc", "off")
	}
	namespaces := []string{containerdNamespace(1), containerdNamespace(2)}
	opts := home.Options{Agents: 3, Bin: o.bin, Prefix: "demo", GatewayArgs: marketArgs, PerAgent: []home.AgentOptions{
		{Args: []string{"--containerd", sock, "--containerd-namespace", namespaces[0]}},
		{Args: []string{"--containerd", sock, "--containerd-namespace", namespaces[1]}},
		armOpts,
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
	runs := "wasm, and containers through runc alone (no containerd)"
	if noRunc != "" {
		runs = "wasm only: " + noRunc
	}
	fmt.Printf("  %-8s linux/arm/v6 (%s under %s), network namespace %s: %s;\n"+
		"           joins %s with --join (qemu-user cannot join multicast groups, so no mDNS)\n",
		arm.Name, armAgent, qemuARM, arm.NS, runs, h.GwAddr)
	fmt.Printf("  both amd64 agents use the containerd at %s\n", sock)

	fmt.Println("Waiting for the agents to pair...")
	members, err := waitPaired(ctx, h, start, 60*time.Second)
	if err != nil {
		return err
	}
	if err := checkMembers(members, noRunc == ""); err != nil {
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
	ids := []string{oj.ID, wj.ID}
	if armJob != "" {
		aj, err := submit(ctx, h, armJob)
		if err != nil {
			return err
		}
		fmt.Printf("  and an image with the arm/v6 build alone, which only %s runs: %s, %d tasks\n", armName, aj.ID, aj.Spec.Tasks)
		ids = append(ids, aj.ID)
	}
	ds, err := waitJobs(ctx, h, armTimeout+time.Minute, ids...)
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
	switch {
	case noRunc != "" && onArm > 0:
		return fmt.Errorf("%d oci tasks ran on %s, which runs no containers: placement is broken", onArm, armName)
	case noRunc != "":
		fmt.Printf("  check: no oci task ran on %s: ok (the image has a build for %s, but it runs no containers)\n",
			armName, strings.Join(armPlatforms(od.Spec.Platforms), ", "))
	default:
		fmt.Printf("  %s ran %d of its tasks (its arm/v6 build, through runc); placement gives each task to\n"+
			"  the device that would finish it first, and the amd64 agents are faster\n", armName, onArm)
	}
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
		// Not a fault: placement by speed gives each task to the device
		// that would finish it first, and in wasm the emulated device is
		// hundreds of times slower than the amd64 agents.
		fmt.Printf("  note: %s took no task of the wasm job, which ran on %s only: placement gives\n"+
			"  each task to the device that would finish it first, and %s runs wasm hundreds of times\n"+
			"  slower (wazero interprets on 32-bit ARM; hearth pool ls shows each device's SPEED)\n", armName, strings.Join(ran, ", "), armName)
	}
	wasmKeys, err := verifyKeys(ctx, h, o.bin, wd)
	if err != nil {
		return err
	}
	if armJob != "" {
		// Again: the speeds come with heartbeats after pairing.
		if ms, err := h.Members(ctx); err == nil {
			for _, m := range ms {
				members[m.ID] = m
			}
		}
		if err := showArmJob(o, ds[2], wd, members); err != nil {
			return err
		}
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

// showArmJob prints the arm/v6-only job, checks that it ran on the
// emulated device through runc, and compares its time per candidate there
// with the wasm job's.
func showArmJob(o options, ad, wd api.JobDetail, members map[string]api.Member) error {
	fmt.Printf("Job %s (oci, arm/v6 build only) %s in %.1fs. Where each task ran:\n", ad.ID, ad.State, ad.Finished.Sub(ad.Created).Seconds())
	printTasks(ad, members, nil, "")
	if ad.State != api.JobDone {
		return fmt.Errorf("job %s %s", ad.ID, ad.State)
	}
	if n := nodesOf(ad, members)[armName]; n != len(ad.Tasks) {
		return fmt.Errorf("%d of %d tasks of the arm/v6 image ran on %s, which alone runs it", n, len(ad.Tasks), armName)
	}
	fmt.Printf("  check: %s ran the arm/v6 image through runc, without containerd: ok\n", armName)
	native, n := perTry(ad, members, armName, o.armTries)
	wasm, m := perTry(wd, members, armName, o.armTries)
	if n > 0 && m > 0 {
		fmt.Printf("  on %s, per candidate: %v as a container (native arm/v6 code), %v as wasm (wazero's\n"+
			"  interpreter: it has no compiler for 32-bit ARM), %.0fx faster native (wall time, %d and %d tasks)\n",
			armName, native.Round(time.Microsecond), wasm.Round(time.Microsecond), wasm.Seconds()/native.Seconds(), n, m)
	}
	for _, mb := range members {
		if sp := mb.Speed; mb.Node.Name == armName && sp != nil && sp.WasmOps > 0 && sp.NativeOps > 0 {
			fmt.Printf("  %s's own measure at start (hearth pool ls, SPEED): native %.3g, wasm %.3g kernel\n"+
				"  iterations/s: %.0fx faster native; the gateway places its tasks by these\n",
				armName, sp.NativeOps, sp.WasmOps, sp.NativeOps/sp.WasmOps)
		}
	}
	return nil
}

// checkMembers checks that each agent is what the demo says it is: the
// amd64 agents run oci images, the emulated one is arm/v6 and runs wasm,
// and containers too when it has runc.
func checkMembers(members map[string]api.Member, armRunc bool) error {
	for _, m := range members {
		oci := slices.Contains(m.Node.Runtimes, "oci")
		switch {
		case m.Node.Name == armName && (oci != armRunc || m.Node.Arch != "armv6"):
			want := "wasm only"
			if armRunc {
				want = "wasm and oci (runc)"
			}
			return fmt.Errorf("%s reports %s: want armv6, %s", armName, describe(m.Node), want)
		case m.Node.Name != armName && !oci:
			return fmt.Errorf("%s reports %s: it has no containerd; see its log with -v", m.Node.Name, describe(m.Node))
		}
	}
	return nil
}
