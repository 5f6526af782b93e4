//go:build !linux

package slot

import "os"

// dropCache does nothing off Linux, where slots are only ever files in
// tests.
func dropCache(*os.File) error { return nil }
