// Package api is the gateway's public face: the types that cross the wire
// between agents, the CLI and the gateway, the job spec, and a Client.
// Agents and the CLI import only this package of the gateway.
//
// Transport is HTTPS (TLS 1.3) with JSON bodies. Agents authenticate with
// their node certificate (mutual TLS, node IDs pinned on both sides); people
// authenticate with the admin token that `hearth-gateway init` writes, over
// a TLS connection that pins the gateway's node ID. docs/protocol.md
// describes every endpoint.
package api

// ProtocolVersion is the agent/gateway protocol spoken by this build; it is
// announced in mDNS TXT records and sent in Hello.
const ProtocolVersion = 1

// DefaultPort is the gateway's default API port.
const DefaultPort = 7443
