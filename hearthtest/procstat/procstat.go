// Package procstat writes a /proc/stat fixture for tests of what reads how
// busy the CPUs are (the power governor, through power/sensor): a root
// whose proc/stat holds two CPUs whose counters the test moves on.
package procstat

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// CPUs is a fixture of two CPUs under Root.
type CPUs struct {
	t     testing.TB
	root  string
	ticks [2][2]int // per CPU: busy, idle
}

// New makes the fixture in a temporary directory, with every counter at
// zero.
func New(t testing.TB) *CPUs {
	t.Helper()
	c := &CPUs{t: t, root: t.TempDir()}
	if err := os.MkdirAll(filepath.Join(c.root, "proc"), 0o755); err != nil {
		t.Fatal(err)
	}
	c.write()
	return c
}

// Root is the directory to read /proc under (a SysRoot).
func (c *CPUs) Root() string { return c.root }

// Tick moves both CPUs on by 100 ticks: busy0 of them busy on cpu0, the
// rest idle, and cpu1 all idle. Between two reads, the CPUs were then
// busy0/100 of a core busy.
func (c *CPUs) Tick(busy0 int) {
	c.t.Helper()
	c.ticks[0][0] += busy0
	c.ticks[0][1] += 100 - busy0
	c.ticks[1][1] += 100
	c.write()
}

func (c *CPUs) write() {
	c.t.Helper()
	b := fmt.Sprintf("cpu  0 0 0 0 0 0 0 0\ncpu0 %d 0 0 %d 0 0 0 0\ncpu1 %d 0 0 %d 0 0 0 0\n",
		c.ticks[0][0], c.ticks[0][1], c.ticks[1][0], c.ticks[1][1])
	if err := os.WriteFile(filepath.Join(c.root, "proc", "stat"), []byte(b), 0o644); err != nil {
		c.t.Fatal(err)
	}
}
