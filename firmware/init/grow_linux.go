package hearthinit

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// ErrGrowRefused is returned when GrowData finds a disk or a file system
// it must not touch: no MBR, a partition that is not the disk's last or
// not of type 0x83 (Linux), a table that describes more than the disk
// holds, a kernel whose idea of the partition differs from the table, or
// a mount point that is not that partition's ext4. Nothing was written.
var ErrGrowRefused = errors.New("not growing the data partition")

// GrowData grows partition part of d to the end of the disk (rounded down
// to a MiB) and then the ext4 file system mounted from it on mountPoint to
// the partition's new size, all while it stays mounted: the image's data
// partition is 16 MiB and the card is far larger. It rewrites the
// partition's sector count in the MBR, tells the kernel the partition's
// new size (BLKPG, since the kernel does not reread a table while a
// partition is in use), and asks ext4 to grow online (EXT4_IOC_RESIZE_FS).
//
// Each step first checks whether it is done already, so a boot that
// stopped halfway (a power cut) finishes the rest, and a boot with
// nothing to do reads two sectors and writes nothing. grown reports
// whether anything changed. The ext4 step is journaled by the kernel one
// group at a time; the new groups' inode tables are zeroed afterwards by
// the kernel's ext4lazyinit thread, in the background.
func GrowData(d Disk, part int, mountPoint string, log *slog.Logger) (grown bool, err error) {
	start := time.Now()
	partName, err := d.Part(part)
	if err != nil {
		return false, err
	}
	diskDev, partDev := filepath.Join("/dev", d.Name), filepath.Join("/dev", partName)

	disk, err := os.OpenFile(diskDev, os.O_RDWR, 0)
	if err != nil {
		return false, err
	}
	defer disk.Close()
	diskBytes, err := blockDevSize(disk)
	if err != nil {
		return false, fmt.Errorf("%s: size: %w", diskDev, err)
	}
	sectorSize, err := unix.IoctlGetInt(int(disk.Fd()), unix.BLKSSZGET)
	if err != nil {
		return false, fmt.Errorf("%s: sector size: %w", diskDev, err)
	}
	mbr := make([]byte, 512)
	if _, err := disk.ReadAt(mbr, 0); err != nil {
		return false, fmt.Errorf("%s: reading the MBR: %w", diskDev, err)
	}

	// Every check before the first write.
	g, err := growEntry(mbr, part, diskBytes/uint64(sectorSize), mib/uint64(sectorSize))
	if err != nil {
		return false, fmt.Errorf("%w: %s: %w", ErrGrowRefused, diskDev, err)
	}
	if err := checkKernelStart(partName, g.start, sectorSize); err != nil {
		return false, err
	}
	pf, err := os.Open(partDev)
	if err != nil {
		return false, err
	}
	defer pf.Close()
	partBytes := g.newSize * uint64(sectorSize)
	kernelBytes, err := blockDevSize(pf)
	if err != nil {
		return false, fmt.Errorf("%s: size: %w", partDev, err)
	}
	if kernelBytes > partBytes {
		return false, fmt.Errorf("%w: the kernel's %s (%d bytes) is larger than the table's (%d)", ErrGrowRefused, partName, kernelBytes, partBytes)
	}
	if err := checkMountedFrom(mountPoint, partDev); err != nil {
		return false, err
	}
	sb, err := readExt4Super(pf)
	if err != nil {
		return false, fmt.Errorf("%w: %s: %w", ErrGrowRefused, partDev, err)
	}

	// 1. The partition table.
	if g.newSize != g.oldSize {
		off := int64(mbrTableOffset + mbrEntrySize*(part-1))
		if _, err := disk.WriteAt(mbr[off:off+mbrEntrySize], off); err != nil {
			return false, fmt.Errorf("%s: writing partition %d's entry: %w", diskDev, part, err)
		}
		if err := disk.Sync(); err != nil {
			return false, fmt.Errorf("%s: %w", diskDev, err)
		}
		grown = true
		log.Info("data partition: table grown", "disk", d.Name, "partition", part,
			"from", sizeString(g.oldSize*uint64(sectorSize)), "to", sizeString(partBytes))
	}

	// 2. The kernel's partition.
	if kernelBytes < partBytes {
		if err := blkpgResize(disk, part, g.start*uint64(sectorSize), partBytes); err != nil {
			return grown, fmt.Errorf("telling the kernel that %s is %s (BLKPG): %w", partName, sizeString(partBytes), err)
		}
		grown = true
		log.Info("data partition: kernel told", "partition", partName, "from", sizeString(kernelBytes), "to", sizeString(partBytes))
	}

	// 3. The file system.
	target := partBytes / sb.blockSize
	if target > sb.blocks {
		fsStart := time.Now()
		if err := ext4Resize(mountPoint, target); err != nil {
			return grown, fmt.Errorf("growing ext4 on %s from %d to %d blocks of %d bytes: %w", mountPoint, sb.blocks, target, sb.blockSize, err)
		}
		after, err := readExt4Super(pf)
		if err != nil {
			return grown, fmt.Errorf("%s: %w", partDev, err)
		}
		// The kernel leaves out a last group too small for its own
		// metadata: then the file system stays a little short of the
		// partition, and the next boot's request changes nothing.
		if after.blocks > sb.blocks {
			grown = true
			log.Info("data partition: file system grown", "mount", mountPoint,
				"from", sizeString(sb.blocks*sb.blockSize), "to", sizeString(after.blocks*after.blockSize),
				"took", time.Since(fsStart).Round(time.Millisecond))
		}
	}
	if grown {
		log.Info("data partition grown to the disk", "partition", partName, "size", sizeString(partBytes),
			"took", time.Since(start).Round(time.Millisecond))
	} else {
		log.Debug("data partition fills the disk already", "partition", partName, "size", sizeString(partBytes))
	}
	return grown, nil
}

