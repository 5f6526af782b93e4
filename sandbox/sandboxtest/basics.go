package sandboxtest

import (
	"os"
	"strings"
)

func testName(h *harness) {
	if n := h.rt.Name(); n != "wasm" && n != "oci" {
		h.t.Errorf("Name() = %q, want wasm or oci", n)
	}
}

// The program gets exactly the Spec's args and env: nothing of the host's.
func testArgsAndEnv(h *harness) {
	if os.Getenv(hostOnlyEnv) == "" {
		h.t.Fatalf("%s is not set in the test process", hostOnlyEnv)
	}
	spec := h.spec("echo", "a b", "", "ü=1", "--flag")
	spec.Env = map[string]string{"A": "1", "B": "two words", "EMPTY": "", "PATH": "/nowhere"}
	res := h.run(spec)
	h.exited(res, 0)
	want := strings.Join([]string{
		"arg a b", "arg ", "arg ü=1", "arg --flag",
		"env A=1", "env B=two words", "env EMPTY=", "env PATH=/nowhere",
	}, "\n") + "\n"
	if string(res.Stdout) != want {
		h.t.Errorf("stdout:\n%s\nwant:\n%s", res.Stdout, want)
	}
	if len(res.Stderr) != 0 || res.StdoutTruncated || res.StderrTruncated {
		h.t.Errorf("stderr %q, truncated %v %v", res.Stderr, res.StdoutTruncated, res.StderrTruncated)
	}
}

func testEmptyEnv(h *harness) {
	res := h.run(h.spec("echo"))
	h.exited(res, 0)
	if len(res.Stdout) != 0 {
		h.t.Errorf("a task without env sees:\n%s", res.Stdout)
	}
}

// A non-zero exit is a result, not a failure; both streams are kept apart.
func testExitCode(h *harness) {
	for _, code := range []int{0, 1, 7, 255} {
		res := h.run(h.spec("exit", itoa(code)))
		h.exited(res, code)
		if string(res.Stdout) != "out\n" || string(res.Stderr) != "err\n" {
			h.t.Errorf("exit %d: stdout %q, stderr %q", code, res.Stdout, res.Stderr)
		}
	}
}

// A deterministic task of the wasm runtime reads the same clocks and random
// bytes on every run (certified replicas compare bytes); without it, the
// host's clock. Container runtimes cannot fix clocks and ignore it.
func testDeterministic(h *harness) {
	run := func(det bool) string {
		spec := h.spec("clock")
		spec.Deterministic = det
		res := h.run(spec)
		h.exited(res, 0)
		return string(res.Stdout)
	}
	a, b := run(true), run(true)
	if h.rt.Name() != "wasm" {
		return
	}
	if a != b || !strings.HasPrefix(a, "time 1640995200") {
		h.t.Errorf("deterministic runs differ or use the host's clock:\n%s\n%s", a, b)
	}
	if c := run(false); c == a {
		h.t.Errorf("a task that is not deterministic sees the fixed clock:\n%s", c)
	}
}
