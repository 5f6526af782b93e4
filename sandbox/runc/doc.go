// Package runc runs tasks as OCI containers through runc alone, with no
// daemon: the container runtime for devices too small for containerd (a
// Pi Zero or Pi 1 with 512 MB, an ARM plug). It runs the same image
// archives as sandbox/containerd, confined by the same spec
// (ocitask.Harden), and passes the same tests.
//
// Prepare checks the archive's digest, picks the image of one of
// Config.Platforms (ociimage.SelectFile, containerd's matching rule) and
// unpacks its layers, whiteouts and all, with containerd's archive
// package into a root file system under Config.StateDir that every task of
// the app shares read-only. Unpacked images are kept for later tasks and
// removed least recently used first when they take more than
// Config.DiskBudget.
//
// Start writes the task's bundle (config.json) and starts a monitor: this
// program again (see Reexec), in a session of its own, which runs `runc
// run --detach`, becomes the container's parent as a child subreaper,
// keeps the first Limits.OutputBytes of its stdout and stderr in files
// (ocitask.KeepStreams), and writes its exit status to a file when it
// ends. The monitor outlives the agent, so an agent killed and restarted
// calls Recover and finds the task running, or its status, with nothing
// it printed lost. Pause and Resume are `runc pause` and `runc resume`;
// SetCPU writes the task's cgroup's CPU quota directly, as `runc update`
// would, without starting a process each second; Kill is `runc kill`;
// Delete is `runc delete`.
//
// A task is killed at its deadline, Limits.Timeout after its start, or
// never when Limits.Timeout is negative. Spec.Stdin and Spec.Stdout are
// refused with sandbox.ErrUnsupported, as in sandbox/containerd.
package runc