const (
	mib            = 1 << 20
	mbrTableOffset = 446
	mbrEntrySize   = 16
	mbrTypeLinux   = 0x83
)

// entryGrowth is what growEntry found: partition sizes and start in
// logical sectors.
type entryGrowth struct {
	start, oldSize, newSize uint64
}

// growEntry makes MBR partition part (1-4) of sector 0 end at the disk's
// last sector rounded down to align sectors, and returns its start and
// its old and new sizes (equal when it ends there already). It refuses,
// with an error and mbr unchanged, a partition that is not the last by
// start, overlaps another, is not of type 0x83, or ends past the disk. It
// changes only the entry's sector count (bytes 12-15): the image writes
// no CHS addresses, and nothing reads them.
func growEntry(mbr []byte, part int, diskSectors, align uint64) (entryGrowth, error) {
	if len(mbr) < 512 || mbr[510] != 0x55 || mbr[511] != 0xaa {
		return entryGrowth{}, errors.New("sector 0 holds no MBR (no 55 aa)")
	}
	if part < 1 || part > 4 {
		return entryGrowth{}, fmt.Errorf("partition %d: an MBR has partitions 1 to 4", part)
	}
	if align == 0 {
		align = 1
	}
	entry := func(n int) (typ byte, start, size uint64) {
		e := mbr[mbrTableOffset+mbrEntrySize*(n-1):][:mbrEntrySize]
		return e[4], uint64(binary.LittleEndian.Uint32(e[8:])), uint64(binary.LittleEndian.Uint32(e[12:]))
	}
	typ, start, size := entry(part)
	if typ != mbrTypeLinux {
		return entryGrowth{}, fmt.Errorf("partition %d has type %#02x, not %#02x (Linux)", part, typ, mbrTypeLinux)
	}
	if size == 0 {
		return entryGrowth{}, fmt.Errorf("partition %d is empty", part)
	}
	for n := 1; n <= 4; n++ {
		t, s, l := entry(n)
		if n == part || t == 0 || l == 0 {
			continue
		}
		if s >= start {
			return entryGrowth{}, fmt.Errorf("partition %d starts at sector %d, after partition %d (%d): %d is not the last", n, s, part, start, part)
		}
		if s+l > start {
			return entryGrowth{}, fmt.Errorf("partition %d (sectors %d-%d) overlaps partition %d at %d", n, s, s+l-1, part, start)
		}
	}
	end := start + size
	if end > diskSectors {
		return entryGrowth{}, fmt.Errorf("partition %d ends at sector %d but the disk has %d sectors", part, end, diskSectors)
	}
	// An MBR counts sectors in 32 bits: 2 TiB of 512-byte sectors.
	limit := min(diskSectors, 1<<32-1)
	newEnd := limit / align * align
	g := entryGrowth{start: start, oldSize: size, newSize: size}
	if newEnd <= end {
		return g, nil
	}
	g.newSize = newEnd - start
	binary.LittleEndian.PutUint32(mbr[mbrTableOffset+mbrEntrySize*(part-1)+12:], uint32(g.newSize))
	return g, nil
}

// checkKernelStart refuses a partition whose start, as the kernel has it,
// is not the table's: BLKPG would fail, and growing it would be wrong.
func checkKernelStart(partName string, start uint64, sectorSize int) error {
	b, err := os.ReadFile(filepath.Join("/sys/class/block", partName, "start"))
	if err != nil {
		return err
	}
	k, err := strconv.ParseUint(strings.TrimSpace(string(b)), 10, 64)
	if err != nil {
		return fmt.Errorf("/sys/class/block/%s/start: %w", partName, err)
	}
	if want := start * uint64(sectorSize) / 512; k != want { // sysfs counts 512-byte sectors
		return fmt.Errorf("%w: the kernel's %s starts at sector %d, the table's at %d", ErrGrowRefused, partName, k, want)
	}
	return nil
}

