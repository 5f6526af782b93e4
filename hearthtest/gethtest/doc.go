// Package gethtest runs a real `geth --dev` node for end-to-end tests, so
// that the gateway's chain code is tested against the node operators run and
// not only against the in-process chain of gateway/chain/devchain.
//
// Build compiles geth from the go-ethereum version pinned in go.mod (a tool
// dependency) into a cache directory, once: the first build takes a few
// minutes. Start runs it on loopback ports with peer-to-peer networking off,
// funds the test's accounts from the dev account, and stops it when the test
// ends. Its log is kept in a file that is printed when the test fails.
//
// Environment:
//
//	HEARTH_GETH        a geth binary to use instead of building one
//	HEARTH_GETH_CACHE  where Build keeps its binary
//	                   (default: os.UserCacheDir()/hearth/geth-<version>)
//
// The harness is for Unix systems; it signals geth to stop it.
package gethtest
