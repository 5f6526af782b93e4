package sandbox

import (
	"context"
	"io"
	"time"
)

// Runtime runs tasks in one kind of sandbox. Implementations are safe for
// concurrent use.
type Runtime interface {
	// Name is the runtime's name in job specs: "wasm" or "oci".
	Name() string

	// Prepare makes an app ready to start: compiling a module, importing an
	// image. It is idempotent and cached, so the agent calls it before every
	// Start; a second call for the same app costs little. A malformed app
	// fails with an error wrapping ErrBadApp.
	Prepare(ctx context.Context, app App) error

	// Start launches a task and returns at once. The task's ID is taken
	// from Start until Delete and must be unique among such tasks (ErrExists
	// otherwise); the agent uses the lease (task, attempt). Start does not wait for the task; ctx bounds only
	// the starting, not the run (the run is bounded by Spec.Limits.Timeout
	// and Task.Kill). A Spec asking for what this runtime cannot do
	// (Stdin, Stdout) fails with an error wrapping ErrUnsupported.
	Start(ctx context.Context, spec Spec) (Task, error)

	// Recover finds a task that an earlier process of this agent started,
	// so that an agent restarted under running work reattaches instead of
	// orphaning it. It returns ErrNotFound when the task cannot be found
	// again (in-process runtimes lose their tasks with the process); the
	// agent then reports the attempt as lost.
	Recover(ctx context.Context, id string) (Task, error)
}

// Task is a started task.
type Task interface {
	// ID is the Spec.ID the task was started with.
	ID() string

	// Wait blocks until the task ends and returns its result. A task that
	// failed inside the sandbox (non-zero exit, trap, timeout, memory limit)
	// is a Result with Failure set, not an error; the error is for the
	// runtime itself failing, or ctx ending before the task did (the task
	// keeps running then). Wait may be called more than once.
	Wait(ctx context.Context) (Result, error)

	// Kill stops the task; Wait then returns a Result with Failure
	// FailKilled. Killing a finished task is not an error.
	Kill(ctx context.Context) error

	// Delete releases what the task holds (containers, scratch files). The
	// task's Spec directories belong to the caller and are left alone.
	Delete(ctx context.Context) error
}

// Pauser is implemented by runtimes that can freeze a running task and thaw
// it later without losing its state (power budgets use it).
type Pauser interface {
	Pause(ctx context.Context, id string) error
	Resume(ctx context.Context, id string) error
}

// Throttler is implemented by runtimes that can cap a running task's CPU
// below its Limits.CPU (power budgets use it): cores is the most it may
// use, 0 to hold it as still as the runtime can; Limits.CPU or more lifts
// the cap.
type Throttler interface {
	SetCPU(ctx context.Context, id string, cores float64) error
}

// QuickThrottler is implemented by runtimes whose SetCPU costs next to
// nothing (a write to a cgroup file), so that the power governor may
// change caps several times a second; through containerd each change
// starts a runc process.
type QuickThrottler interface {
	QuickThrottle() bool
}

// CPUMeter is implemented by runtimes that can tell how much CPU a running
// task has used so far (the power governor attributes energy by it).
type CPUMeter interface {
	CPUUsage(id string) (time.Duration, bool)
}

// InProcess is implemented by runtimes whose tasks run inside the agent's
// own process (wasm): the process's CPU time includes theirs, which the
// power governor takes out to tell the agent's own work apart.
type InProcess interface {
	InProcess() bool
}

// Sweeper is implemented by runtimes whose tasks outlive the agent's
// process (containers). Once the agent has recovered every task it knows
// of, it calls Sweep to stop and remove this runtime's tasks that keep
// says nothing of: left by a crash between starting a task and recording
// it, they would otherwise run and hold resources forever.
type Sweeper interface {
	Sweep(ctx context.Context, keep func(id string) bool) (removed int, err error)
}

// Platformer is implemented by runtimes whose apps are built per platform
// (OCI images): the agent reports the platforms, "os/arch[/variant]" best
// first, so that the gateway hands it only apps it can run.
type Platformer interface {
	Platforms() []string
}

// App is the program a task runs.
type App struct {
	// Digest is the content digest ("sha256:...") that names the app; it
	// keys every cache.
	Digest string
	// Path is a local file holding the app: a WASI module, or an OCI image
	// archive.
	Path string
	// Ref, when Path is empty, is a registry reference to pull the app
	// from, pinned to Digest ("registry.lan:5000/app:1@sha256:..."). Only
	// runtimes that pull images (oci) take it.
	Ref string
}

