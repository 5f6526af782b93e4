package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"time"

	"github.com/hearth-home/hearth/sandbox"
	"github.com/hearth-home/hearth/sandbox/wasm"
)

// The vanity search of the ratios, as issue 15 measured it: one task of
// 20,000 tries. The prefix is one that seed "hearth" does not reach in
// that many tries, so every run does all of them.
const (
	ratioTries  = 20000
	ratioPrefix = "facade"
	ratioSeed   = "hearth"
	// ratioRounds of each native and compiler run, alternating so that a
	// change of load on the machine hits both alike; each figure is the
	// median.
	ratioRounds = 3
	// interpTries is what the interpreter searches: the full run would
	// take it minutes. See wasmVsNative for how it is compared.
	interpTries = ratioTries / 20
)

// wasmVsNative compares the CPU time of the vanity example run as a Hearth
// wasm task (sandbox/wasm, with wazero's compiler, and with its
// interpreter, what 32-bit ARM devices get) with that of the same program
// built as a native static binary, same arguments, in this one run. A wasm
// task's CPU is its Result.CPU, the CPU time of the thread that ran it
// (compiling the module, done by Prepare before, is not counted); a native
// run's is the child's user and system time. Every run's output must be
// the native run's of the same tries, else they did different work and
// the step fails.
//
// The compiler's ratio is of whole runs of 20,000 tries. The interpreter,
// about two orders of magnitude slower, searches 1,000 tries, and its
// 20,000-try run is extrapolated from its start-up (a run of one try) and
// its cost per further try, then set against the measured native run.
// Neither scaling the short run's CPU per try nor a native run of 1,000
// tries would do: the interpreter's start-up (the Go runtime's, and
// secp256k1's tables decompressed on the first key) costs about two
// seconds, a quarter of its 1,000-try run but 2% of its full one, and a
// native run of 1,000 tries is 40% start-up. With 1,000 tries, an error
// of a tenth of a second in either interpreter run moves the figure by
// about 1.5%; checked once against a full interpreter run (122 s), the
// extrapolation from the same process's runs was 5% low.
//
// Figures (issue 15): sandbox.wasm_compiler_vs_native and
// sandbox.wasm_interpreter_vs_native, with the CPU times, start-ups and
// per-try costs they come from.
func wasmVsNative(ctx context.Context) error {
	dir, err := os.MkdirTemp("", "hearth-bench-ratios-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	native, module, err := buildVanity(dir)
	if err != nil {
		return err
	}
	app := sandbox.App{Path: module}
	compiler, err := newVanityRuntime(ctx, wasm.Config{}, app)
	if err != nil {
		return err
	}
	defer compiler.Close()
	interp, err := newVanityRuntime(ctx, wasm.Config{Interpreter: true}, app)
	if err != nil {
		return err
	}
	defer interp.Close()

	// A directory that does not exist, natively or in the task: neither
	// writes result.json, and both get the very same arguments.
	m := vanityMeter{native: native, app: app, noOut: filepath.Join(dir, "no-out"), want: map[int][]byte{}}
	var nat, natStart, comp, compStart []float64
	for range ratioRounds {
		for _, r := range []struct {
			samples *[]float64
			rt      *wasm.Runtime
			tries   int
		}{{&nat, nil, ratioTries}, {&comp, compiler, ratioTries}, {&natStart, nil, 1}, {&compStart, compiler, 1}} {
			cpu, err := m.run(ctx, r.rt, r.tries)
			if err != nil {
				return err
			}
			*r.samples = append(*r.samples, cpu)
		}
	}
	if _, err := m.run(ctx, nil, interpTries); err != nil { // the output to compare with
		return err
	}
	interpStart, err := m.run(ctx, interp, 1)
	if err != nil {
		return err
	}
	interpShort, err := m.run(ctx, interp, interpTries)
	if err != nil {
		return err
	}

	native1, nativeStart := median(nat), median(natStart)
	comp1, compStart1 := median(comp), median(compStart)
	interpPerTry := (interpShort - interpStart) / (interpTries - 1)
	interp1 := interpStart + interpPerTry*(ratioTries-1)
	perTryUS := func(whole, start float64) float64 { return (whole - start) / (ratioTries - 1) * 1e6 }
	bench("sandbox.native_cpu_s", native1, "s")
	bench("sandbox.native_startup_ms", nativeStart*1e3, "ms")
	bench("sandbox.native_per_try_us", perTryUS(native1, nativeStart), "us")
	bench("sandbox.wasm_compiler_cpu_s", comp1, "s")
	bench("sandbox.wasm_compiler_startup_ms", compStart1*1e3, "ms")
	bench("sandbox.wasm_compiler_per_try_us", perTryUS(comp1, compStart1), "us")
	bench("sandbox.wasm_compiler_vs_native", comp1/native1, "x")
	bench(fmt.Sprintf("sandbox.wasm_interpreter_%d_tries_cpu_s", interpTries), interpShort, "s")
	bench("sandbox.wasm_interpreter_startup_ms", interpStart*1e3, "ms")
	bench("sandbox.wasm_interpreter_per_try_us", interpPerTry*1e6, "us")
	bench("sandbox.wasm_interpreter_cpu_s", interp1, "s") // extrapolated
	bench("sandbox.wasm_interpreter_vs_native", interp1/native1, "x")
	return nil
}

// buildVanity builds examples/vanity as a static binary for this machine
// and as a WASI module, as `make build` does, into dir.
func buildVanity(dir string) (native, module string, err error) {
	native, module = filepath.Join(dir, "vanity"), filepath.Join(dir, "vanity.wasm")
	for _, b := range []struct {
		out string
		env []string
	}{
		{native, []string{"CGO_ENABLED=0"}},
		{module, []string{"GOOS=wasip1", "GOARCH=wasm"}},
	} {
		cmd := exec.Command("go", "build", "-trimpath", "-o", b.out, "./examples/vanity")
		cmd.Env = append(os.Environ(), b.env...)
		if out, err := cmd.CombinedOutput(); err != nil {
			return "", "", fmt.Errorf("building %s: %w: %s", filepath.Base(b.out), err, out)
		}
	}
	return native, module, nil
}

// newVanityRuntime makes a wasm Runtime with vanity compiled, so that the
// runs measure no compiling.
func newVanityRuntime(ctx context.Context, cfg wasm.Config, app sandbox.App) (*wasm.Runtime, error) {
	rt, err := wasm.New(cfg)
	if err != nil {
		return nil, err
	}
	if err := rt.Prepare(ctx, app); err != nil {
		rt.Close()
		return nil, err
	}
	return rt, nil
}

// vanityMeter runs vanity searches natively or as wasm tasks and checks
// that they did the same work.
type vanityMeter struct {
	native string
	app    sandbox.App
	noOut  string
	// want is the native output by tries: a wasm run of as many tries
	// must print the same bytes.
	want map[int][]byte
	seq  int
}

// run searches tries candidates natively (rt nil) or as a task of rt and
// returns the CPU seconds it took. The search must cover all tries without
// finding the prefix, and a wasm run must print what the native run of as
// many tries printed, which must come first.
func (m *vanityMeter) run(ctx context.Context, rt *wasm.Runtime, tries int) (float64, error) {
	args := []string{"-prefix", ratioPrefix, "-seed", ratioSeed, "-tries", strconv.Itoa(tries), "-out", m.noOut}
	var out []byte
	var cpu float64
	var err error
	what := fmt.Sprintf("native vanity -tries %d", tries)
	if rt == nil {
		out, cpu, err = runNative(ctx, m.native, args)
	} else {
		m.seq++
		what = fmt.Sprintf("wasm task vanity -tries %d", tries)
		out, cpu, err = runTask(ctx, rt, sandbox.Spec{ID: strconv.Itoa(m.seq), App: m.app, Args: args,
			Limits: sandbox.Limits{Timeout: 5 * time.Minute}})
	}
	if err != nil {
		return 0, fmt.Errorf("%s: %w", what, err)
	}
	if err := checkSearched(out, tries); err != nil {
		return 0, fmt.Errorf("%s: %w", what, err)
	}
	want, ok := m.want[tries]
	switch {
	case rt == nil && !ok:
		m.want[tries] = out
	case !ok:
		return 0, fmt.Errorf("%s: no native run to compare with", what)
	case !bytes.Equal(out, want):
		return 0, fmt.Errorf("%s printed %q, the native run %q: they did different work", what, out, want)
	}
	return cpu, nil
}

// runNative runs the native vanity and returns its output and CPU seconds.
func runNative(ctx context.Context, bin string, args []string) ([]byte, float64, error) {
	cmd := exec.CommandContext(ctx, bin, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, 0, fmt.Errorf("%w: %s", err, stderr.Bytes())
	}
	st := cmd.ProcessState
	return out, (st.UserTime() + st.SystemTime()).Seconds(), nil
}

// runTask runs one task and returns its output and CPU seconds.
func runTask(ctx context.Context, rt *wasm.Runtime, spec sandbox.Spec) ([]byte, float64, error) {
	t, err := rt.Start(ctx, spec)
	if err != nil {
		return nil, 0, err
	}
	defer t.Delete(ctx)
	res, err := t.Wait(ctx)
	if err != nil {
		return nil, 0, err
	}
	if res.Failure != "" || res.ExitCode != 0 {
		return nil, 0, fmt.Errorf("exit %d %s %s: %s", res.ExitCode, res.Failure, res.Reason, res.Stderr)
	}
	return res.Stdout, res.CPU.Seconds(), nil
}

// checkSearched checks that vanity's output says it searched all tries
// without finding the prefix, so that the per-try figures are exact.
func checkSearched(out []byte, tries int) error {
	var r struct {
		Found bool `json:"found"`
		Tried int  `json:"tried"`
	}
	if err := json.Unmarshal(out, &r); err != nil {
		return fmt.Errorf("output %q: %w", out, err)
	}
	if r.Found || r.Tried != tries {
		return fmt.Errorf("output %q: want a search of all %d tries that finds nothing (choose another prefix)", out, tries)
	}
	return nil
}
