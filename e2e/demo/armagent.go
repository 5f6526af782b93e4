package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

// armAgent is the file name of the emulated device's agent in the bin dir.
const armAgent = "hearth-agent-armv6"

// buildArmAgent builds the agent that the smallest plugs run, linux/arm/v6
// without containerd (as `make release` does), into bin. The go build cache
// makes it a second or so when nothing changed.
func buildArmAgent(ctx context.Context, bin string) (string, error) {
	out := filepath.Join(bin, armAgent)
	fmt.Printf("Building the linux/arm/v6 agent (wasm only: -tags nocontainerd) into %s...\n", out)
	t0 := time.Now()
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-tags", "nethttpomithttp2,nocontainerd", "-o", out, "./cmd/hearth-agent")
	cmd.Dir = moduleRoot()
	cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH=arm", "GOARM=6", "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("building the arm/v6 agent: %v\n%s", err, b)
	}
	fi, err := os.Stat(out)
	if err != nil {
		return "", err
	}
	fmt.Printf("  built in %.1fs, %.1f MiB\n", time.Since(t0).Seconds(), float64(fi.Size())/(1<<20))
	return out, nil
}

// moduleRoot finds the directory holding go.mod, from the working directory up.
func moduleRoot() string {
	dir, _ := os.Getwd()
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			return dir
		}
	}
}
