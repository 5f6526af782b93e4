// Package netnstest builds simulated home networks out of Linux network
// namespaces, for tests and for `make demo`.
//
// A Home is a "hub" namespace holding a Linux bridge, plus one namespace per
// node, each joined to the bridge by a veth pair whose node end is called
// eth0 and carries an address from a private IPv4 /24 and an IPv6 ULA /64
// chosen at random per Home. A loopback Home is a single namespace whose only
// interface, lo, has multicast switched on. Because every address and every
// interface lives inside namespaces the Home created, multicast (mDNS) sent
// there never reaches the host's network, and two Homes built at the same
// time, even by different processes, cannot see each other.
//
// A Go process cannot move all its threads into another namespace safely, so
// code that must run inside a node re-executes its own test binary under
// `ip netns exec`: the test calls RunInNamespace (or StartInNamespace) with its
// own name and a role, and at its top checks InChild to learn whether it is
// the child and which role to play.
//
// Everything needs root and the `ip` tool from iproute2. Supported reports
// why not; the testing.TB helpers skip the test with that reason, while
// Build and BuildLoopback return it as an error wrapping ErrUnsupported.
// Close, and the cleanup the testing.TB helpers register, delete every
// namespace the Home created even after a partial failure. Node namespaces
// have lo up but, as on a real host, without multicast.
package netnstest
