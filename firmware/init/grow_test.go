//go:build linux

package hearthinit

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hearth-home/hearth/hearthtest/vmtest"
	"golang.org/x/sys/unix"
)

// imageParts is the image's layout in sectors (firmware/image): boot,
// slot A, slot B and 16 MiB of data, each starting on a MiB.
var imageParts = []testPart{
	{0x0c, 2048, 40 << 11}, {0x83, 2048 + 40<<11, 96 << 11}, {0x83, 2048 + 136<<11, 96 << 11}, {0x83, 2048 + 232<<11, 16 << 11},
}

func TestGrowEntry(t *testing.T) {
	const dataStart, dataSize = 2048 + 232<<11, 16 << 11
	const align = 2048
	// A 32 GB card, not a whole number of MiB.
	card := uint64(31_116_288*1024/512 + 777)
	mbr := mbrSector(0x4ea27400, imageParts...)
	orig := bytes.Clone(mbr)
	g, err := growEntry(mbr, 4, card, align)
	if err != nil {
		t.Fatal(err)
	}
	wantSize := card/align*align - dataStart
	if g != (entryGrowth{start: dataStart, oldSize: dataSize, newSize: wantSize}) {
		t.Errorf("growEntry = %+v, want size %d", g, wantSize)
	}
	// Only partition 4's sector count changed.
	want := bytes.Clone(orig)
	binary.LittleEndian.PutUint32(want[mbrTableOffset+3*mbrEntrySize+12:], uint32(wantSize))
	if !bytes.Equal(mbr, want) {
		t.Errorf("changed bytes other than partition 4's sector count:\n%x\nwant\n%x", mbr, want)
	}
	// Done already: nothing to do.
	if g, err := growEntry(mbr, 4, card, align); err != nil || g.newSize != g.oldSize || g.newSize != wantSize {
		t.Errorf("second growEntry = %+v, %v", g, err)
	}
	// The last MiB is incomplete: the partition ends before it.
	if g, err := growEntry(bytes.Clone(orig), 4, dataStart+dataSize+align-1, align); err != nil || g.newSize != dataSize {
		t.Errorf("growEntry within a MiB of the end = %+v, %v", g, err)
	}
	// MBR counts sectors in 32 bits: a 4 TB disk gets 2 TiB.
	if g, err := growEntry(bytes.Clone(orig), 4, 4e12/512, align); err != nil || dataStart+g.newSize != (1<<32-1)/align*align {
		t.Errorf("growEntry on 4 TB = %+v, %v", g, err)
	}

	withPart := func(n int, p testPart) []byte {
		parts := append([]testPart(nil), imageParts...)
		parts[n-1] = p
		return mbrSector(1, parts...)
	}
	for _, tc := range []struct {
		name string
		mbr  []byte
		part int
		disk uint64
		want string
	}{
		{"not the last partition", mbrSector(1, imageParts...), 3, card, "partition 4 starts at sector"},
		{"last by number, not by start", withPart(2, testPart{0x83, dataStart + dataSize, 2048}), 4, card, "partition 2 starts at sector"},
		{"overlapping", withPart(3, testPart{0x83, dataStart - 2048, 4096}), 4, card, "overlaps partition 4"},
		{"FAT", withPart(4, testPart{0x0c, dataStart, dataSize}), 4, card, "type 0x0c"},
		{"GPT's protective MBR", mbrSector(1, testPart{0xee, 1, 1<<32 - 1}), 1, card, "type 0xee"},
		{"empty entry", mbrSector(1, imageParts[:3]...), 4, card, "type 0x00"},
		{"disk smaller than the table", mbrSector(1, imageParts...), 4, dataStart + dataSize - 1, "the disk has"},
		{"no MBR", make([]byte, 512), 4, card, "no MBR"},
		{"partition 5", mbrSector(1, imageParts...), 5, card, "partitions 1 to 4"},
	} {
		before := bytes.Clone(tc.mbr)
		_, err := growEntry(tc.mbr, tc.part, tc.disk, align)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: growEntry = %v, want an error with %q", tc.name, err, tc.want)
		}
		if !bytes.Equal(tc.mbr, before) {
			t.Errorf("%s: growEntry changed the sector after refusing it", tc.name)
		}
	}
}

