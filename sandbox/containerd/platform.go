package containerd

import (
	"fmt"

	"github.com/containerd/platforms"
)

// DefaultPlatforms are the image platforms the host runs, best first: its
// own, and on 32-bit ARM the older variants too (a v7 board runs v6 and v5
// images).
func DefaultPlatforms() []string {
	p := platforms.Normalize(platforms.DefaultSpec())
	out := []string{platforms.Format(p)}
	if p.Architecture == "arm" {
		var v int
		if _, err := fmt.Sscanf(p.Variant, "v%d", &v); err == nil {
			for v--; v >= 5; v-- {
				lower := p
				lower.Variant = fmt.Sprintf("v%d", v)
				out = append(out, platforms.Format(lower))
			}
		}
	}
	return out
}
