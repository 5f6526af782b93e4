// Package image builds Hearth's appliance images: a disk image to write
// to an SD card (or boot under QEMU) with a FAT boot partition, two root
// slots (A/B) each with its own kernel, and a data partition, from
// Debian's packages (fetched with apt and unpacked, never installed),
// hearth-init and Hearth's static binaries. Nothing needs root: the
// filesystems are made in files (mkfs.ext4 -d, mkfs.vfat and mcopy),
// the boot script with mkimage, the partition table in Go.
// docs/firmware.md describes the result.
package image

import (
	"bytes"
	"compress/gzip"
	"context"
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/diskfs/go-diskfs/partition/mbr"
	"github.com/klauspost/compress/zstd"

	"github.com/hearth-home/hearth/firmware/boards"
	"github.com/hearth-home/hearth/firmware/hearthtxt"
	"github.com/hearth-home/hearth/firmware/slot"
	"github.com/hearth-home/hearth/internal/cpio"
)

//go:embed boot.cmd
var bootCmd string

// Options say what to build.
type Options struct {
	Board   *boards.Board
	Version string // the release, e.g. 0.3.0 or a git describe
	// OutDir receives hearth-<board>-<version>.img (and .img.xz, and the
	// slot image for updates, .slot.img).
	OutDir string
	// Cache keeps package lists and unpacked packages between builds
	// (default: $HEARTH_IMAGE_CACHE, else ~/.cache/hearth-image).
	Cache string
	// Latest builds with the kernel Debian has now instead of the
	// board's pin.
	Latest bool
	// BinDir, when set, holds the Binaries already built for the board;
	// otherwise they are built from Src with go build.
	BinDir string
	// Src is the module's root (default ".").
	Src string
	// XZ also writes the compressed image, .img.xz.
	XZ bool
	// SlotOnly makes only the slot image (and its .zst), as a release
	// ships to devices that run an earlier one: no disk image.
	SlotOnly bool
	// GatewaySlot puts the gateway into a SlotOnly build's slot: the
	// update of gateway-role appliances (ota.ProductGatewayOS). A whole
	// image's build writes that slot too when asked (ReleaseGatewaySlot).
	GatewaySlot bool
	// ReleaseGatewaySlot also writes a whole image's slot A, which has
	// the gateway, compressed as a release signs it for gateway-role
	// appliances (Result.GatewaySlotZst; about 10 s more).
	ReleaseGatewaySlot bool
	// TUFRoot is the root.json of the update repository that the slot
	// pins (/etc/hearth/root.json): the device installs only updates its
	// keys signed. Empty: the image takes no updates.
	TUFRoot string
	Log     *slog.Logger
}

// Binaries are Hearth's programs an image is made of, as Options.BinDir
// holds them.
var Binaries = []string{"hearth-init", "hearth-agent", "hearth-gateway", "hearth-update", "hearth-sshd"}

// Result is what Build made.
type Result struct {
	Image   string // the raw disk image
	ImageXZ string // its compressed form, when Options.XZ
	Slot    string // the slot image alone, as an update writes it (no gateway, unless Options.GatewaySlot)
	SlotZst string // the same, zstd-compressed, as an update ships it
	// GatewaySlotZst is the slot with the gateway, zstd-compressed: a
	// gateway-role appliance's update (.gateway-slot.img.zst). Whole
	// images with Options.ReleaseGatewaySlot only.
	GatewaySlotZst string
	Kernel         string // the kernel package, name=version
	Release        string // the kernel's release (uname -r)
	DiskID         uint32 // the MBR disk signature hearth-init finds the disk by
	Modules        int    // modules in the initramfs
}

// The partitions are firmware/slot's (PartBoot, PartSlotA, PartSlotB,
// PartData), in that order on the disk.
const (
	mib = 1 << 20
	// firstSector leaves the first MiB to the MBR, as SD cards like.
	firstSector = 2048
)

