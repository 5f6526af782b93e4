package ociimage

import "fmt"

// Runs reports whether a device of platform p can run an image built for
// img: same OS and architecture, and a variant that p's CPU covers. An ARM
// v7 device runs v7, v6 and v5 images; a v6 device does not run v7 ones.
// amd64 levels (v2, v3, v4) work the same way. Both sides are normalised
// first, so linux/arm runs linux/arm/v7.
func (p Platform) Runs(img Platform) bool {
	h := normalize(p.OS, p.Architecture, p.Variant)
	i := normalize(img.OS, img.Architecture, img.Variant)
	if h.OS != i.OS || h.Architecture != i.Architecture {
		return false
	}
	if h.Variant == i.Variant {
		return true
	}
	hl, ok := level(h)
	il, ok2 := level(i)
	return ok && ok2 && il <= hl
}

// Compatible lists the platforms a device of platform host runs, best
// first, as it would advertise them: linux/arm/v7 gives [linux/arm/v7
// linux/arm/v6 linux/arm/v5]; linux/amd64 gives [linux/amd64].
func Compatible(host Platform) []Platform {
	h := normalize(host.OS, host.Architecture, host.Variant)
	top, ok := level(h)
	if !ok {
		return []Platform{h}
	}
	var out []Platform
	for l := top; l >= minLevel[h.Architecture]; l-- {
		p := Platform{OS: h.OS, Architecture: h.Architecture, Variant: fmt.Sprintf("v%d", l)}
		if h.Architecture == "amd64" && l == 1 {
			p.Variant = ""
		}
		out = append(out, p)
	}
	return out
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
