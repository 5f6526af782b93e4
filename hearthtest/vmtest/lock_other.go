//go:build !linux

package vmtest

// lockHost does nothing: VMs run on Linux hosts only.
func lockHost() (unlock func(), err error) { return func() {}, nil }
