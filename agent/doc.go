// Package agent is the device's side of a Hearth pool: it pairs with the
// home's gateway, reports its health, pulls task leases that fit its free
// capacity, runs them in a sandbox and delivers their results. It talks to
// the gateway only through gateway/api; cmd/hearth-agent wires it to mDNS
// discovery and to the sandbox runtimes.
//
// # Trust
//
// The agent accepts a gateway only if the gateway's TLS key has the pinned
// node ID: the one in the join token, else Config.GatewayID, else the one
// remembered from an earlier pairing, else the first gateway that pairs the
// agent (trust on first use, logged), which is remembered from then on. The
// pin is taken when the gateway pairs the agent, not while it is merely
// pending, so that an agent left pending by a stray gateway can still be
// paired by the right one. The join token is sent only until the agent is
// paired: a paired agent must not be refused because the owner has since
// printed a new token.
//
// # Durability
//
// A lease's handle (the lease itself) is written to the store before its
// task starts, and replaced by the task's result in one transaction when it
// ends; a result leaves the outbox only when the gateway acknowledges it.
// So an agent killed at any moment loses no result: on restart it reattaches
// to tasks the sandbox still runs, reports those it lost with Failure
// "lost" (the gateway runs them again elsewhere), and sends what the outbox
// holds. An agent cut off from its gateway keeps running its tasks and
// keeping their results, and delivers them once it is back.
//
// # Throughput
//
// Nothing in the path from lease to result sleeps or polls. Writes go
// through a group commit (see committer) rather than store.DB.Batch: Batch
// holds a lone write for its batch window (2 ms here, 10 ms in bbolt), which
// every task pays twice (handle, result), while a group commit starts at once
// and still shares one fsync among all writers that arrive while it runs.
// Apps and inputs are cached by digest; an output archive is uploaded once
// per session, and an empty /out (most tasks) is not even written. Results
// go out as soon as they are ready, batched only when several are.
//
// Capacity that frees is asked for at once by a lease request of its own
// (the first request asks for everything free), so several requests may be
// in flight; each holds back the capacity it asked for, so that together
// they never ask for more than the device has. The brief suggested
// cancelling and reissuing the long poll when a slot frees; that is not
// done, because the gateway may grant leases in the instant of the cancel,
// and those would sit unused until their TTL expired, and because
// cancelling an HTTP/1.1 request closes its connection, costing a new TLS
// handshake. A slot is given back as soon as its task ends, before the
// result is packed and recorded. Measured in-process on a 2-core box with 3
// agents of 2 slots: one request at a time moved about 330 trivial tasks/s,
// a request per freed slot about 560, at a median dispatch-to-result
// latency of 11-15 ms; up to three reports in flight cut that median by a
// few milliseconds against one.
//
// # Revocation
//
// Leases the gateway revokes in a heartbeat answer are killed and their
// results dropped. A result already waiting in the outbox is sent anyway:
// the gateway takes a late result when it is still useful and acks it as
// stale otherwise, so dropping it could only lose work.
//
// # Caveats
//
// Output archives are removed once delivered; cached apps and inputs are
// kept without bound for now. A task that leaves more than 64 MiB in /out
// is reported with Failure "output" (its own doing, so not retried); the
// sandbox package has no Failure for it yet.
package agent
