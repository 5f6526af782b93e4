package slot

import (
	"context"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

// fakeDisk makes /sys/block/<name> with partitions and /dev/<name> holding
// an MBR with signature sig (valid says whether it ends in 55 aa).
func fakeDisk(t *testing.T, root, name string, sig uint32, valid bool, parts ...string) {
	t.Helper()
	for i, p := range parts {
		dir := filepath.Join(root, "sys/block", name, p)
		must(t, os.MkdirAll(dir, 0o755))
		must(t, os.WriteFile(filepath.Join(dir, "partition"), []byte(strconv.Itoa(i+1)+"\n"), 0o644))
	}
	// Directories that are not partitions, as in the real /sys.
	must(t, os.MkdirAll(filepath.Join(root, "sys/block", name, "queue"), 0o755))
	must(t, os.MkdirAll(filepath.Join(root, "dev"), 0o755))
	var s [1024]byte
	binary.LittleEndian.PutUint32(s[440:], sig)
	if valid {
		s[510], s[511] = 0x55, 0xaa
	}
	must(t, os.WriteFile(filepath.Join(root, "dev", name), s[:], 0o644))
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestFindDisk(t *testing.T) {
	root := t.TempDir()
	fakeDisk(t, root, "loop0", 0x0badcafe, true) // loop devices are never the boot disk
	fakeDisk(t, root, "sda", 0x11111111, true, "sda1", "sda2")
	fakeDisk(t, root, "sdb", 0x0badcafe, false, "sdb1") // no 55 aa: no MBR
	fakeDisk(t, root, "mmcblk0", 0x0badcafe, true, "mmcblk0p1", "mmcblk0p2", "mmcblk0p3", "mmcblk0p4")
	must(t, os.MkdirAll(filepath.Join(root, "sys/block/vda"), 0o755)) // no /dev node
	sys, dev := filepath.Join(root, "sys/block"), filepath.Join(root, "dev")

	d, err := FindDisk(sys, dev, 0x0badcafe)
	if err != nil {
		t.Fatal(err)
	}
	want := Disk{Name: "mmcblk0", Parts: map[int]string{1: "mmcblk0p1", 2: "mmcblk0p2", 3: "mmcblk0p3", 4: "mmcblk0p4"}}
	if !reflect.DeepEqual(d, want) {
		t.Errorf("FindDisk = %+v, want %+v", d, want)
	}
	if p, err := d.Part(3); err != nil || p != "mmcblk0p3" {
		t.Errorf("Part(3) = %q, %v", p, err)
	}
	d, err = FindDisk(sys, dev, 0x11111111)
	if err != nil || d.Name != "sda" || d.Parts[2] != "sda2" {
		t.Errorf("FindDisk(11111111) = %+v, %v", d, err)
	}
	if _, err := d.Part(4); !errors.Is(err, ErrNoDisk) {
		t.Errorf("sda has no partition 4, got %v", err)
	}
	_, err = FindDisk(sys, dev, 0x22222222)
	if !errors.Is(err, ErrNoDisk) || !strings.Contains(err.Error(), "sda=11111111") || strings.Contains(err.Error(), "loop0") {
		t.Errorf("FindDisk(22222222) = %v; want ErrNoDisk listing the disks seen", err)
	}
}

func TestWaitDisk(t *testing.T) {
	root := t.TempDir()
	sys, dev := filepath.Join(root, "sys/block"), filepath.Join(root, "dev")
	must(t, os.MkdirAll(sys, 0o755))
	go func() {
		time.Sleep(300 * time.Millisecond)
		fakeDisk(t, root, "vda", 0xcafe0001, true, "vda1", "vda2", "vda3", "vda4")
	}()
	start := time.Now()
	d, err := WaitDisk(context.Background(), sys, dev, 0xcafe0001, 5*time.Second)
	if err != nil || d.Name != "vda" {
		t.Fatalf("WaitDisk = %+v, %v", d, err)
	}
	if time.Since(start) < 250*time.Millisecond {
		t.Error("found the disk before it appeared")
	}
	_, err = WaitDisk(context.Background(), sys, dev, 0x12345678, 200*time.Millisecond)
	if !errors.Is(err, ErrNoDisk) {
		t.Errorf("WaitDisk for a missing disk: %v", err)
	}
}
