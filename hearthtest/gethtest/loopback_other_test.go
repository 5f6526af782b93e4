//go:build !linux

package gethtest

import "testing"

// checkLoopbackOnly needs /proc; elsewhere it trusts geth's flags.
func checkLoopbackOnly(t *testing.T, n *Node) {
	t.Logf("not checking geth's sockets: no /proc on this system")
}
