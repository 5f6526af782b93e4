// hearth-image builds Hearth's appliance images (firmware/image): see
// `hearth-image --help` and docs/firmware.md.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/hearth-home/hearth/firmware/boards"
	"github.com/hearth-home/hearth/firmware/image"
)

const usage = `hearth-image builds a Hearth image to write to an SD card: a boot
partition with hearth.txt, two system slots (A/B) and a data partition,
from Debian's kernel (fetched with apt, never installed) and Hearth's own
binaries. It needs no root.

Usage:
  hearth-image --board BOARD [flags]

Examples:
  hearth-image --board generic-arm64 --version 0.4.0 --out dist
  make image BOARD=generic-arm64                 # the same, from the Makefile
  hearth-image --board generic-arm64 --latest    # Debian's newest kernel, not the pin

Boards: %s

Needs (Debian packages): e2fsprogs dosfstools mtools u-boot-tools xz-utils.

Flags:
`

func main() {
	fs := flag.NewFlagSet("hearth-image", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), usage, strings.Join(boards.Names(), ", "))
		fs.PrintDefaults()
	}
	board := fs.String("board", "", "the board to build for (required)")
	version := fs.String("version", "dev", "the release version written into the image")
	out := fs.String("out", "dist", "where the image goes")
	cache := fs.String("cache", "", "where fetched packages are kept between builds\n(default: $HEARTH_IMAGE_CACHE, else ~/.cache/hearth-image)")
	latest := fs.Bool("latest", false, "build with the kernel Debian has now instead of the board's pinned one")
	binDir := fs.String("bin-dir", "", "take Hearth's programs ("+strings.Join(image.Binaries, ", ")+")\nbuilt for the board from here\n(default: build them with go build)")
	noXZ := fs.Bool("no-xz", false, "skip the compressed .img.xz")
	gatewaySlot := fs.Bool("gateway-slot", false, "also write the slot of gateway-role appliances (.gateway-slot.img.zst), which a\nrelease signs with hearth-release add -gateway")
	tufRoot := fs.String("tuf-root", "", "the update repository's root.json, pinned in the image: the device installs\nonly updates signed by its keys (default: none, the image takes no updates)")
	if err := fs.Parse(os.Args[1:]); err != nil {
		if err == flag.ErrHelp {
			return
		}
		os.Exit(2)
	}
	if *board == "" {
		fmt.Fprintf(os.Stderr, "hearth-image: say which board with --board (%s)\n", strings.Join(boards.Names(), ", "))
		os.Exit(2)
	}
	b, err := boards.Load(*board)
	if err != nil {
		fmt.Fprintln(os.Stderr, "hearth-image:", err)
		os.Exit(2)
	}
	if *binDir != "" {
		var missing []string
		for _, bin := range image.Binaries {
			if _, err := os.Stat(filepath.Join(*binDir, bin)); err != nil {
				missing = append(missing, bin)
			}
		}
		if len(missing) > 0 {
			fmt.Fprintf(os.Stderr, "hearth-image: --bin-dir %s has no %s: build them for %s (GOARCH=%s GOARM=%s), or leave --bin-dir out\n",
				*binDir, strings.Join(missing, ", "), b.Name, b.GOARCH, b.GOARM)
			os.Exit(2)
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	res, err := image.Build(ctx, image.Options{Board: b, Version: *version, OutDir: *out, Cache: *cache,
		Latest: *latest, BinDir: *binDir, XZ: !*noXZ, TUFRoot: *tufRoot, ReleaseGatewaySlot: *gatewaySlot, Log: log})
	if err != nil {
		fmt.Fprintln(os.Stderr, "hearth-image:", err)
		os.Exit(1)
	}
	fmt.Println(res.Image)
	if res.ImageXZ != "" {
		fmt.Println(res.ImageXZ)
	}
	fmt.Println(res.SlotZst)
	if res.GatewaySlotZst != "" {
		fmt.Println(res.GatewaySlotZst)
	}
}
