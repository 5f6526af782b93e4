// Command vanity searches for an Ethereum private key whose address starts
// with a given hex prefix: the demo workload of the iEx.ec proof of concept,
// rebuilt as a WASI program that runs as one task of a bag-of-tasks job.
//
// Every candidate key is derived from (seed, counter), and shard I of a job
// searches counters I*K .. I*K+K-1, so the output depends only on the flags.
// That determinism is what lets the gateway certify a result by running the
// same shard on several devices and comparing digests.
//
// Usage:
//
//	vanity -prefix HEX [-seed S] [-shard I] [-shards N] [-tries K] [-out DIR]
//	vanity verify [FILE...]
//
// The search prints one JSON line on stdout and writes the same line to
// DIR/result.json when DIR (default /out, the sandbox's output directory)
// exists. The verify mode reads such results (from files, or stdin) and
// checks that each private key yields the printed address and that the
// address carries the prefix.
//
// Caveat: the key is derived from a seed that is written in the job spec,
// so anyone who knows the seed can recompute it, and the device that runs
// the task sees it anyway. The keys found here are demo keys: never fund them.
package main
