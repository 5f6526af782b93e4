package sandbox

import "errors"

var (
	// ErrNotFound is returned by Recover when a task is gone.
	ErrNotFound = errors.New("sandbox task not found")
	// ErrBadApp is returned by Prepare when the app cannot be loaded.
	ErrBadApp = errors.New("app cannot be loaded")
	// ErrExists is returned by Start when a live task has the same ID.
	ErrExists = errors.New("a task with this ID is already running")
	// ErrUnsupported is returned by an optional operation (SetCPU, Pause),
	// or by Start for a Spec field (Stdin, Stdout), that this runtime, or
	// this system, cannot do.
	ErrUnsupported = errors.New("not supported here")
)
