// Package ocitask is what Hearth's two container runtimes share, so that a
// task is confined, run and reported the same way whether containerd
// (sandbox/containerd) or runc alone (sandbox/runc) runs it: the hardened
// OCI spec (Harden, and Default where no containerd makes one), the init
// that is every container's PID 1 (RunInit), the files a task's output is
// kept in (KeepStreams, ReadStream), how an exit status reads as a result
// (Classify), the cgroup counters (Cgroups) and the container IDs.
package ocitask
