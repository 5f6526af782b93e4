package ociimage

import (
	"fmt"
	"strings"
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

// normalize spells a platform the way containerd's platforms.Normalize
// does, without judging it: images may name platforms this package does not
// know, and those are still reported.
func normalize(os, arch, variant string) Platform {
	os, arch, variant = strings.ToLower(os), strings.ToLower(arch), strings.ToLower(variant)
	switch arch {
	case "i386":
		arch = "386"
	case "x86_64", "x86-64":
		arch = "amd64"
	case "aarch64":
		arch = "arm64"
	case "armhf":
		arch, variant = "arm", "v7"
	case "armel":
		arch, variant = "arm", "v6"
	}
	if len(variant) == 1 && variant[0] >= '0' && variant[0] <= '9' {
		variant = "v" + variant
	}
	switch {
	case arch == "arm" && variant == "":
		variant = "v7"
	case arch == "arm64" && variant == "v8", arch == "amd64" && variant == "v1":
		variant = ""
	}
	return Platform{OS: os, Architecture: arch, Variant: variant}
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
