//go:build !linux

package vmtest

import "testing"

// Init does nothing here: the VM's init is a Linux program.
func Init() {}

// CheckCgroup2 fails: only Linux has cgroups.
func CheckCgroup2(t testing.TB) string {
	t.Helper()
	t.Fatal("vmtest: cgroups are Linux only")
	return ""
}
