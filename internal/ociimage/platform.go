package ociimage

import (
	"fmt"
	"strings"

	"github.com/containerd/platforms"
	specs "github.com/opencontainers/image-spec/specs-go/v1"
)

// Platform is what an image is built for and what a device runs: OS,
// architecture and variant in the GOOS/GOARCH and OCI spelling ("linux",
// "arm", "v6").
type Platform struct {
	OS, Architecture, Variant string
}

// knownArch are the architectures ParsePlatform accepts: Go's names for the
// Linux targets that containerd runs on.
var knownArch = map[string]bool{
	"386": true, "amd64": true, "arm": true, "arm64": true,
	"ppc64le": true, "riscv64": true, "s390x": true,
}

var knownOS = map[string]bool{"linux": true, "windows": true}

// ParsePlatform reads "linux/amd64", "linux/arm64" or "linux/arm/v6".
// Like containerd it normalises: "linux/arm" is linux/arm/v7,
// "linux/arm64/v8" is linux/arm64, "linux/amd64/v1" is linux/amd64, and the
// common aliases (x86_64, aarch64, armhf, armel) are understood. An error
// wraps ErrBadPlatform and shows the expected form.
func ParsePlatform(s string) (Platform, error) {
	parts := strings.Split(s, "/")
	if len(parts) < 2 || len(parts) > 3 {
		return Platform{}, fmt.Errorf("%w; got %q", ErrBadPlatform, s)
	}
	if parts[0] == "" || parts[1] == "" {
		return Platform{}, fmt.Errorf("%w; got %q (empty OS or architecture)", ErrBadPlatform, s)
	}
	var variant string
	if len(parts) == 3 {
		variant = parts[2]
		if variant == "" {
			return Platform{}, fmt.Errorf("%w; got %q (empty variant)", ErrBadPlatform, s)
		}
	}
	p := normalize(parts[0], parts[1], variant)
	if err := p.validate(); err != nil {
		return Platform{}, fmt.Errorf("%w; got %q (%s)", ErrBadPlatform, s, err)
	}
	return p, nil
}

// String is "os/arch" or "os/arch/variant"; the zero Platform is "".
func (p Platform) String() string {
	if p == (Platform{}) {
		return ""
	}
	s := p.OS + "/" + p.Architecture
	if p.Variant != "" {
		s += "/" + p.Variant
	}
	return s
}

// MarshalText writes String, so that a Platform is a plain string in JSON,
// map keys included.
func (p Platform) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalText reads what ParsePlatform reads.
func (p *Platform) UnmarshalText(b []byte) error {
	q, err := ParsePlatform(string(b))
	if err != nil {
		return err
	}
	*p = q
	return nil
}

// normalize spells a platform the way containerd does
// (platforms.Normalize), without judging it: images may name platforms
// this package does not know, and those are still reported.
func normalize(os, arch, variant string) Platform {
	n := platforms.Normalize(specs.Platform{OS: os, Architecture: arch, Variant: variant})
	if len(n.Variant) == 1 && n.Variant[0] >= '0' && n.Variant[0] <= '9' {
		n.Variant = "v" + n.Variant // "linux/amd64/3", as Hearth has always read it
	}
	return Platform{OS: n.OS, Architecture: n.Architecture, Variant: n.Variant}
}

// validate accepts the normalised platforms that ParsePlatform allows.
func (p Platform) validate() error {
	switch {
	case !knownOS[p.OS]:
		return fmt.Errorf("unknown OS %q", p.OS)
	case !knownArch[p.Architecture]:
		return fmt.Errorf("unknown architecture %q", p.Architecture)
	case p.Variant == "":
		return nil
	}
	if _, ok := level(p); !ok {
		return fmt.Errorf("unknown variant %q of %s", p.Variant, p.Architecture)
	}
	return nil
}
