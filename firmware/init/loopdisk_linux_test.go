package hearthinit

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
	"unsafe"

	"github.com/hearth-home/hearth/hearthtest/vmtest"
	"golang.org/x/sys/unix"
)

func init() { vmtest.Init() }

// testPart is one MBR entry for mbrSector; sizes in 512-byte sectors.
type testPart struct {
	typ         byte
	start, size uint32
}

// mbrSector is sector 0 of a disk with these partitions (1 to 4, an
// empty testPart for an unused entry) and disk signature sig, as
// firmware/image writes it: LBA only, no CHS.
func mbrSector(sig uint32, parts ...testPart) []byte {
	b := make([]byte, 512)
	binary.LittleEndian.PutUint32(b[440:], sig)
	for i, p := range parts {
		e := b[mbrTableOffset+mbrEntrySize*i:]
		e[4] = p.typ
		binary.LittleEndian.PutUint32(e[8:], p.start)
		binary.LittleEndian.PutUint32(e[12:], p.size)
	}
	b[510], b[511] = 0x55, 0xaa
	return b
}

// loopDisk is a disk image file attached to a loop device whose
// partitions the kernel knows, detached at the test's end. It uses the
// loop ioctls, not losetup: inside a vmtest VM there are no programs.
type loopDisk struct {
	file string
	dev  *os.File
	disk Disk
}

// capSysResource is CAP_SYS_RESOURCE, which EXT4_IOC_RESIZE_FS needs.
const capSysResource = 24

// needLoop skips the test unless it can attach loop devices and grow
// ext4 here.
func needLoop(t *testing.T) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root: it attaches a loop device and mounts ext4")
	}
	hdr := unix.CapUserHeader{Version: unix.LINUX_CAPABILITY_VERSION_3}
	var data [2]unix.CapUserData
	if err := unix.Capget(&hdr, &data[0]); err != nil || data[0].Effective&(1<<capSysResource) == 0 {
		t.Skipf("needs CAP_SYS_RESOURCE (ext4 refuses to grow without it), which this container dropped: "+
			"set %s=$(scripts/vmkernel.sh) to run it in a VM", vmtest.KernelEnv)
	}
	f, err := os.OpenFile("/dev/loop-control", os.O_RDWR, 0)
	if err != nil {
		t.Skipf("loop devices are unavailable here: %v", err)
	}
	f.Close()
}

// attachLoop attaches file to a free loop device with partition scanning
// and waits for the device nodes of its partitions. A kernel without an
// MBR parser (CONFIG_MSDOS_PARTITION unset, as in some CI virtual
// machines; the image's Debian kernel has it) finds none: then they are
// added as it would have read them, from table, with BLKPG_ADD_PARTITION.
func attachLoop(t *testing.T, file string, table []testPart) loopDisk {
	t.Helper()
	back, err := os.OpenFile(file, os.O_RDWR, 0)
	must(t, err)
	defer back.Close()
	ctl, err := os.OpenFile("/dev/loop-control", os.O_RDWR, 0)
	must(t, err)
	defer ctl.Close()
	var dev *os.File
	for try := 0; dev == nil; try++ {
		n, err := unix.IoctlRetInt(int(ctl.Fd()), unix.LOOP_CTL_GET_FREE)
		must(t, err)
		f, err := os.OpenFile(fmt.Sprintf("/dev/loop%d", n), os.O_RDWR, 0)
		must(t, err)
		cfg := unix.LoopConfig{Fd: uint32(back.Fd()), Info: unix.LoopInfo64{Flags: unix.LO_FLAGS_PARTSCAN}}
		err = unix.IoctlLoopConfigure(int(f.Fd()), &cfg)
		switch {
		case err == nil:
			dev = f
		case errors.Is(err, unix.EBUSY) && try < 10: // taken by another test meanwhile
			f.Close()
		default:
			f.Close()
			t.Skipf("loop devices are unavailable here: LOOP_CONFIGURE: %v", err)
		}
	}
	name := filepath.Base(dev.Name())
	t.Cleanup(func() {
		defer dev.Close()
		if err := unix.IoctlSetInt(int(dev.Fd()), unix.LOOP_CLR_FD, 0); err != nil {
			t.Errorf("detaching %s: %v", name, err)
		}
	})
	want := 0
	for _, p := range table {
		if p.size != 0 {
			want++
		}
	}
	if p, err := partitions(filepath.Join("/sys/block", name)); err == nil && len(p) == 0 {
		t.Logf("the kernel found no partitions on %s (no MBR parser?): adding them with BLKPG", name)
		for i, p := range table {
			if p.size == 0 {
				continue
			}
			if err := blkpg(dev, unix.BLKPG_ADD_PARTITION, i+1, int64(p.start)*512, int64(p.size)*512); err != nil {
				t.Skipf("no partitions on loop devices here: BLKPG_ADD_PARTITION: %v", err)
			}
		}
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		p, err := partitions(filepath.Join("/sys/block", name))
		if err == nil && len(p) == want {
			if err = nodesExist(p); err == nil {
				return loopDisk{file: file, dev: dev, disk: Disk{Name: name, Parts: p}}
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: want %d partitions with device nodes, have %v (%v)", name, want, p, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func nodesExist(parts map[int]string) error {
	for _, p := range parts {
		if _, err := os.Stat(filepath.Join("/dev", p)); err != nil {
			return err
		}
	}
	return nil
}

// blkpg adds or resizes partition pno of the disk open as f.
func blkpg(f *os.File, op int32, pno int, start, length int64) error {
	p := unix.BlkpgPartition{Start: start, Length: length, Pno: int32(pno)}
	arg := unix.BlkpgIoctlArg{Op: op, Datalen: int32(unsafe.Sizeof(p)), Data: (*byte)(unsafe.Pointer(&p))}
	if _, _, errno := unix.Syscall(unix.SYS_IOCTL, f.Fd(), unix.BLKPG, uintptr(unsafe.Pointer(&arg))); errno != 0 {
		return errno
	}
	return nil
}

// grow makes the backing file size bytes and tells the loop device, as
// writing the image to a larger card does.
func (l loopDisk) grow(t *testing.T, size int64) {
	t.Helper()
	must(t, os.Truncate(l.file, size))
	must(t, unix.IoctlSetInt(int(l.dev.Fd()), unix.LOOP_SET_CAPACITY, 0))
}

// mountExt4 mounts partition part on a new directory, unmounted at the
// test's end unless the test did it.
func (l loopDisk) mountExt4(t *testing.T, part int) string {
	t.Helper()
	dir := t.TempDir()
	must(t, unix.Mount("/dev/"+l.disk.Parts[part], dir, "ext4", unix.MS_NOATIME, ""))
	t.Cleanup(func() {
		if err := unix.Unmount(dir, 0); err != nil && !errors.Is(err, unix.EINVAL) {
			t.Errorf("unmount %s: %v", dir, err)
			unix.Unmount(dir, unix.MNT_DETACH)
		}
	})
	return dir
}