func FuzzGrowEntry(f *testing.F) {
	f.Add(mbrSector(1, imageParts...), 4, uint64(1<<26), uint64(2048))
	f.Add(mbrSector(1, imageParts...), 3, uint64(1<<26), uint64(2048))
	f.Add(mbrSector(1, imageParts...), 4, uint64(1<<40), uint64(8))
	f.Fuzz(func(t *testing.T, mbr []byte, part int, disk, align uint64) {
		before := bytes.Clone(mbr)
		g, err := growEntry(mbr, part, disk, align)
		if err != nil {
			if !bytes.Equal(mbr, before) {
				t.Fatalf("refused (%v) and changed the sector", err)
			}
			return
		}
		if g.newSize < g.oldSize || g.start+g.newSize > disk || g.newSize > 1<<32-1 {
			t.Fatalf("growEntry = %+v on a disk of %d sectors", g, disk)
		}
		off := mbrTableOffset + mbrEntrySize*(part-1) + 12
		for i := range mbr {
			if mbr[i] != before[i] && (i < off || i >= off+4) {
				t.Fatalf("byte %d changed", i)
			}
		}
		if got := binary.LittleEndian.Uint32(mbr[off:]); uint64(got) != g.newSize {
			t.Fatalf("entry says %d sectors, growEntry %d", got, g.newSize)
		}
	})
}

// dataMkfsFlags are mkfs.ext4's options for the image's data partition,
// besides -L and -d: 4 KiB blocks (mke2fs picks 1 KiB for 16 MiB, and
// with it a 1 KiB-block file system of 256 GB), 8192 inodes (that is, per
// 128 MiB group once grown: one per 16 KiB; mke2fs would give 1024), and
// GDT blocks reserved for growing online to 1 TiB. Not 2 TiB, the most an
// MBR partition holds: 255 reserved blocks make the kernel's resize
// transaction need 261 journal credits, more than the 256 that the 4 MiB
// journal of a 16 MiB file system allows (ENOSPC, "JBD2: init wants too
// many credits"); 127 need 133. Past 1 TiB the kernel converts the file
// system to meta_bg as it grows. -E is given once: mke2fs keeps only the
// last.
var dataMkfsFlags = []string{"-b", "4096", "-N", "8192", "-I", "256", "-E", "root_owner=0:0,resize=268435456"}

// growCases are the file systems TestGrowData grows.
var growCases = []struct {
	name string
	mkfs []string
	card int64 // the disk's size once grown
	// metadata is the most of the partition, in percent, that statfs may
	// leave out: inode tables, bitmaps, the journal.
	metadata int64
	check    func(t *testing.T, features string)
	long     bool // skipped with -short: a minute emulated
}{
	// A 256 GB card (not a whole number of MiB), within the reserved GDT
	// blocks.
	{"image flags", dataMkfsFlags, 256e9 + 12345*512, 3, func(t *testing.T, features string) {
		if !strings.Contains(features, "resize_inode") || strings.Contains(features, "meta_bg") {
			t.Errorf("features %q: want resize_inode still, and no meta_bg", features)
		}
	}, false},
	// A 1.5 TB disk, past the reserved GDT blocks: the kernel converts
	// to meta_bg on the way.
	{"image flags past 1 TiB", dataMkfsFlags, 1.5e12, 3, func(t *testing.T, features string) {
		if !strings.Contains(features, "meta_bg") {
			t.Errorf("features %q: want meta_bg", features)
		}
	}, true},
	// mke2fs's defaults for 16 MiB: 1 KiB blocks, an inode per 4 KiB
	// (inode tables take 6%), 127 reserved GDT blocks (room for 16 GiB);
	// grown to 32 GB through meta_bg.
	{"mke2fs defaults", nil, 32e9, 8, func(t *testing.T, features string) {
		if !strings.Contains(features, "meta_bg") {
			t.Errorf("features %q: want meta_bg", features)
		}
	}, false},
}

// Paths in the VM that TestGrowData boots.
const (
	vmGrowDir    = "/grow"
	vmLoopModule = vmGrowDir + "/loop.ko"
)

// TestGrowData grows the image's data partition on a loop device, for
// real: here when the test may (root, loop devices, CAP_SYS_RESOURCE),
// else, with $HEARTH_VM_KERNEL set, in a VM running that kernel (the
// Debian 6.1 of the image, in CI), with mke2fs run here and e2fsck copied
// in.
func TestGrowData(t *testing.T) {
	if vmtest.InGuest() {
		if _, err := os.Stat("/dev/loop-control"); err != nil {
			loadModule(t, vmLoopModule)
		}
		for _, tc := range growCases {
			t.Run(tc.name, func(t *testing.T) {
				if tc.long && testing.Short() {
					t.Skip("long: not with -short")
				}
				testGrowData(t, filepath.Join(vmGrowDir, fsImageName(tc.name)), tc.card, tc.metadata, tc.check)
			})
		}
		return
	}
	for _, p := range []string{"mkfs.ext4", "e2fsck", "dumpe2fs"} {
		if _, err := exec.LookPath(p); err != nil {
			t.Skipf("needs %s (e2fsprogs): %v", p, err)
		}
	}
	if kernel := os.Getenv(vmtest.KernelEnv); kernel != "" {
		runGrowInVM(t, kernel)
		return
	}
	needLoop(t)
	for _, tc := range growCases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.long && testing.Short() {
				t.Skip("long: not with -short")
			}
			testGrowData(t, makeDataFS(t, t.TempDir(), tc.mkfs), tc.card, tc.metadata, tc.check)
		})
	}
}

