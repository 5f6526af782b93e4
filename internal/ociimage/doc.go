// Package ociimage writes and reads the OCI image archives that `oci` jobs
// run: a tar holding an OCI image layout (oci-layout, index.json and
// blobs/sha256/<hex>), the form that containerd imports from a file, with no
// registry and no Docker.
//
// Pack builds an image from nothing but static binaries, one per platform:
// each image has a single layer with the binary at the entry point and
// empty mount points (/in, /out, /tmp, /dev, /proc, /sys) so that the
// sandbox can keep the root read-only. index.json names one image index
// that lists a manifest per platform, which containerd 1.6 (`ctr images
// import`) and the v2 client's Import both resolve for the device's
// platform. The output is deterministic: the same binaries give the same
// bytes, and so the same app digest.
//
// Platforms reads an archive as a stream and lists the platforms it
// provides, for OCI layouts (nested indexes included) and `docker save`
// archives alike; it checks the archive's structure, sizes and the digests
// of its JSON blobs, but does not hash layers (containerd does that on
// import).
//
// Platform, Runs and Compatible carry containerd's rules for matching: an
// ARM device runs images built for its variant or an older one; "linux/arm"
// means v7.
package ociimage
