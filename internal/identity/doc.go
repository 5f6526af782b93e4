// Package identity gives every Hearth node an ed25519 key and a node ID
// derived from its public key, in the manner of Syncthing device IDs.
//
// The node ID is the SHA-256 of the public key, written in base32 in groups
// of seven characters. Nodes authenticate each other with mutual TLS 1.3 using
// self-signed certificates over their node keys; trust comes from pinning the
// peer's node ID, never from a certificate authority. Anything that only
// claims an ID (an mDNS TXT record, a JSON field) is a hint until the TLS
// handshake proves it.
package identity