// runGrowInVM runs TestGrowData in a VM booting kernel, with the data
// file systems made here and e2fsck, dumpe2fs and their libraries copied
// in. The kernel's loop driver is a module: it is looked for beside the
// kernel, as a Debian package unpacks (lib/modules/<version>/...).
func runGrowInVM(t *testing.T, kernel string) {
	mods, _ := filepath.Glob(filepath.Join(filepath.Dir(kernel), "..", "lib/modules/*/kernel/drivers/block/loop.ko"))
	if len(mods) == 0 {
		t.Skipf("the VM needs its kernel's loop.ko, which is not beside %s: unpack lib/modules/*/kernel/drivers/block/loop.ko "+
			"from the kernel's package there (scripts/vmkernel.sh keeps only the kernel)", kernel)
	}
	files := map[string]string{vmLoopModule: mods[0]}
	dir := t.TempDir()
	for _, tc := range growCases {
		files[filepath.Join(vmGrowDir, fsImageName(tc.name))] = makeDataFS(t, dir, tc.mkfs)
	}
	var libDirs []string
	for _, p := range []string{"e2fsck", "dumpe2fs"} {
		path, _ := exec.LookPath(p)
		files[path] = path
		out, err := exec.Command("ldd", path).Output()
		if err != nil {
			t.Skipf("ldd %s: %v", path, err)
		}
		for l := range strings.Lines(string(out)) {
			f := strings.Fields(l)
			if len(f) >= 3 && f[1] == "=>" && filepath.IsAbs(f[2]) {
				files[f[2]] = f[2]
				libDirs = append(libDirs, filepath.Dir(f[2]))
			} else if len(f) >= 1 && filepath.IsAbs(f[0]) { // the dynamic loader
				files[f[0]] = f[0]
			}
		}
	}
	var args []string
	if testing.Short() {
		args = append(args, "-test.short")
	}
	vmtest.Run(t, vmtest.Options{
		Args:    args,
		Files:   files,
		Env:     []string{"LD_LIBRARY_PATH=" + strings.Join(libDirs, ":"), "PATH=" + os.Getenv("PATH")},
		Memory:  2048,
		Timeout: 8 * time.Minute,
	})
}

func fsImageName(caseName string) string { return strings.ReplaceAll(caseName, " ", "-") + ".img" }

// makeDataFS makes a 16 MiB ext4 in dir with mkfs's flags (besides -L and
// -d), from a directory holding the file testGrowData reads back.
func makeDataFS(t *testing.T, dir string, flags []string) string {
	content, err := os.MkdirTemp(dir, "content")
	must(t, err)
	must(t, os.WriteFile(filepath.Join(content, "identity"), []byte(identity), 0o600))
	img := content + ".img"
	args := append([]string{"-q", "-F", "-L", "hearth-data", "-d", content}, flags...)
	if out, err := exec.Command("mkfs.ext4", append(args, img, "16M")...).CombinedOutput(); err != nil {
		t.Fatalf("mkfs.ext4: %v: %s", err, out)
	}
	return img
}

const identity = "the device's identity\n"

// loadModule loads a kernel module from a file, in the VM.
func loadModule(t *testing.T, path string) {
	f, err := os.Open(path)
	must(t, err)
	defer f.Close()
	if err := unix.FinitModule(int(f.Fd()), "", 0); err != nil && !errors.Is(err, unix.EEXIST) {
		t.Fatalf("loading %s: %v", path, err)
	}
}

