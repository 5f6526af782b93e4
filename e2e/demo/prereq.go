package main

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
)

// qemuARM is the emulator the arm/v6 agent runs under (Debian package
// qemu-user-static).
const qemuARM = "qemu-arm-static"

// socketEnv names the containerd socket that `make demo` exports
// (scripts/containerd.sh) and the agents read.
const socketEnv = "HEARTH_CONTAINERD_SOCKET"

// checkMixed lists what the mixed home needs and this machine lacks.
func checkMixed() []string {
	var missing []string
	switch sock := os.Getenv(socketEnv); {
	case sock == "":
		missing = append(missing, "a containerd: $"+socketEnv+" is not set")
	default:
		if fi, err := os.Stat(sock); err != nil || fi.Mode()&os.ModeSocket == 0 {
			missing = append(missing, fmt.Sprintf("a containerd: $%s is %s, which is not a socket", socketEnv, sock))
		}
	}
	if _, err := exec.LookPath("ctr"); err != nil {
		missing = append(missing, "ctr (it comes with containerd; the demo removes what its agents leave in containerd with it) is not installed")
	}
	if _, err := exec.LookPath(qemuARM); err != nil {
		missing = append(missing, qemuARM+" (to emulate the arm/v6 device) is not installed")
	}
	if _, err := exec.LookPath("go"); err != nil {
		missing = append(missing, "the go command (to build the arm/v6 agent) is not on $PATH")
	}
	return missing
}

func explainMissing(missing []string) {
	fmt.Printf(`The mixed home (two amd64 agents with containerd and an emulated arm/v6 agent)
needs what this machine lacks:
  - %s
To get it (Debian/Ubuntu, as root):
  apt-get install containerd runc qemu-user-static
  make demo            # starts a private containerd (scripts/containerd.sh) and sets $%s
Running the all-wasm home instead.

`, strings.Join(missing, "\n  - "), socketEnv)
}