// Build makes the image.
func Build(ctx context.Context, opt Options) (*Result, error) {
	start := time.Now()
	b := opt.Board
	if b == nil {
		return nil, errors.New("no board")
	}
	if opt.Log == nil {
		opt.Log = slog.New(slog.DiscardHandler)
	}
	if opt.Src == "" {
		opt.Src = "."
	}
	if opt.Version == "" {
		opt.Version = "dev"
	}
	if opt.Cache == "" {
		var err error
		if opt.Cache, err = DefaultCache(); err != nil {
			return nil, err
		}
	}
	if err := checkTools(opt.XZ); err != nil {
		return nil, err
	}
	work, err := os.MkdirTemp("", "hearth-image-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(work)
	log := opt.Log.With("board", b.Name)

	// The kernel.
	d := newDebs(opt.Cache, b.Arch, log)
	kernel := b.Kernel
	if opt.Latest {
		name, err := d.kernelOf(ctx, b.KernelMeta)
		if err != nil {
			return nil, err
		}
		v, err := d.candidate(ctx, name)
		if err != nil {
			return nil, err
		}
		if k := name + "=" + v; k != kernel {
			log.Info("building with Debian's newest kernel, not the board's pin", "kernel", k, "pin", kernel)
			kernel = k
		}
	}
	kdir, err := d.unpack(ctx, kernel)
	if err != nil {
		return nil, err
	}
	release, image, err := kernelFiles(kdir)
	if err != nil {
		return nil, err
	}
	res := &Result{Kernel: kernel, Release: release, DiskID: diskID(b.Name, opt.Version)}

	// Hearth's binaries.
	bins := opt.BinDir
	if bins == "" {
		bins = filepath.Join(work, "bin")
		if err := buildBinaries(ctx, opt.Src, bins, b, opt.Version, !opt.SlotOnly || opt.GatewaySlot, log); err != nil {
			return nil, err
		}
	}

	// The slot: kernel, initramfs (hearth-init and the modules), and
	// the binaries it runs. An update's slot carries the agent and the
	// updater; the image's slot A the gateway too, so that any device
	// the image is written for may be the pool's gateway (a gateway is
	// one device in a pool; leaving it out keeps every agent's download
	// 12 MB smaller: docs/firmware-updates.md).
	slotDir := filepath.Join(work, "slot")
	for _, dir := range []string{"boot", "bin", "etc/hearth"} {
		if err := os.MkdirAll(filepath.Join(slotDir, dir), 0o755); err != nil {
			return nil, err
		}
	}
	kfile, err := writeSlotKernel(image, slotDir, b.GOARCH)
	if err != nil {
		return nil, err
	}
	log.Info("the slot's kernel", "release", release, "file", kfile)
	n, err := writeInitramfs(filepath.Join(slotDir, "boot/initrd.img"), bins, kdir, release, b, opt.Version)
	if err != nil {
		return nil, err
	}
	res.Modules = n
	// Wi-Fi firmware and the like, for drivers loaded from the initramfs.
	if _, err := appendFirmware(ctx, d, b, filepath.Join(slotDir, "boot/initrd.img"), slotDir); err != nil {
		return nil, err
	}
	for _, bin := range []string{"hearth-agent", "hearth-update", "hearth-sshd"} {
		if err := copyFile(filepath.Join(bins, bin), filepath.Join(slotDir, "bin", bin), 0o755); err != nil {
			return nil, err
		}
	}
	if err := copyPackageFiles(ctx, d, b, b.SlotFiles, kdir, release, slotDir); err != nil {
		return nil, err
	}
	if err := copyLicences(ctx, d, b.SlotPackages(), slotDir); err != nil {
		return nil, err
	}
	if err := checkLinked(slotDir, b.Arch); err != nil {
		return nil, fmt.Errorf("board %s: %w", b.Name, err)
	}
	if opt.TUFRoot != "" {
		if err := copyFile(opt.TUFRoot, filepath.Join(slotDir, "etc/hearth/root.json"), 0o644); err != nil {
			return nil, fmt.Errorf("the update root: %w", err)
		}
	}
	meta := map[string]string{"version": opt.Version, "board": b.Name, "kernel": kernel}
	for k, v := range meta {
		if err := os.WriteFile(filepath.Join(slotDir, "etc/hearth", k), []byte(v+"\n"), 0o644); err != nil {
			return nil, err
		}
	}

	if err := os.MkdirAll(opt.OutDir, 0o755); err != nil {
		return nil, err
	}
	base := filepath.Join(opt.OutDir, fmt.Sprintf("hearth-%s-%s", b.Name, opt.Version))
	res.Slot = base + ".slot.img"
	mkslot := func(file string) error {
		log.Info("making the slot's filesystem", "file", filepath.Base(file), "size_mib", b.SlotMiB)
		// Slots are mounted read-only: no journal, no blocks kept for root.
		// A slot holds a few dozen files: 1024 inodes, where mke2fs's
		// default (one per 4 KiB) spends 6 MiB of a 96 MiB slot on
		// inode tables.
		if err := mkext4(ctx, file, slotDir, "hearth-slot", b.SlotMiB, "-O", "^has_journal", "-m", "0", "-N", "1024"); err != nil {
			return fmt.Errorf("the slot's files do not fit in %d MiB (slot_mib in the board's file): %w", b.SlotMiB, err)
		}
		return nil
	}
	if opt.SlotOnly && opt.GatewaySlot {
		if err := copyFile(filepath.Join(bins, "hearth-gateway"), filepath.Join(slotDir, "bin", "hearth-gateway"), 0o755); err != nil {
			return nil, err
		}
	}
	if err := mkslot(res.Slot); err != nil {
		return nil, err
	}

	res.SlotZst = res.Slot + ".zst"
	if err := zstdFile(res.Slot, res.SlotZst); err != nil {
		return nil, err
	}
	if opt.SlotOnly {
		log.Info("slot built", "slot", res.SlotZst, "kernel", kernel, "took", time.Since(start).Round(time.Millisecond))
		return res, nil
	}
	if err := copyFile(filepath.Join(bins, "hearth-gateway"), filepath.Join(slotDir, "bin", "hearth-gateway"), 0o755); err != nil {
		return nil, err
	}
	slotA := filepath.Join(work, "slot-a.img")
	if err := mkslot(slotA); err != nil {
		return nil, err
	}
	// Slot A as it is, for gateway-role appliances to update with.
	if opt.ReleaseGatewaySlot {
		res.GatewaySlotZst = base + ".gateway-slot.img.zst"
		if err := zstdFile(slotA, res.GatewaySlotZst); err != nil {
			return nil, err
		}
	}

	// The boot partition: the boot script, the slot state, hearth.txt.
	bootDir := filepath.Join(work, "boot")
	if err := os.MkdirAll(bootDir, 0o755); err != nil {
		return nil, err
	}
	var consoles []string
	for _, c := range b.Consoles {
		consoles = append(consoles, "console="+c)
	}
	script := strings.NewReplacer("@CONSOLES@", strings.Join(consoles, " "), "@DISK@", fmt.Sprintf("%08x", res.DiskID)).Replace(bootCmd)
	if err := os.WriteFile(filepath.Join(work, "boot.cmd"), []byte(script), 0o644); err != nil {
		return nil, err
	}
	if out, err := exec.CommandContext(ctx, "mkimage", "-A", ubootArch(b.Arch), "-O", "linux", "-T", "script", "-C", "none",
		"-n", "hearth boot", "-d", filepath.Join(work, "boot.cmd"), filepath.Join(bootDir, "boot.scr")).CombinedOutput(); err != nil {
		return nil, fmt.Errorf("mkimage: %v: %s", err, out)
	}
	if err := copyBootFiles(ctx, d, b, kernel, kdir, release, bootDir); err != nil {
		return nil, err
	}
	files := map[string][]byte{
		// 44 bytes, with the NUL U-Boot's env export -t counts: its first
		// trial write then keeps the file's length (one sector in place).
		slot.BootEnvName: append(slot.DefaultBootEnv().Format(), 0),
		"hearth.txt":     hearthtxt.Format(hearthtxt.Config{}),
		"README.txt":     []byte(strings.ReplaceAll(readme(b.Name, opt.Version), "\n", "\r\n")),
	}
	if b.ConfigTxt != "" {
		files["config.txt"] = []byte(b.ConfigTxt)
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(bootDir, name), data, 0o644); err != nil {
			return nil, err
		}
	}
	bootImg := filepath.Join(work, "boot.img")
	if err := mkfat(ctx, bootImg, bootDir, b.BootMiB); err != nil {
		return nil, err
	}
	dataImg := filepath.Join(work, "data.img")
	empty := filepath.Join(work, "empty")
	if err := os.MkdirAll(empty, 0o755); err != nil {
		return nil, err
	}
	// Grown online to the card at the first start (hearth-init's
	// GrowData): 4 KiB blocks and an inode per 16 KiB once grown, and
	// room in the group descriptors for a terabyte (beyond it the kernel
	// converts to meta_bg as it grows; more reserved here overflows the
	// 4 MiB journal of a 16 MiB file system). mke2fs keeps only the last
	// -E, so resize= goes with root_owner=.
	if err := mkext4(ctx, dataImg, empty, "hearth-data", b.DataMiB, "-b", "4096", "-N", "8192", "-I", "256",
		"-E", "root_owner=0:0,resize=268435456"); err != nil {
		return nil, err
	}

	// The disk: the partition table, then each partition at its place;
	// slot B stays empty until the first update writes it.
	res.Image = base + ".img"
	parts := []struct {
		file string
		mib  int
		typ  mbr.Type
	}{
		{bootImg, b.BootMiB, mbr.Fat32LBA},
		{slotA, b.SlotMiB, mbr.Linux},
		{"", b.SlotMiB, mbr.Linux},
		{dataImg, b.DataMiB, mbr.Linux},
	}
	log.Info("writing the disk image", "file", res.Image)
	f, err := os.Create(res.Image)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	table := &mbr.Table{LogicalSectorSize: 512, PhysicalSectorSize: 512}
	sector := uint32(firstSector)
	for i, p := range parts {
		size := uint32(p.mib * mib / 512)
		mp := &mbr.Partition{Type: p.typ, Start: sector, Size: size}
		if i == 0 {
			mp.Bootable = true
		}
		table.Partitions = append(table.Partitions, mp)
		if p.file != "" {
			if err := copyAt(f, p.file, int64(sector)*512, int64(size)*512); err != nil {
				return nil, err
			}
		}
		sector += size
	}
	total := int64(sector) * 512
	if err := f.Truncate(total); err != nil {
		return nil, err
	}
	if err := table.Write(f, total); err != nil {
		return nil, err
	}
	// go-diskfs writes the table and its signature; the disk's own
	// signature (bytes 440-443) is ours to write.
	var sig [4]byte
	binary.LittleEndian.PutUint32(sig[:], res.DiskID)
	if _, err := f.WriteAt(sig[:], 440); err != nil {
		return nil, err
	}
	if err := f.Close(); err != nil {
		return nil, err
	}
	if opt.XZ {
		log.Info("compressing the image", "file", res.Image+".xz")
		res.ImageXZ = res.Image + ".xz"
		if out, err := exec.CommandContext(ctx, "xz", "-T0", "-6", "-k", "-f", res.Image).CombinedOutput(); err != nil {
			return nil, fmt.Errorf("xz: %v: %s", err, out)
		}
	}
	log.Info("image built", "image", res.Image, "kernel", kernel, "modules", res.Modules, "took", time.Since(start).Round(time.Millisecond))
	return res, nil
}

