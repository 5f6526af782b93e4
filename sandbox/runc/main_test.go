package runc

import (
	"os"
	"testing"
)

// The test binary is each task's init and monitor, as hearth-agent is.
func TestMain(m *testing.M) {
	Reexec()
	os.Exit(m.Run())
}
