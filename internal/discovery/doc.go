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
// The protocol is mDNS / DNS-SD through github.com/grandcat/zeroconf (at
// e4f60f8, a pseudo-version past v1.0.0: it sends with IP TTL 255, which
// avahi 0.8 requires of some devices, and keeps browsing past fifteen
// minutes), with miekg/dns as its codec:
//
//   - zeroconf's server announces the node: two probes, two announcements
//     one and two seconds later, and an answer (PTR, SRV, TXT, A, AAAA in
//     one packet) to every query for the service that does not already
//     list its PTR. The host name is the instance label, not the system's,
//     so that two nodes on one host never share one. The addresses are
//     those of the chosen interfaces, loopback ones only when there is
//     nothing else (a netns with just lo) and IPv6 link-local ones only
//     when there is no other address.
//   - A watcher browses, on Hearth's own socket that reads only multicast
//     from port 5353 on the chosen interfaces, parsing with miekg/dns: it
//     sends a query as Run starts and every Interval, which every live node
//     answers within milliseconds (that is what makes start-to-found fast
//     and how live peers are heard again). A goodbye (a node that stops
//     sends its records with TTL 0) drops that peer at once, and an answer
//     without its host's addresses makes it ask for the host's A and AAAA
//     records and complete the peer when they come. A node that dies is
//     dropped after Expiry. (Why not zeroconf's resolver: see watcher.)
//   - Record TTLs are zeroconf's (3200 s, 120 s for addresses); the table
//     expires peers by Expiry, not by them.
//   - An IP version that cannot join its group on any interface (IPv6
//     disabled, say) is left out; the other one carries everything.
//
// docs/security.md says what zeroconf's server does differently from the
// stack it replaced (it answers unicast questions with unicast, answers at
// once, and reads the group on every interface of the host) and what that
// costs.
package discovery
