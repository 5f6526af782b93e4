//go:build !unix

package gethtest

// lockFile does not lock: concurrent builds each write a temporary file and
// rename it into place, which is safe but wasteful.
func lockFile(string) (unlock func(), err error) { return func() {}, nil }
