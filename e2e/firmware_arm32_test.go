package e2e

import (
	"fmt"
	"testing"
)

// The generic-armhf image (Debian's armmp zImage, booted by the same
// boot.scr with bootz, and binaries for ARMv7) boots under QEMU's virt
// machine with a Cortex-A15 and pairs with a gateway as the
// generic-arm64 image does.
//
//	BENCH firmware.armhf.boot_to_paired_s <n> s    QEMU started to ready in the pool (goal <= 40)
//	BENCH firmware.armhf.image_mb <n> MiB          the raw image
//	BENCH firmware.armhf.slot_download_mb <n> MB   a slot as an update ships it
func TestFirmwareArmhfImageBootsAndPairs(t *testing.T) {
	paired := testImagePairs(t, "generic-armhf", false)
	res := boardImage(t, "generic-armhf", false).res
	fmt.Printf("BENCH firmware.armhf.image_mb %.1f MiB\n", float64(fileSize(t, res.Image))/(1<<20))
	fmt.Printf("BENCH firmware.armhf.slot_download_mb %.1f MB\n", float64(fileSize(t, res.SlotZst))/1e6)
	fmt.Printf("BENCH firmware.armhf.boot_to_paired_s %.1f s\n", paired.Seconds())
}

// The rpi-armel image (Pi Zero, Zero W, 1: Debian's rpi zImage, u-boot-rpi
// for the Pi 1 and Zero, the small agent for ARMv6) boots under QEMU's
// Pi Zero far enough to start hearth-init and mount its partitions from
// the SD card, as the rpi-arm64 test does.
//
//	BENCH firmware.armel.image_mb <n> MiB          the raw image
//	BENCH firmware.armel.image_xz_mb <n> MB        compressed
//	BENCH firmware.armel.slot_download_mb <n> MB   a slot as an update ships it (goal <= 15)
func TestFirmwareRaspberryPiZeroImageBoots(t *testing.T) {
	res := testPiImageBoots(t, "rpi-armel", true).res
	fmt.Printf("BENCH firmware.armel.image_mb %.1f MiB\n", float64(fileSize(t, res.Image))/(1<<20))
	fmt.Printf("BENCH firmware.armel.image_xz_mb %.1f MB\n", float64(fileSize(t, res.ImageXZ))/1e6)
	fmt.Printf("BENCH firmware.armel.slot_download_mb %.1f MB\n", float64(fileSize(t, res.SlotZst))/1e6)
}
