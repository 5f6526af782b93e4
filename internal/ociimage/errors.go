package ociimage

import "errors"

var (
	// ErrBadPlatform is returned when a platform string is not
	// OS/ARCH[/VARIANT] of a known kind, or when Pack is given the same
	// platform twice.
	ErrBadPlatform = errors.New("bad platform: want OS/ARCH[/VARIANT], e.g. linux/amd64, linux/arm64, linux/arm/v7, linux/arm/v6")

	// ErrNotImage is returned when an archive is not an OCI image layout or
	// `docker save` tar that containerd could import: not a tar, no
	// index.json or manifest.json, a referenced blob missing or of the
	// wrong size or digest, JSON that does not parse. The wrapping error
	// says which.
	ErrNotImage = errors.New("not an image archive")

	// ErrBadEntrypoint is returned by Pack when the entry point is not a
	// clean absolute file path outside the mount points (/in, /out, /tmp,
	// /dev, /proc, /sys).
	ErrBadEntrypoint = errors.New("bad entry point")

	// ErrNoBinaries is returned by Pack when it is given no binary at all.
	ErrNoBinaries = errors.New("no binaries to pack")

	// ErrBadBinary is returned by CheckBinary when a file cannot run as the
	// sole program of a scratch image on the platform: not an ELF
	// executable, built for another architecture or ARM level, or
	// dynamically linked.
	ErrBadBinary = errors.New("binary unfit for the image")
)