// copyBootFiles copies the board's boot files from their packages to the
// boot partition's directory.
func copyBootFiles(ctx context.Context, d *debs, b *boards.Board, kernel, kdir, release, dst string) error {
	return copyPackageFiles(ctx, d, b, b.BootFiles, kdir, release, dst)
}

// copyPackageFiles copies files from their packages (kdir: the kernel's,
// unpacked) to dst, keeping their modes.
func copyPackageFiles(ctx context.Context, d *debs, b *boards.Board, files []boards.BootFile, kdir, release, dst string) error {
	for _, bf := range files {
		dir := kdir
		if bf.Package != "kernel" {
			var err error
			if dir, err = d.unpack(ctx, bf.Package); err != nil {
				return err
			}
		}
		pat := filepath.Join(dir, strings.ReplaceAll(bf.From, "@RELEASE@", release))
		m, err := filepath.Glob(pat)
		if err != nil {
			return err
		}
		if len(m) == 0 {
			return fmt.Errorf("board %s: %s has no %s", b.Name, bf.Package, bf.From)
		}
		if bf.To != "" && len(m) != 1 {
			return fmt.Errorf("board %s: %s matches %d files; to: renames only one", b.Name, bf.From, len(m))
		}
		for _, f := range m {
			name := filepath.Base(f)
			if bf.To != "" {
				name = bf.To
			}
			st, err := os.Stat(f)
			if err != nil {
				return err
			}
			if err := os.MkdirAll(filepath.Dir(filepath.Join(dst, name)), 0o755); err != nil {
				return err
			}
			if err := copyFile(f, filepath.Join(dst, name), st.Mode().Perm()); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkTools says which Debian package to install for a missing tool.
func checkTools(xz bool) error {
	tools := [][2]string{{"mkfs.ext4", "e2fsprogs"}, {"mkfs.vfat", "dosfstools"}, {"mcopy", "mtools"},
		{"mkimage", "u-boot-tools"}, {"dpkg-deb", "dpkg"}, {"apt-get", "apt"}}
	if xz {
		tools = append(tools, [2]string{"xz", "xz-utils"})
	}
	var missing, pkgs []string
	for _, t := range tools {
		if _, err := exec.LookPath(t[0]); err != nil {
			missing = append(missing, t[0])
			pkgs = append(pkgs, t[1])
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("building an image needs %s: apt-get install %s", strings.Join(missing, ", "), strings.Join(pkgs, " "))
	}
	return nil
}

// diskID derives the disk signature from the board and version, so that
// a build is the same every time.
func diskID(board, version string) uint32 {
	h := fnv.New32a()
	io.WriteString(h, board+"\x00"+version)
	if v := h.Sum32(); v != 0 {
		return v
	}
	return 1
}

// ubootArch is mkimage's name for a Debian architecture.
func ubootArch(arch string) string {
	if arch == "arm64" {
		return "arm64"
	}
	if arch == "amd64" {
		return "x86_64"
	}
	return "arm"
}

// kernelFiles finds the kernel's release and image in an unpacked
// package.
func kernelFiles(dir string) (release, image string, err error) {
	m, _ := filepath.Glob(filepath.Join(dir, "boot", "vmlinu[xz]-*"))
	if len(m) != 1 {
		return "", "", fmt.Errorf("%s: want one kernel in boot/, found %d", dir, len(m))
	}
	image = m[0]
	release = strings.TrimPrefix(strings.TrimPrefix(filepath.Base(image), "vmlinuz-"), "vmlinux-")
	if _, err := os.Stat(filepath.Join(dir, "lib/modules", release)); err != nil {
		return "", "", fmt.Errorf("kernel %s has no modules in its package: %w", release, err)
	}
	return release, image, nil
}

// buildBinaries builds hearth-init, the small agent (wasm and runc; this
// image has no containerd), the gateway (unless !gateway: an update's
// slot has none), the updater and the SSH server for the board.
func buildBinaries(ctx context.Context, src, out string, b *boards.Board, version string, gateway bool, log *slog.Logger) error {
	ldflags := "-s -w -X main.version=" + version
	builds := []struct{ pkg, tags string }{
		{"./cmd/hearth-init", ""},
		// timetzdata: the slot has no zoneinfo, and hearth.txt's
		// timezone is the programs' TZ (+0.45 MB each).
		{"./cmd/hearth-agent", "nethttpomithttp2,nocontainerd,timetzdata"},
		{"./cmd/hearth-gateway", "timetzdata"},
		{"./cmd/hearth-update", ""},
		{"./cmd/hearth-sshd", ""},
	}
	for _, bl := range builds {
		if bl.pkg == "./cmd/hearth-gateway" && !gateway {
			continue
		}
		log.Info("building", "package", bl.pkg, "goarch", b.GOARCH)
		args := []string{"build", "-trimpath", "-ldflags", ldflags, "-o", out + "/"}
		if bl.tags != "" {
			args = append(args, "-tags", bl.tags)
		}
		cmd := exec.CommandContext(ctx, "go", append(args, bl.pkg)...)
		cmd.Dir = src
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+b.GOARCH, "GOARM="+b.GOARM)
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("go build %s: %v: %s", bl.pkg, err, out)
		}
	}
	return nil
}

// writeInitramfs writes the slot's initramfs: hearth-init as /init, the
// board's modules and their list in load order, and the release's name.
func writeInitramfs(path, bins, kdir, release string, b *boards.Board, version string) (int, error) {
	modRoot := filepath.Join(kdir, "lib/modules", release)
	builtin, err := readBuiltin(filepath.Join(modRoot, "modules.builtin"))
	if err != nil {
		return 0, err
	}
	mods, err := resolveModules(modRoot, b.Modules, builtin)
	if err != nil {
		return 0, fmt.Errorf("board %s: %w", b.Name, err)
	}
	f, err := os.Create(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	zw, err := gzip.NewWriterLevel(f, gzip.BestCompression)
	if err != nil {
		return 0, err
	}
	w := cpio.NewWriter(zw)
	w.HostFile("/init", filepath.Join(bins, "hearth-init"))
	// The kernel opens /dev/console for init before anything mounts
	// devtmpfs.
	w.CharDev("/dev/console", 0o600, 5, 1)
	w.Dir("/proc")
	w.Dir("/sys")
	w.Dir("/tmp")
	w.Dir("/run")
	var list bytes.Buffer
	for _, m := range mods {
		w.HostFile(filepath.Join("/lib/modules", release, m.rel), filepath.Join(modRoot, m.rel))
		list.WriteString(m.rel + "\n")
	}
	for name, data := range map[string]string{"modules": list.String(), "board": b.Name + "\n", "version": version + "\n", "release": release + "\n"} {
		w.File("/etc/hearth/"+name, 0o644, int64(len(data)), strings.NewReader(data))
	}
	if err := w.Close(); err != nil {
		return 0, err
	}
	if err := zw.Close(); err != nil {
		return 0, err
	}
	return len(mods), f.Close()
}

// readBuiltin lists the modules built into the kernel.
func readBuiltin(path string) (map[string]bool, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	m := map[string]bool{}
	for _, l := range strings.Fields(string(b)) {
		m[modName(l)] = true
	}
	return m, nil
}

// mkext4 makes an ext4 filesystem of mib MiB in file from dir's files.
func mkext4(ctx context.Context, file, dir, label string, mib int, extra ...string) error {
	os.Remove(file)
	args := append([]string{"-q", "-F", "-L", label, "-d", dir, "-E", "root_owner=0:0"}, extra...)
	args = append(args, file, fmt.Sprintf("%dM", mib))
	cmd := exec.CommandContext(ctx, "mkfs.ext4", args...)
	// The same files make the same filesystem.
	cmd.Env = append(os.Environ(), "E2FSPROGS_FAKE_TIME=1700000000")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("mkfs.ext4 %s: %v: %s", filepath.Base(file), err, bytes.TrimSpace(out))
	}
	return nil
}

// mkfat makes a FAT32 filesystem labelled HEARTH of mib MiB in file,
// with dir's files at its root.
func mkfat(ctx context.Context, file, dir string, mib int) error {
	os.Remove(file)
	if out, err := exec.CommandContext(ctx, "mkfs.vfat", "-F", "32", "-s", "1", "-n", "HEARTH", "-i", "4ea27400",
		"-C", file, fmt.Sprint(mib*1024)).CombinedOutput(); err != nil {
		return fmt.Errorf("mkfs.vfat: %v: %s", err, out)
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	args := []string{"-i", file, "-s", "-p", "-m"}
	for _, e := range ents {
		args = append(args, filepath.Join(dir, e.Name()))
	}
	if out, err := exec.CommandContext(ctx, "mcopy", append(args, "::/")...).CombinedOutput(); err != nil {
		return fmt.Errorf("mcopy: %v: %s", err, out)
	}
	return nil
}

// copyAt writes file into f at off, leaving holes where it is zero, and
// checks it fits in max bytes.
func copyAt(f *os.File, file string, off, max int64) error {
	src, err := os.Open(file)
	if err != nil {
		return err
	}
	defer src.Close()
	fi, err := src.Stat()
	if err != nil {
		return err
	}
	if fi.Size() > max {
		return fmt.Errorf("%s is %d bytes, more than its partition's %d", file, fi.Size(), max)
	}
	buf := make([]byte, mib)
	zero := make([]byte, mib)
	for pos := int64(0); ; {
		n, err := io.ReadFull(src, buf)
		if n > 0 && !bytes.Equal(buf[:n], zero[:n]) {
			if _, err := f.WriteAt(buf[:n], off+pos); err != nil {
				return err
			}
		}
		pos += int64(n)
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

func gzipFile(src, dst string) error {
	return compressFile(src, dst, func(w io.Writer, _ int64) (io.WriteCloser, error) {
		return gzip.NewWriterLevel(w, gzip.BestCompression)
	})
}

// zstdFile compresses src into dst, as updates ship slots: zstd
// decompresses at a hundred MB/s and more on a Pi, so an update is
// written at the card's speed. The frame says the raw size, which the
// updater needs before it writes (a slot must fit its partition).
func zstdFile(src, dst string) error {
	return compressFile(src, dst, func(w io.Writer, size int64) (io.WriteCloser, error) {
		zw, err := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedBestCompression))
		if err == nil {
			zw.ResetContentSize(w, size)
		}
		return zw, err
	})
}

// compressFile writes src to dst through the compressor that compress
// makes (given src's size).
func compressFile(src, dst string, compress func(w io.Writer, size int64) (io.WriteCloser, error)) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	fi, err := in.Stat()
	if err != nil {
		return err
	}
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer out.Close()
	zw, err := compress(out, fi.Size())
	if err != nil {
		return err
	}
	if _, err := io.Copy(zw, in); err != nil {
		zw.Close()
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return out.Close()
}

func copyFile(src, dst string, perm os.FileMode) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, perm)
	if err != nil {
		return err
	}
	defer out.Close()
	if _, err := io.Copy(out, in); err != nil {
		return err
	}
	return out.Close()
}

func readme(board, version string) string {
	return fmt.Sprintf(`Hearth %s for %s

This card runs Hearth: it makes this device part of your home's Hearth
pool. To set it up, open hearth.txt here in any text editor, write the
join token your gateway printed after "token = ", save, put the card back
and switch the device on. "hearth pool ls" then shows it within a minute.

The other files here start the device: leave them as they are.
How it works, and what to do when it does not: docs/firmware.md in
Hearth's source.
`, version, board)
}
