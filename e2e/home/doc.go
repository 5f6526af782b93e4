// Package home builds a simulated home on one machine for end-to-end tests,
// benchmarks and `make demo`: a gateway and several agents, each a real
// process of the real binaries in its own network namespace, joined by a
// bridge in a hub namespace, finding each other over mDNS on that bridge.
// Options.PerAgent makes a home mixed: an agent may be another binary (one
// built for linux/arm/v6, say), run under a wrapper such as qemu-arm-static,
// and be given the gateway's address with --join instead of using mDNS.
//
// It needs root (network namespaces) and the binaries in one directory
// (`make build` puts them in bin/). Nothing runs on the host's interfaces:
// every address is inside namespaces this package made, and Close deletes
// them all.
package home
