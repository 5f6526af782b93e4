package slot

import (
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Disk is the boot disk and its partitions.
type Disk struct {
	// Name is the kernel's name, e.g. mmcblk0 or vda.
	Name string
	// Parts maps partition numbers to device names, e.g. 1: mmcblk0p1.
	Parts map[int]string
}

// Part returns partition n's device name, or an error naming what is missing.
func (d Disk) Part(n int) (string, error) {
	if p, ok := d.Parts[n]; ok {
		return p, nil
	}
	return "", fmt.Errorf("%w: %s has no partition %d", ErrNoDisk, d.Name, n)
}

// FindDisk looks through sysBlock (/sys/block) for the disk whose sector 0,
// read from devDir (/dev), carries an MBR with the signature sig.
func FindDisk(sysBlock, devDir string, sig uint32) (Disk, error) {
	ents, err := os.ReadDir(sysBlock)
	if err != nil {
		return Disk{}, fmt.Errorf("%w: %w", ErrNoDisk, err)
	}
	var seen []string
	for _, e := range ents {
		name := e.Name()
		if strings.HasPrefix(name, "loop") || strings.HasPrefix(name, "ram") || strings.HasPrefix(name, "zram") {
			continue
		}
		got, ok := mbrSignature(filepath.Join(devDir, name))
		if !ok {
			continue
		}
		seen = append(seen, fmt.Sprintf("%s=%08x", name, got))
		if got != sig {
			continue
		}
		parts, err := Partitions(filepath.Join(sysBlock, name))
		if err != nil {
			return Disk{}, err
		}
		return Disk{Name: name, Parts: parts}, nil
	}
	return Disk{}, fmt.Errorf("%w: no disk has signature %08x (seen: %s)", ErrNoDisk, sig, strings.Join(seen, " "))
}

// WaitDisk calls FindDisk until it succeeds or timeout passes: disks probe
// asynchronously, an SD card can take a few seconds to show.
func WaitDisk(ctx context.Context, sysBlock, devDir string, sig uint32, timeout time.Duration) (Disk, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	for {
		d, err := FindDisk(sysBlock, devDir, sig)
		if err == nil {
			return d, nil
		}
		select {
		case <-ctx.Done():
			return Disk{}, fmt.Errorf("after %s: %w", timeout, err)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// mbrSignature reads the disk signature (bytes 440..443, little-endian) of
// an MBR, if dev holds one.
func mbrSignature(dev string) (uint32, bool) {
	f, err := os.Open(dev)
	if err != nil {
		return 0, false
	}
	defer f.Close()
	var s [512]byte
	if _, err := io.ReadFull(f, s[:]); err != nil || s[510] != 0x55 || s[511] != 0xaa {
		return 0, false
	}
	return binary.LittleEndian.Uint32(s[440:444]), true
}

// Partitions maps the partition numbers under a /sys/block/<disk> directory
// to their names, whichever naming (sda1, mmcblk0p1) the driver uses.
func Partitions(dir string) (map[int]string, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	parts := map[int]string{}
	for _, e := range ents {
		b, err := os.ReadFile(filepath.Join(dir, e.Name(), "partition"))
		if err != nil {
			continue
		}
		if n, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil {
			parts[n] = e.Name()
		}
	}
	return parts, nil
}

// String lists the partitions, for the log.
func (d Disk) String() string {
	var nums []int
	for n := range d.Parts {
		nums = append(nums, n)
	}
	sort.Ints(nums)
	var s []string
	for _, n := range nums {
		s = append(s, d.Parts[n])
	}
	return d.Name + " (" + strings.Join(s, " ") + ")"
}
