// Package sandboxtest is the one test suite that every sandbox.Runtime
// passes, so that the agent can treat runtimes alike. A runtime's test is a
// few lines:
//
//	func TestSuite(t *testing.T) {
//		sandboxtest.Run(t, func(t *testing.T) sandbox.Runtime {
//			rt := newRuntime(t) // closed by a t.Cleanup
//			return rt
//		}, sandboxtest.Apps{
//			TestApp: sandboxtest.WasmTestApp(t),
//			Bad:     sandboxtest.GarbageApp(t),
//		})
//	}
//
// The suite runs one program, testapp (in the testapp directory), whose
// first argument selects what it does: echo its args and env, copy /in to
// /out, probe for ways out to the host, spin, sleep, hog memory, crash,
// answer stdin line by line. Checks of what a runtime may refuse (Stdin
// and Stdout) skip where it refuses with sandbox.ErrUnsupported.
// It is plain Go, so it builds both as a WASI module and as a static Linux
// binary for an OCI image; BuildTestApp builds it for any target.
//
// The package is for tests only: it imports package testing.
package sandboxtest
