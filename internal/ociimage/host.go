package ociimage

import "runtime"

// Host is the platform this program was built for: runtime.GOOS and
// GOARCH and, on ARM, the variant of the GOARM it was built with. The
// device may run more (a GOARM=6 build on a v7 CPU), never less, so it is
// a safe answer for what to build or pick for this machine.
func Host() Platform {
	return normalize(runtime.GOOS, runtime.GOARCH, goarmVariant)
}
