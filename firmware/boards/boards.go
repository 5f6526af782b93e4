// Package boards holds the firmware images' board definitions: which
// Debian packages (pinned), kernel modules, console and partition sizes
// each board's image is built from (firmware/image).
package boards

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

//go:embed *.yaml
var files embed.FS

// Board is one board's definition, from firmware/boards/<name>.yaml.
type Board struct {
	Name   string `yaml:"name"`
	Arch   string `yaml:"arch"`   // Debian's architecture: arm64, armhf, armel
	GOARCH string `yaml:"goarch"` // Go's
	GOARM  string `yaml:"goarm"`  // for GOARCH=arm: 6 or 7
	// Kernel is the kernel package, pinned as name=version; KernelMeta
	// the metapackage whose dependency is the newest kernel.
	Kernel     string `yaml:"kernel"`
	KernelMeta string `yaml:"kernel_meta"`
	// Consoles are the kernel's consoles (console=), the last the one
	// hearth-init writes to.
	Consoles []string `yaml:"consoles"`
	Modules  []string `yaml:"modules"`
	// Firmware are files for the kernel's firmware loader (Wi-Fi blobs,
	// the regulatory database), put into the initramfs below
	// /lib/firmware, where drivers loaded before the disk is mounted find
	// them: from is a path (or glob) in the package, to a path below
	// /lib/firmware (default: from's path there). Each package's licence
	// goes into the slot.
	Firmware []BootFile `yaml:"firmware"`
	// BootFiles are copied to the boot partition: a Raspberry Pi's
	// firmware, U-Boot and device trees.
	BootFiles []BootFile `yaml:"boot_files"`
	// SlotFiles are copied into each slot, to: a path in the slot
	// (bin/busybox). Debian's busybox-static is the SSH shell.
	SlotFiles []BootFile `yaml:"slot_files"`
	// ConfigTxt, when set, is written to the boot partition as
	// config.txt (the Raspberry Pi firmware's settings).
	ConfigTxt string `yaml:"config_txt"`
	// Partition sizes in MiB: the FAT boot partition, each of the two
	// slots, and the data partition (grown to the card at first boot).
	BootMiB int   `yaml:"boot_mib"`
	SlotMiB int   `yaml:"slot_mib"`
	DataMiB int   `yaml:"data_mib"`
	QEMU    *QEMU `yaml:"qemu"`
}

// SlotPackages are the packages SlotFiles come from, each once, in order
// ("name=version"): their licences go into the slot with them.
func (b *Board) SlotPackages() []string {
	var pkgs []string
	for _, f := range b.SlotFiles {
		if f.Package != "kernel" && !slices.Contains(pkgs, f.Package) {
			pkgs = append(pkgs, f.Package)
		}
	}
	return pkgs
}

// BootFile is a set of files from a Debian package for the boot
// partition.
type BootFile struct {
	// Package is name=version, or "kernel" for the board's kernel package.
	Package string `yaml:"package"`
	// From is a path in the package; it may be a glob ("usr/lib/raspi-firmware/*.elf").
	// In the kernel package, @RELEASE@ stands for the kernel's release.
	From string `yaml:"from"`
	// To renames a single file (default: its own name at the
	// partition's root).
	To string `yaml:"to"`
}

// QEMU is how the firmware test boots a board's image under emulation.
type QEMU struct {
	System      string `yaml:"system"`  // qemu-system-aarch64
	Machine     string `yaml:"machine"` // virt
	CPU         string `yaml:"cpu"`
	BIOSPackage string `yaml:"bios_package"` // the Debian package holding the firmware (U-Boot), pinned
	BIOSFile    string `yaml:"bios_file"`    // its path in the package
	Watchdog    string `yaml:"watchdog"`     // a QEMU watchdog device, e.g. i6300esb
	// Kernel and DTB are files of the boot partition QEMU loads itself
	// (-kernel, -dtb) where it does not run the board's own firmware,
	// as on raspi3b, which starts U-Boot directly. Without Kernel, a
	// Pi's U-Boot comes from BIOSPackage (-bios: raspi0 loads it where
	// the Pi's firmware would), and DTB names the device tree boot.scr
	// loads from the boot partition.
	Kernel string `yaml:"kernel"`
	DTB    string `yaml:"dtb"`
	// SD attaches the image as an SD card (if=sd), whose size QEMU wants
	// a power of two; otherwise it is a virtio disk.
	SD bool `yaml:"sd"`
}

// Names lists the boards there are.
func Names() []string {
	ents, _ := fs.ReadDir(files, ".")
	var names []string
	for _, e := range ents {
		if n, ok := strings.CutSuffix(e.Name(), ".yaml"); ok {
			names = append(names, n)
		}
	}
	return names
}

// Load returns the board called name.
func Load(name string) (*Board, error) {
	b, err := files.ReadFile(name + ".yaml")
	if err != nil {
		return nil, fmt.Errorf("no board %q: the boards are %s", name, strings.Join(Names(), ", "))
	}
	return Parse(b)
}

// Parse reads a board definition and checks it.
func Parse(data []byte) (*Board, error) {
	var b Board
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&b); err != nil {
		return nil, fmt.Errorf("board definition: %w", err)
	}
	var errs []error
	if b.Name == "" {
		errs = append(errs, errors.New("name is missing"))
	}
	if !slices.Contains([]string{"arm64", "armhf", "armel", "amd64"}, b.Arch) {
		errs = append(errs, fmt.Errorf("arch %q: want arm64, armhf, armel or amd64", b.Arch))
	}
	if b.GOARCH == "" {
		errs = append(errs, errors.New("goarch is missing"))
	}
	if b.GOARCH == "arm" && !slices.Contains([]string{"5", "6", "7"}, b.GOARM) {
		errs = append(errs, fmt.Errorf("goarm %q: goarch arm needs goarm 5, 6 or 7 (armel Pis: 6; armhf: 7)", b.GOARM))
	}
	if b.GOARCH != "arm" && b.GOARM != "" {
		errs = append(errs, fmt.Errorf("goarm %q is for goarch arm only, not %s", b.GOARM, b.GOARCH))
	}
	if name, version, ok := strings.Cut(b.Kernel, "="); !ok || name == "" || version == "" {
		errs = append(errs, fmt.Errorf("kernel %q: want package=version", b.Kernel))
	}
	for _, f := range b.BootFiles {
		if f.Package == "" || f.From == "" {
			errs = append(errs, fmt.Errorf("boot_files: %+v needs a package and a from", f))
		}
	}
	for _, f := range b.Firmware {
		if f.Package == "" || f.Package == "kernel" || f.From == "" {
			errs = append(errs, fmt.Errorf("firmware: %+v needs a package (not the kernel's) and a from", f))
		}
	}
	for _, f := range b.SlotFiles {
		if f.Package == "" || f.From == "" || f.To == "" || !filepath.IsLocal(f.To) {
			errs = append(errs, fmt.Errorf("slot_files: %+v needs a package, a from and a to inside the slot (bin/busybox)", f))
		}
	}
	if b.BootMiB < 33 || b.SlotMiB < 16 || b.DataMiB < 8 {
		errs = append(errs, fmt.Errorf("sizes boot %d, slot %d, data %d MiB: the boot partition needs at least 33 MiB (FAT32), a slot 16, data 8",
			b.BootMiB, b.SlotMiB, b.DataMiB))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("board %s: %w", b.Name, err)
	}
	return &b, nil
}
