// Package mosquittotest runs a private mosquitto for a test.
package mosquittotest

import (
	"os"
	"testing"

	"github.com/hearth-home/hearth/internal/mosquitto"
)

// Start runs a private mosquitto on a free loopback port, stopped when the
// test ends. Without mosquitto installed the test is skipped, except in CI
// (CI set), where .ci/run installs it and its absence fails the test.
func Start(t testing.TB) *mosquitto.Broker {
	t.Helper()
	if _, err := mosquitto.Path(); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	b, err := mosquitto.Start(t.TempDir(), 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Stop() })
	return b
}
