package ociimage

import (
	"fmt"
	"slices"

	"github.com/containerd/platforms"
	specs "github.com/opencontainers/image-spec/specs-go/v1"
)

// Hearth has one rule for which platform runs which image, containerd's
// (platforms.Only): the gateway places tasks with it, an agent lists the
// platforms it runs with it, and containerd imports images with it.

// Spec is p as the OCI image spec writes a platform.
func (p Platform) Spec() specs.Platform {
	return specs.Platform{OS: p.OS, Architecture: p.Architecture, Variant: p.Variant}
}

// FromSpec is the normalised Platform of an OCI platform; OS versions and
// features are dropped.
func FromSpec(s specs.Platform) Platform { return normalize(s.OS, s.Architecture, s.Variant) }

// Runs reports whether a device of platform p can run an image built for
// img, by containerd's rule: same OS, and the image's architecture and
// variant among those p's CPU executes. An ARM v7 device runs v7, v6 and
// v5 images, a v6 device no v7 ones; an amd64/v3 device runs v3, v2 and v1
// images and 386 ones; an arm64 device runs 32-bit ARM images (v8 to v5)
// too. Both sides are normalised first, so linux/arm runs linux/arm/v7.
func (p Platform) Runs(img Platform) bool {
	return platforms.Only(p.Spec()).Match(img.Spec())
}

// Compatible lists the platforms a device of platform host runs, best
// first, as it advertises them and as its containerd imports: linux/arm/v7
// gives [linux/arm/v7 linux/arm/v6 linux/arm/v5]; linux/amd64 gives
// [linux/amd64 linux/386]. A platform containerd has no rule for gives
// itself alone.
func Compatible(host Platform) []Platform {
	h := FromSpec(host.Spec())
	m := platforms.Only(h.Spec())
	out := []Platform{h}
	for _, c := range candidates(h.OS) {
		if c != h && m.Match(c.Spec()) {
			out = append(out, c)
		}
	}
	slices.SortStableFunc(out[1:], func(a, b Platform) int {
		switch {
		case m.Less(a.Spec(), b.Spec()):
			return -1
		case m.Less(b.Spec(), a.Spec()):
			return 1
		}
		return 0
	})
	return out
}

// candidates are the platforms of os that Compatible considers: every
// known architecture, with the ordered variants of ARM and amd64.
func candidates(os string) []Platform {
	var out []Platform
	for arch := range knownArch {
		out = append(out, normalize(os, arch, ""))
		if lo, ok := minLevel[arch]; ok {
			for l := lo; l <= maxLevel[arch]; l++ {
				out = append(out, normalize(os, arch, fmt.Sprintf("v%d", l)))
			}
		}
	}
	slices.SortFunc(out, func(a, b Platform) int { return cmpString(a.String(), b.String()) })
	return slices.Compact(out)
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// minLevel and maxLevel bound the ordered variants of an architecture:
// ARM v5 to v8 (32-bit code on an ARMv8 CPU), amd64 v1 (written without a
// variant) to v4.
var (
	minLevel = map[string]int{"arm": 5, "amd64": 1}
	maxLevel = map[string]int{"arm": 8, "amd64": 4}
)

// level is the number of an ordered variant of a normalised platform.
func level(p Platform) (int, bool) {
	lo, ok := minLevel[p.Architecture]
	if !ok {
		return 0, false
	}
	if p.Architecture == "amd64" && p.Variant == "" {
		return 1, true
	}
	var n int
	if _, err := fmt.Sscanf(p.Variant, "v%d", &n); err != nil || fmt.Sprintf("v%d", n) != p.Variant {
		return 0, false
	}
	if n < lo || n > maxLevel[p.Architecture] {
		return 0, false
	}
	return n, true
}