// checkMountedFrom refuses a mount point that is not the root of a file
// system on partDev.
func checkMountedFrom(mountPoint, partDev string) error {
	var mp, dev unix.Stat_t
	if err := unix.Stat(mountPoint, &mp); err != nil {
		return fmt.Errorf("%s: %w", mountPoint, err)
	}
	if err := unix.Stat(partDev, &dev); err != nil {
		return fmt.Errorf("%s: %w", partDev, err)
	}
	if dev.Mode&unix.S_IFMT != unix.S_IFBLK || mp.Dev != dev.Rdev {
		return fmt.Errorf("%w: %s is not mounted from %s", ErrGrowRefused, mountPoint, partDev)
	}
	var fs unix.Statfs_t
	if err := unix.Statfs(mountPoint, &fs); err != nil {
		return fmt.Errorf("%s: %w", mountPoint, err)
	}
	if fs.Type != unix.EXT4_SUPER_MAGIC {
		return fmt.Errorf("%w: %s is not ext4 (file system type %#x)", ErrGrowRefused, mountPoint, fs.Type)
	}
	return nil
}

// ext4Super is what GrowData needs of an ext4 superblock.
type ext4Super struct {
	blocks, blockSize uint64
}

// readExt4Super reads the superblock of the file system on dev. Read
// through the block device while it is mounted, it is the kernel's
// current copy: the file system's buffers are the device's page cache.
func readExt4Super(dev io.ReaderAt) (ext4Super, error) {
	b := make([]byte, 1024)
	if _, err := dev.ReadAt(b, 1024); err != nil {
		return ext4Super{}, fmt.Errorf("reading the ext4 superblock: %w", err)
	}
	if m := binary.LittleEndian.Uint16(b[0x38:]); m != unix.EXT4_SUPER_MAGIC {
		return ext4Super{}, fmt.Errorf("no ext4 superblock (magic %#04x)", m)
	}
	logSize := binary.LittleEndian.Uint32(b[0x18:])
	if logSize > 6 { // 1 KiB to 64 KiB
		return ext4Super{}, fmt.Errorf("ext4 block size 2^%d KiB", logSize)
	}
	s := ext4Super{
		blocks:    uint64(binary.LittleEndian.Uint32(b[0x4:])),
		blockSize: 1024 << logSize,
	}
	const incompat64bit = 0x80
	if binary.LittleEndian.Uint32(b[0x60:])&incompat64bit != 0 {
		s.blocks |= uint64(binary.LittleEndian.Uint32(b[0x150:])) << 32
	}
	return s, nil
}

// blockDevSize is the BLKGETSIZE64 ioctl: a block device's size in bytes.
func blockDevSize(f *os.File) (uint64, error) {
	var n uint64
	if _, _, errno := unix.Syscall(unix.SYS_IOCTL, f.Fd(), unix.BLKGETSIZE64, uintptr(unsafe.Pointer(&n))); errno != 0 {
		return 0, errno
	}
	return n, nil
}

// blkpgResize sets partition part of disk to length bytes (its start
// must be the kernel's already), through the BLKPG ioctl on the whole
// disk with BLKPG_RESIZE_PARTITION; unlike rereading the table, it works
// while the partition is mounted. unix.BlkpgIoctlArg and
// unix.BlkpgPartition are struct blkpg_ioctl_arg and struct
// blkpg_partition of linux/blkpg.h, offsets and lengths in bytes.
func blkpgResize(disk *os.File, part int, start, length uint64) error {
	p := unix.BlkpgPartition{Start: int64(start), Length: int64(length), Pno: int32(part)}
	arg := unix.BlkpgIoctlArg{
		Op:      unix.BLKPG_RESIZE_PARTITION,
		Datalen: int32(unsafe.Sizeof(p)),
		Data:    (*byte)(unsafe.Pointer(&p)),
	}
	_, _, errno := unix.Syscall(unix.SYS_IOCTL, disk.Fd(), unix.BLKPG, uintptr(unsafe.Pointer(&arg)))
	if errno != 0 {
		return errno
	}
	return nil
}

// ext4IocResizeFS is EXT4_IOC_RESIZE_FS, _IOW('f', 16, __u64) in
// fs/ext4/ext4.h (not in x/sys/unix): grow a mounted ext4 to the given
// number of blocks. The _IOW encoding is the generic one (arm, arm64,
// amd64, riscv64).
const ext4IocResizeFS = 1<<30 | 8<<16 | 'f'<<8 | 16

// ext4Resize grows the ext4 file system mounted on mountPoint to blocks
// blocks. The kernel returns when the groups are added.
func ext4Resize(mountPoint string, blocks uint64) error {
	fd, err := unix.Open(mountPoint, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return fmt.Errorf("%s: %w", mountPoint, err)
	}
	defer unix.Close(fd)
	n := blocks
	if _, _, errno := unix.Syscall(unix.SYS_IOCTL, uintptr(fd), ext4IocResizeFS, uintptr(unsafe.Pointer(&n))); errno != 0 {
		return errno
	}
	return nil
}

// sizeString shows a size in MiB or GiB, for the log.
func sizeString(b uint64) string {
	if b >= 10<<30 {
		return fmt.Sprintf("%.1f GiB", float64(b)/(1<<30))
	}
	return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20))
}