// Spec describes one task to start.
type Spec struct {
	// ID names the task; see Runtime.Start.
	ID  string
	App App
	// Args are the program's arguments, not counting argv[0].
	Args []string
	// Env is the program's whole environment: nothing of the host's leaks
	// in, and a runtime adds nothing of its own (not even an image's PATH).
	Env map[string]string
	// InDir is a host directory shown read-only at /in; empty for none.
	InDir string
	// OutDir is a host directory shown writable at /out; empty for none.
	// A task may leave symlinks there (a container can always make them):
	// whoever collects it must not follow them.
	OutDir string
	// Limits bound the task.
	Limits Limits
	// Deterministic asks for a run another device repeats byte for byte:
	// sandbox/wasm then gives the program fixed clocks (wazero's fakes:
	// the wall clock from 2022-01-01 UTC, the monotonic clock from 0, both
	// moving 1 ms per reading) instead of the host's. The random source is
	// wazero's fixed one either way. Container runtimes cannot fix their
	// clocks and ignore it.
	Deterministic bool
	// User is who the task runs as where the runtime has users (a
	// container): empty for the runtime's unprivileged default, "root", or
	// "UID[:GID]". Runtimes without users ignore it.
	User string

	// Stdin, when set, is the program's standard input, read as the
	// program asks for it; otherwise the program reads EOF at once. A
	// stream's long-lived instance reads its messages from it. Only
	// sandbox/wasm takes it; the container runtimes fail Start with an
	// error wrapping ErrUnsupported. Stdin stays the caller's: no runtime
	// closes it. A task stopped while its program waits in Stdin ends at
	// once all the same; that read is then abandoned, and whatever it
	// returns (when the caller next writes, or closes the pipe) is dropped.
	Stdin io.Reader
	// Stdout, when set, receives the program's standard output as it is
	// written, unbounded by Limits.OutputBytes, and Result.Stdout stays
	// empty. Only sandbox/wasm takes it; the container runtimes fail
	// Start with an error wrapping ErrUnsupported. Each write of the
	// program's is done before the program goes on, so everything it
	// wrote has been written to Stdout when Wait returns. Like Stdin, it
	// is never closed by the runtime, and a write blocked in it does not
	// hold a stopped task.
	Stdout io.Writer
}

// NonBlocking is what a Spec.Stdin or Spec.Stdout may also be, to say
// when its next call cannot block: a reader, that a Read returns at once
// (it holds data, or has ended); a writer, that a Write of n bytes does.
// When it says so, the runtime makes the call directly rather than from a
// goroutine that a stopped task can abandon: a stream's instance then
// reads its batch and writes its answers without a goroutine switch per
// call. Once true, the answer must stay true until that call.
type NonBlocking interface {
	WillNotBlock(n int) bool
}

// Limits bound a task. A zero field means the default documented on it.
type Limits struct {
	// MemoryBytes caps the task's memory. Default 64 MiB.
	MemoryBytes int64
	// CPU is the share of cores the task may use, e.g. 0.5. Default 1.
	CPU float64
	// Timeout ends the task with FailTimeout. Zero means the default, 1
	// minute; a negative Timeout (NoTimeout) means none: the task runs
	// until it ends or is killed, as a stream's long-lived instance does.
	// Every runtime takes a negative Timeout (a container's deadline is
	// then left unset).
	Timeout time.Duration
	// OutputBytes caps what is kept of stdout and of stderr, each; the rest
	// is dropped and a truncation marker appended. Default 64 KiB.
	OutputBytes int
}

// Defaults for zero Limits fields.
const (
	DefaultMemoryBytes = 64 << 20
	DefaultCPU         = 1.0
	DefaultTimeout     = time.Minute
	DefaultOutputBytes = 64 << 10
)

// NoTimeout, as Limits.Timeout, lets a task run until it ends or is killed.
const NoTimeout time.Duration = -1

// WithDefaults fills zero fields with the defaults. A negative Timeout is
// kept: it means no timeout.
func (l Limits) WithDefaults() Limits {
	if l.MemoryBytes <= 0 {
		l.MemoryBytes = DefaultMemoryBytes
	}
	if l.CPU <= 0 {
		l.CPU = DefaultCPU
	}
	if l.Timeout == 0 {
		l.Timeout = DefaultTimeout
	}
	if l.OutputBytes <= 0 {
		l.OutputBytes = DefaultOutputBytes
	}
	return l
}
