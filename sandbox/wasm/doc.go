// Package wasm runs tasks as WASI (preview1) command modules with wazero:
// pure Go, the same on every device, and deterministic enough for results
// to be compared across devices.
//
// A task sees its args (argv[0] is "app"), exactly the Spec's env, /in
// read-only and /out writable, and nothing else of the host: no other
// directory, no host env, no sockets. Its stdin is Spec.Stdin (EOF without
// it) and its stdout goes to Spec.Stdout when set, as it is written, so
// that a long-lived instance can answer messages one by one. It may not
// make symbolic links in /out, since a link to a host path would be
// followed on the host; links already in Spec.InDir are the caller's and
// are followed. Its clocks are the host's real clocks; its random source
// is wazero's default, a deterministic one, so replicas of a task draw the
// same numbers.
//
// Modules are compiled once per digest (Prepare) and kept in memory, and
// on disk when Config.CacheDir is set; each task instantiates the compiled
// module afresh, which costs tens of microseconds for a small module.
//
// Limits:
//   - Memory: every task gets its own cap on its linear memory from
//     Limits.MemoryBytes (the host's own bookkeeping for a task is not
//     counted). A module whose declared initial memory is over it fails at
//     once, and one that grows past it has the growth refused; if it then
//     ends other than with exit code 0 the task fails with
//     sandbox.FailMemory. The cap uses wazero's experimental memory
//     allocator hook: check it when upgrading wazero.
//   - Timeout and Kill stop a task between two of its instructions, in a
//     sleep, or while it waits on Spec.Stdin or Spec.Stdout; the guest
//     cannot hold them off. wazero cannot interrupt a read or write in a
//     host io.Reader or io.Writer, so the task calls them from a goroutine
//     of their own and leaves it behind when stopped (stdio.go). A
//     negative Timeout means none.
//   - CPU: a task is one goroutine, so it uses at most one core; the agent
//     enforces Limits.CPU by how many tasks it runs at once. Result.CPU is
//     the thread CPU time of that goroutine on Linux, Wall elsewhere.
//
// Tasks live in this process: they die with it, and Recover always returns
// sandbox.ErrNotFound.
package wasm
