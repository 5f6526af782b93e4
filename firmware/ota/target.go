package ota

import (
	"encoding/json"
	"fmt"
	"path"
	"strings"
)

// Kinds of target, in Custom.Kind.
const (
	// KindSlot is a whole root slot image (kernel, initrd, binaries), zstd-compressed, that the
	// appliance writes to its inactive slot.
	KindSlot = "slot"
	// KindBinary is one static binary, for installations that keep their OS (the .deb): the
	// updater keeps the previous copy beside it.
	KindBinary = "binary"
)

// ProductOS is the product of slot images; binaries use the program's name (hearth-agent).
const ProductOS = "hearth-os"

// ProductGatewayOS is the product of the slot images a gateway-role appliance updates itself
// with: the agent's slot and the gateway, which an agent's slot leaves out (its download is 13 MB
// smaller).
const ProductGatewayOS = "hearth-os-gateway"

// ProductAgent is the product of the agent's binary, which the installations that keep their OS
// (the .deb) update.
const ProductAgent = "hearth-agent"

// SlotFile is the file name of a slot image inside its target directory.
const SlotFile = "slot.img.zst"

// Custom is the custom metadata that every Hearth target carries in targets.json. It is signed
// with the rest of targets.json by the release key, so a device may decide on it.
type Custom struct {
	// Board is the board (rpi-arm64, generic-arm64, ...) for slot images, or linux-<arch>
	// (linux-arm64, linux-armv6, ...) for binaries. A device installs only its own.
	Board string `json:"board"`
	// Version is the release version, as in the target path (see CompareVersions).
	Version string `json:"version"`
	// MinFrom, if set, is the oldest version that may update to this one directly; older devices
	// skip this target (they take an intermediate release first).
	MinFrom string `json:"min_from,omitempty"`
	// Kind is KindSlot or KindBinary.
	Kind string `json:"kind"`
}

// SlotTarget is the target path of a slot image: hearth-os/<board>/<version>/slot.img.zst.
func SlotTarget(board, version string) string {
	return path.Join(ProductOS, board, version, SlotFile)
}

// GatewaySlotTarget is the target path of a gateway-role appliance's slot image:
// hearth-os-gateway/<board>/<version>/slot.img.zst.
func GatewaySlotTarget(board, version string) string {
	return path.Join(ProductGatewayOS, board, version, SlotFile)
}

// BinaryTarget is the target path of a binary: <program>/<platform>/<version>, e.g.
// hearth-agent/linux-arm64/1.2.0.
func BinaryTarget(program, platform, version string) string {
	return path.Join(program, platform, version)
}

// ValidateTarget checks that c describes target name: the board and version of the path, the kind
// of its product, valid versions. The release side calls it before signing; devices apply the same
// rule to what they read, and ignore targets that break it.
func ValidateTarget(name string, c Custom) error {
	raw, err := json.Marshal(c)
	if err != nil {
		return err
	}
	msg := json.RawMessage(raw)
	if _, _, err := parseTarget(name, &msg); err != nil {
		return fmt.Errorf("%w: %w", ErrMetadata, err)
	}
	return nil
}

// parseTarget splits a target path into product, board and version, and checks that its custom
// metadata agrees with the path, so that neither can be read without the other.
func parseTarget(name string, raw *json.RawMessage) (product string, c Custom, err error) {
	parts := strings.Split(name, "/")
	if len(parts) < 3 {
		return "", Custom{}, fmt.Errorf("target %q: want <product>/<board>/<version>[/<file>]", name)
	}
	if raw == nil {
		return "", Custom{}, fmt.Errorf("target %q: no custom metadata", name)
	}
	if err := json.Unmarshal(*raw, &c); err != nil {
		return "", Custom{}, fmt.Errorf("target %q: custom metadata: %w", name, err)
	}
	product = parts[0]
	wantKind, wantParts := KindBinary, 3
	if product == ProductOS || product == ProductGatewayOS {
		wantKind, wantParts = KindSlot, 4
	}
	switch {
	case len(parts) != wantParts:
		return "", Custom{}, fmt.Errorf("target %q: %d path elements, want %d", name, len(parts), wantParts)
	case c.Board != parts[1] || c.Version != parts[2]:
		return "", Custom{}, fmt.Errorf("target %q: custom board %q version %q differ from the path", name, c.Board, c.Version)
	case c.Kind != wantKind:
		return "", Custom{}, fmt.Errorf("target %q: kind %q, want %q", name, c.Kind, wantKind)
	case !ValidVersion(c.Version) || (c.MinFrom != "" && !ValidVersion(c.MinFrom)):
		return "", Custom{}, fmt.Errorf("target %q: version %q or min_from %q is not a version", name, c.Version, c.MinFrom)
	}
	return product, c, nil
}
