package containerd

import (
	"github.com/containerd/platforms"

	"github.com/hearth-home/hearth/internal/ociimage"
)

// DefaultPlatforms are the image platforms the host runs, best first, by
// the one rule the gateway places tasks with (ociimage.Compatible, on
// containerd's platforms.Only): its own, on 32-bit ARM the older variants,
// on arm64 32-bit ARM, on amd64 386.
func DefaultPlatforms() []string {
	var out []string
	for _, p := range ociimage.Compatible(ociimage.FromSpec(platforms.DefaultSpec())) {
		out = append(out, p.String())
	}
	return out
}
