package sandbox

import "time"

// Failure says why a task did not finish normally. The empty Failure means
// the program ran to its end; its exit code may still be non-zero.
type Failure string

const (
	// FailTimeout: the task ran past Limits.Timeout and was stopped.
	FailTimeout Failure = "timeout"
	// FailMemory: the task asked for more memory than Limits.MemoryBytes
	// (a wasm module's memory growth refused, or a container OOM-killed).
	FailMemory Failure = "memory"
	// FailTrap: the program crashed (a wasm trap, a fatal signal).
	FailTrap Failure = "trap"
	// FailKilled: Task.Kill stopped it.
	FailKilled Failure = "killed"
	// FailStart: the sandbox could not start the program at all (bad app,
	// missing entry point, wrong platform).
	FailStart Failure = "start"
	// FailLost: the task could not be found after an agent restart.
	FailLost Failure = "lost"
	// FailOutput: the task left more in /out than the agent ships (64 MiB).
	FailOutput Failure = "output"
)

// Result is what a task left behind. Files written to /out stay in
// Spec.OutDir for the caller to collect.
type Result struct {
	// ExitCode is the program's exit status; -1 when it did not exit on its
	// own. With FailMemory it may be the program's own code (a Go program
	// refused memory exits 2).
	ExitCode int
	// Failure is empty for a normal exit.
	Failure Failure
	// Reason explains Failure for people, e.g. the trap message.
	Reason string
	// Stdout and Stderr are bounded by Limits.OutputBytes; when cut, they
	// end with TruncationMarker and the matching flag is set.
	Stdout, Stderr                   []byte
	StdoutTruncated, StderrTruncated bool
	// Wall is the elapsed time from start to end; CPU the processor time
	// the task used, where the runtime can tell (else equal to Wall).
	Wall, CPU time.Duration
}
