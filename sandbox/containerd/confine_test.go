package containerd

import (
	"testing"

	"github.com/hearth-home/hearth/sandbox"
	"github.com/hearth-home/hearth/sandbox/sandboxtest"
)

// run starts a task of the test app and waits for its result.
func run(t *testing.T, rt *Runtime, app sandbox.App, lim sandbox.Limits, args ...string) sandbox.Result {
	t.Helper()
	return sandboxtest.RunTask(t, rt, app, lim, args...)
}

func hostApp(t *testing.T) sandbox.App {
	return sandboxtest.OCITestApp(t, sandboxtest.HostPlatform())
}

// The hostile-container tests, the same for every container runtime.
func TestContainers(t *testing.T) {
	sandboxtest.RunContainers(t, func(t *testing.T, c sandboxtest.ContainerConfig) sandbox.Runtime {
		return newRuntime(t, Config{PidsLimit: c.PidsLimit, Platforms: c.Platforms})
	}, ErrPlatform)
}
