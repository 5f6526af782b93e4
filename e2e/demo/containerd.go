package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"

	"github.com/hearth-home/hearth/sandbox/containerd"
)

// nsPrefix starts the containerd namespaces of the demo's agents; the
// demo's pid follows, so that a namespace left by a killed demo is known
// for one.
const nsPrefix = "hearth-demo-"

// containerdNamespace names agent i's containerd namespace: each agent has
// its own, so that two agents sharing a containerd never see each other's
// images and containers.
func containerdNamespace(i int) string {
	return fmt.Sprintf("%s%d-%d", nsPrefix, os.Getpid(), i)
}

// ctr drives containerd through its own CLI, which comes with it.
type ctr struct{ sock string }

func (c ctr) run(ctx context.Context, ns string, args ...string) (string, error) {
	full := []string{"--address", c.sock}
	if ns != "" {
		full = append(full, "--namespace", ns)
	}
	out, err := exec.CommandContext(ctx, "ctr", append(full, args...)...).CombinedOutput()
	if err != nil {
		return string(out), fmt.Errorf("ctr %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(string(out)))
	}
	return string(out), nil
}

func (c ctr) list(ctx context.Context, ns string, what ...string) []string {
	out, err := c.run(ctx, ns, append(what, "ls", "-q")...)
	if err != nil {
		return nil
	}
	return strings.Fields(out)
}

// wipe removes namespace ns and everything in it, and says what it
// removed; a namespace that does not exist is no error (an agent that ran
// no container never made one).
func (c ctr) wipe(ctx context.Context, ns string) (string, error) {
	containers, images, err := containerd.RemoveNamespace(ctx, c.sock, ns)
	return fmt.Sprintf("%d containers, %d images", containers, images), err
}

// wipeStale removes the namespaces that earlier demos, killed before they
// could clean up, left behind.
func (c ctr) wipeStale(ctx context.Context) {
	for _, ns := range c.list(ctx, "", "namespaces") {
		rest, ok := strings.CutPrefix(ns, nsPrefix)
		if !ok {
			continue
		}
		pid, err := strconv.Atoi(strings.SplitN(rest, "-", 2)[0])
		if err != nil || pid == os.Getpid() {
			continue
		}
		if _, err := os.Stat("/proc/" + strconv.Itoa(pid)); err == nil {
			continue // a demo that still runs
		}
		what, err := c.wipe(ctx, ns)
		if err != nil {
			fmt.Printf("  could not remove containerd namespace %s, left by an earlier demo: %v\n", ns, err)
			continue
		}
		fmt.Printf("  removed containerd namespace %s (%s), left by an earlier demo\n", ns, what)
	}
}
