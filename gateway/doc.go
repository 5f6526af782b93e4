// Package gateway is the pool's coordinator: it pairs nodes, tracks their
// health, keeps the job queue, hands out task leases to agents that pull
// them, accepts each task attempt's result once, cancels jobs on request
// (revoking their leases at the agents' next heartbeats), and serves the
// HTTPS API that agents and the `hearth` CLI use (see gateway/api and
// docs/protocol.md).
//
// State lives in bbolt through package store; the scheduler also keeps it in
// memory, under one mutex, for speed. Every change is written to the store
// before the call that caused it is answered, so a gateway killed at any
// point restarts with every acknowledged result and every granted lease.
// Lease expiry times are not stored: after a restart each lease gets a fresh
// TTL, so agents that are still alive keep their work.
//
// The gateway knows nothing of mDNS or of agents' internals: cmd/hearth-gateway
// wires discovery, and an embedded agent in --dev, around it.
package gateway
