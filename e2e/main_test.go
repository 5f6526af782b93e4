package e2e

import (
	"os"
	"testing"
)

func TestMain(m *testing.M) {
	code := m.Run()
	// The firmware tests' image, built once for them all.
	if fwDir != "" {
		os.RemoveAll(fwDir)
	}
	os.Exit(code)
}
