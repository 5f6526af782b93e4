// Package containerd runs tasks as OCI containers through a containerd
// daemon (the v2 client; it works against Debian's containerd 1.6).
//
// Apps are OCI image archives (an OCI layout in a tar, or `docker save`
// output) that the agent fetched from its gateway by digest: homes are
// often offline, so nothing is pulled from a registry. Prepare checks the
// archive's digest, picks the manifest of one of Config.Platforms from a
// multi-platform index and imports and unpacks only that one. An archive
// with no image for this device fails with ErrPlatform (which wraps
// sandbox.ErrBadApp) naming the platforms it does have.
//
// Every container is hardened the same way (docs/security.md says what
// each setting defends against):
//   - its own network namespace with only the loopback interface;
//   - a read-only root filesystem (a snapshot of the image, mounted
//     read-only), a
//     small tmpfs at /tmp, /in bound read-only and /out writable;
//   - user 65534:65534 (nobody), no capabilities at all, no-new-privileges,
//     containerd's default seccomp profile, masked and read-only /proc
//     paths;
//   - cgroup limits: pids (Config.PidsLimit), memory (Limits.MemoryBytes,
//     no swap; an OOM kill is reported as sandbox.FailMemory), CPU quota
//     (Limits.CPU);
//   - a deadline (Limits.Timeout; none when it is negative) after which it
//     is killed, and stdout and stderr kept up to Limits.OutputBytes each.
//     Spec.Stdin and Spec.Stdout are refused (sandbox.ErrUnsupported).
//
// Each task's container carries its deadline and limits as labels, and its
// output streams go through fifos into files under Config.StateDir, so an
// agent killed and restarted calls Recover and finds the task running (or
// its exit status) with nothing it printed lost. Delete removes the task,
// the container and its snapshot. Images are kept for later tasks and
// removed least recently used first when they take more than
// Config.DiskBudget.
//
// CPU time and OOM kills are read from the task's cgroup files, which an
// agent sees only where the host's cgroup mounts are (not under `ip netns
// exec`, which mounts a fresh /sys: there CPU falls back to wall time and an
// OOM kill reads as a SIGKILL trap).
//
// The process's exit status is all containerd tells: a program that exits
// on its own with 128+N for a crash signal N (SIGSEGV, SIGABRT, ...) is
// reported as a trap, like one killed by that signal.
package containerd
