package ota_test

import (
	"fmt"
	"testing"
)

// BenchmarkCheckUnchanged times a device's check when nothing was published since its last one
// (the common case, every few minutes on every device) and prints what it fetched:
//
//	BENCH firmware.tuf_check_bytes <n> B
//
// Goal (issue 16): under 2 KB, the timestamp alone.
func BenchmarkCheckUnchanged(b *testing.B) {
	rel := newProject(b)
	rel.add("generic-arm64", "1.0.0", "")
	rel.publish()
	gw := newGateway(b, rel.rootJSON())
	gw.importRelease(rel)
	dev := gw.device(rel.rootJSON(), "generic-arm64", b.TempDir(), nil)
	if _, err := dev.Check(b.Context(), "1.0.0"); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := dev.Check(b.Context(), "1.0.0"); err != nil {
			b.Fatal(err)
		}
	}
	fmt.Printf("BENCH firmware.tuf_check_bytes %d B\n", dev.Stats().MetadataBytes)
}
