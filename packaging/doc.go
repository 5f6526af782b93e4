// Package packaging holds no Go code of the product: it is the home of the
// Debian packages (deb/: the builder `make deb` runs, maintainer scripts,
// defaults; systemd/: the agent's and the gateway's units) and of the tests
// that build them and check what they hold, that systemd accepts the units
// and that the installed agent runs. docs/install-deb.md is the user's guide.
//
// The tests need dpkg-deb and make, and skip without them; systemd-analyze,
// lintian and strace each add checks when installed. HEARTH_DEB_ARCHES names
// the architectures to build (default amd64; "amd64 arm64 armhf" for all).
package packaging
