// Package speed measures how fast a device runs a small fixed compute
// kernel, in wasm (through wazero, with the engine the agent's wasm sandbox
// gets on this CPU: the compiler where wazero has one, the interpreter
// elsewhere) and natively (the same kernel in Go, in-process).
//
// The gateway places tasks by these figures (docs/scheduling.md): a device
// that would finish a task much later than another is left without it.
//
// The kernel is an integer mixing loop: one operation is one of its
// iterations, so the figures are comparable between devices but are not
// instructions per second. The wasm module is assembled by Go code in
// module.go; no toolchain is needed to build it.
//
// Caveats: the probe is bounded by time, not by work (about 0.6 s in all,
// whatever the device), so on a busy device it measures what the device
// gives now. It runs one thread: the figures are per task slot.
package speed
