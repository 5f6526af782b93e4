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
// The protocol is Hearth's own small mDNS (internal/mdns), on one socket
// per IP version joined to the group on every chosen interface:
//
//   - The addresses announced are those of the chosen interfaces, loopback
//     ones only when there is nothing else (a netns with just lo) and IPv6
//     link-local ones only when there is no other address.
//   - At start a node announces itself twice, one second apart (RFC 6762
//     8.3), and sends its first query at once; the nodes up answer it
//     within milliseconds, which is what makes start-to-found fast.
//   - Every node answers a query for the service with all its records (PTR,
//     SRV, TXT, A, AAAA) in one multicast packet, 20-120 ms later and at
//     least 250 ms after its last answer: a query that comes sooner is
//     answered when the gap is over, since everyone hears a multicast
//     answer. A node's own queries list its own PTR as a known answer, so
//     it does not answer itself. Only multicast from port 5353 that came in
//     on a chosen interface is read; plain DNS queries get no answer.
//   - A node that stops says goodbye (its records with TTL 0) and its
//     neighbours drop it at once; one that dies is dropped after Expiry.
//     Record TTLs are otherwise not used (120 s are announced).
//   - An IP version that cannot join its group on any interface (IPv6
//     disabled, say) is left out; the other one carries everything.
package discovery
