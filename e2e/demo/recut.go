package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"time"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/gateway/api/jobfile"
)

// defaultArmTries is the size of a wasm task in the mixed home. The
// emulated device runs wasm in wazero's interpreter (wazero compiles only
// for amd64 and arm64) under qemu-user: measured on a 2-core amd64 host,
// one vanity candidate costs about 50 ms of CPU there and starting the
// module (the Go runtime's and secp256k1's init) about 18 s, so one of
// job.yaml's tasks of 10,000 candidates would take some nine minutes and
// hit its 60 s timeout. With 500, the emulated agent's one task takes
// 45-65 s of CPU, and the amd64 agents empty the queue well before it
// ends, so it does not take a second one; smaller tasks finish it sooner
// but the amd64 agents, paying about 0.3 s of module start per task, then
// take as long, and it may start a second.
const defaultArmTries = 500

// armTimeout is the timeout per attempt of the recut wasm job: room for
// the emulated device, which shares the host's cores with everything else.
const armTimeout = 4 * time.Minute

// recut reads the vanity job spec at path and writes, into dir, the same
// search (the same app, prefix, seed and counters) cut into tasks of tries
// candidates each. It returns the new spec's path and a line saying what
// changed.
func recut(path, dir string, tries int) (string, string, error) {
	spec, err := jobfile.Load(path)
	if err != nil {
		return "", "", err
	}
	i := slices.Index(spec.Args, "-tries")
	if i < 0 || i+1 >= len(spec.Args) || !slices.Contains(spec.Args, "{{tasks}}") {
		return "", "", fmt.Errorf("%s: want a vanity spec with -tries N and -shards {{tasks}}", path)
	}
	per, err := strconv.Atoi(spec.Args[i+1])
	if err != nil || per <= 0 {
		return "", "", fmt.Errorf("%s: -tries %q: want a positive number", path, spec.Args[i+1])
	}
	if tries <= 0 {
		return "", "", fmt.Errorf("-arm-tries %d: want a positive number", tries)
	}
	total := spec.Tasks * per
	if tries >= per {
		return path, fmt.Sprintf("%d tasks of %d candidates, as the file says", spec.Tasks, per), nil
	}
	old := fmt.Sprintf("%d tasks of %d candidates", spec.Tasks, per)
	timeout := spec.Resources.Timeout
	spec.Tasks = (total + tries - 1) / tries
	spec.Args = slices.Clone(spec.Args)
	spec.Args[i+1] = strconv.Itoa(tries)
	spec.Resources.Timeout = api.Duration(max(armTimeout, spec.Resources.Timeout.D()))
	raw, err := json.MarshalIndent(spec, "", "  ")
	if err != nil {
		return "", "", err
	}
	out := filepath.Join(dir, "job-recut.json")
	if err := os.WriteFile(out, raw, 0o644); err != nil {
		return "", "", err
	}
	why := fmt.Sprintf("recut: the file's %s become %d tasks of %d (same app, prefix,\n"+
		"        seed and counters 0-%d; timeout %s instead of %s). The emulated arm/v6 agent runs wasm in\n"+
		"        wazero's interpreter under qemu-user: ~18 s to start the module and ~50 ms a candidate, so\n"+
		"        one of the file's tasks would take about nine minutes there.",
		old, spec.Tasks, tries, total-1, spec.Resources.Timeout.D(), time.Duration(timeout))
	return out, why, nil
}