// testGrowData writes the image's partition table with the file system
// fsImg as partition 4 to a disk file, attaches it, grows the disk to
// card bytes and the partition with GrowData, and checks the result.
func testGrowData(t *testing.T, fsImg string, card, metadata int64, check func(t *testing.T, features string)) {
	dir := t.TempDir()
	// The image: its table and the data partition at its place.
	img := filepath.Join(dir, "disk.img")
	data := imageParts[3]
	f, err := os.Create(img)
	must(t, err)
	_, err = f.WriteAt(mbrSector(0x4ea27400, imageParts...), 0)
	must(t, err)
	src, err := os.Open(fsImg)
	must(t, err)
	_, err = io.Copy(io.NewOffsetWriter(f, int64(data.start)*512), src)
	src.Close()
	must(t, err)
	must(t, f.Truncate(int64(data.start+data.size)*512))
	must(t, f.Close())

	l := attachLoop(t, img, imageParts)
	mnt := l.mountExt4(t, 4)
	must(t, os.WriteFile(filepath.Join(mnt, "results"), bytes.Repeat([]byte("r"), 100_000), 0o644))
	log := slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))

	// The image as written: the partition fills the disk already.
	if grown, err := GrowData(l.disk, 4, mnt, log); err != nil || grown {
		t.Fatalf("GrowData on the image = %v, %v; want false, nil", grown, err)
	}
	// Refused before anything is written.
	if _, err := GrowData(l.disk, 4, dir, log); !errors.Is(err, ErrGrowRefused) {
		t.Errorf("GrowData with a mount point not on the partition = %v, want ErrGrowRefused", err)
	}
	if _, err := GrowData(l.disk, 3, mnt, log); !errors.Is(err, ErrGrowRefused) {
		t.Errorf("GrowData of partition 3 = %v, want ErrGrowRefused", err)
	}

	l.grow(t, card)
	grown, err := GrowData(l.disk, 4, mnt, log)
	if err != nil || !grown {
		t.Fatalf("GrowData = %v, %v; want true, nil", grown, err)
	}

	partBytes := (card/mib*mib - int64(data.start)*512)
	mbr := make([]byte, 512)
	f, err = os.Open(img)
	must(t, err)
	_, err = f.ReadAt(mbr, 0)
	f.Close()
	must(t, err)
	want := mbrSector(0x4ea27400, imageParts...)
	binary.LittleEndian.PutUint32(want[mbrTableOffset+3*mbrEntrySize+12:], uint32(partBytes/512))
	if !bytes.Equal(mbr, want) {
		t.Errorf("the disk's MBR:\n%x\nwant\n%x", mbr, want)
	}
	if b, err := os.ReadFile(filepath.Join("/sys/block", l.disk.Name, l.disk.Parts[4], "size")); err != nil || strings.TrimSpace(string(b)) != fmt.Sprint(partBytes/512) {
		t.Errorf("the kernel's partition: %q sectors, %v; want %d", b, err, partBytes/512)
	}
	var st unix.Statfs_t
	must(t, unix.Statfs(mnt, &st))
	if size := int64(st.Blocks) * st.Bsize; size < partBytes*(100-metadata)/100 || size > partBytes {
		t.Errorf("statfs: %d blocks of %d = %s; the partition is %s", st.Blocks, st.Bsize, sizeString(uint64(size)), sizeString(uint64(partBytes)))
	}
	if b, err := os.ReadFile(filepath.Join(mnt, "identity")); err != nil || string(b) != identity {
		t.Errorf("identity after growing: %q, %v", b, err)
	}
	if b, err := os.ReadFile(filepath.Join(mnt, "results")); err != nil || len(b) != 100_000 || bytes.Count(b, []byte("r")) != 100_000 {
		t.Errorf("results after growing: %d bytes, %v", len(b), err)
	}
	// The space is there to use: more than the 16 MiB it had.
	big, err := os.Create(filepath.Join(mnt, "big"))
	must(t, err)
	err = unix.Fallocate(int(big.Fd()), 0, 0, 256<<20)
	big.Close()
	if err != nil {
		t.Errorf("fallocate 256 MiB after growing: %v", err)
	}

	if grown, err := GrowData(l.disk, 4, mnt, log); err != nil || grown {
		t.Errorf("second GrowData = %v, %v; want false, nil", grown, err)
	}

	must(t, unix.Unmount(mnt, 0))
	dev := "/dev/" + l.disk.Parts[4]
	out, err := exec.Command("e2fsck", "-fn", dev).CombinedOutput()
	if err != nil {
		t.Errorf("e2fsck -fn after growing: %v\n%s", err, out)
	} else {
		t.Logf("e2fsck -fn: %s", lastLine(out))
	}
	out, err = exec.Command("dumpe2fs", "-h", dev).CombinedOutput()
	if err != nil {
		t.Fatalf("dumpe2fs: %v: %s", err, out)
	}
	for l := range strings.Lines(string(out)) {
		if f, ok := strings.CutPrefix(l, "Filesystem features:"); ok {
			check(t, f)
		}
	}
}

func lastLine(b []byte) string {
	l := strings.Split(strings.TrimSpace(string(b)), "\n")
	return l[len(l)-1]
}

// testWriter sends a logger's lines to the test's log.
type testWriter struct{ t *testing.T }

func (w testWriter) Write(b []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(b)))
	return len(b), nil
}
