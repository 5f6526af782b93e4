// Package sandbox defines how an agent runs one task: the Runtime contract
// that every isolation technology implements (WebAssembly with wazero in
// sandbox/wasm, OCI containers with containerd in sandbox/containerd), the
// task Spec with its limits, and the Result a finished task leaves.
//
// Every runtime passes the shared suite in sandbox/sandboxtest, so the agent
// can treat them alike. Optional abilities are small extra interfaces (see
// Pauser) that a runtime implements when it can, checked at compile time.
//
// A runtime never sees more of the host than the Spec gives it: the app, the
// task's input directory mounted read-only at /in, its output directory
// mounted writable at /out, its args and env. No network.
package sandbox
