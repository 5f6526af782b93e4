package sandboxtest

import "github.com/hearth-home/hearth/sandbox"

// Apps are the prebuilt programs the suite runs, in the runtime's own
// format.
type Apps struct {
	// TestApp is the testapp program built for the runtime under test: a
	// WASI module (WasmTestApp) for wasm, an OCI image holding the static
	// Linux build (BuildTestApp) as its entry point for oci. The suite
	// passes the mode as the first of Spec.Args.
	TestApp sandbox.App
	// Bad is an app that Prepare must refuse with sandbox.ErrBadApp;
	// GarbageApp suits every runtime.
	Bad sandbox.App
}
