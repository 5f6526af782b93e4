package netnstest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
)

// Cmd returns a command that runs name with args inside namespace ns, through
// `ip netns exec`. The process started is name itself (ip execs it), so
// killing the command's process kills the program, not a wrapper.
func Cmd(ns, name string, args ...string) *exec.Cmd {
	return exec.Command("ip", append([]string{"netns", "exec", ns, name}, args...)...)
}

// CommandContext is Cmd with a context that kills the process when it ends.
func CommandContext(ctx context.Context, ns, name string, args ...string) *exec.Cmd {
	return exec.CommandContext(ctx, "ip", append([]string{"netns", "exec", ns, name}, args...)...)
}

// ip runs `ip -batch -` (inside ns unless ns is empty) with one ip command
// per line of script, so that building a namespace costs one process.
func ip(ns, script string) error {
	args := []string{"-batch", "-"}
	if ns != "" {
		args = append([]string{"-n", ns}, args...)
	}
	cmd := exec.Command("ip", args...)
	cmd.Stdin = strings.NewReader(script + "\n")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("ip %s <<%q: %v: %s", strings.Join(args, " "), script, err, bytes.TrimSpace(out.Bytes()))
	}
	return nil
}

// deleteNamespace deletes ns; a namespace that is already gone is not an error.
func deleteNamespace(ns string) error {
	if _, err := os.Stat("/run/netns/" + ns); errors.Is(err, os.ErrNotExist) {
		return nil
	}
	return ip("", "netns delete "+ns)
}
