// Package discovery finds the Hearth nodes of a home over mDNS / DNS-SD.
//
// Every node (gateway or agent) announces one service instance of type
// _hearth._tcp in local. and browses for the others. New builds a
// Discovery from a Config (whose zero value works) and the node's
// Announcement; Run announces and browses until its context ends; Peers
// lists the neighbours heard lately and Wait blocks until one matches.
//
// The TXT record carries key=value strings: id, instance, role, arch, proto
// and name. They are hints only: anyone on the LAN can announce anything,
// so nothing here is trusted for security (pairing and pinned TLS IDs are).
// Parsing is defensive: malformed strings are dropped (and logged at
// Debug), the first of repeated keys wins, unknown keys are ignored so that
// later versions can add some, and a record without id or instance is
// dropped whole.
//
// Liveness follows Syncthing's local discovery: each process announces a
// random instance ID, so a node that restarts replaces its old entry at
// once, and a peer not heard from for Config.Expiry is dropped. Peers are
// heard again because every Config.Interval a new browse round queries the
// network and every live node answers.
//
// Built on github.com/grandcat/zeroconf v1.0.0, whose behaviour shapes this
// package:
//
//   - Register looks up the host's addresses itself and fails on an
//     interface with only loopback addresses, so Run uses RegisterProxy with
//     addresses it computes: those of the chosen interfaces, loopback ones
//     only when there is nothing else (a netns with just lo) and IPv6
//     link-local ones only when there is no other address.
//   - A Browse reports each instance once and then only listens, and its
//     resolver cannot be reused after its context ends. So each round uses
//     a new resolver; the next one starts before the previous one stops.
//   - The browser silently drops goodbye packets (TTL 0), so a peer that
//     stops cleanly still stays listed until Expiry. Record TTLs are not
//     used: zeroconf announces 3200 s.
//   - The server never re-announces by itself; it answers queries at once
//     and announces twice at start (after a probe of up to 0.5 s). A new
//     node's own first query is answered within milliseconds, which is what
//     makes start-to-found fast.
//   - A resolver fails as a whole when it cannot join the mDNS group of
//     both IPv4 and IPv6 (e.g. IPv6 disabled), so the browser falls back to
//     one version. The server logs such failures with the standard log
//     package, outside our Logger.
package discovery
