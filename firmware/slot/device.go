package slot

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Paths says where a Device finds the running system. The zero value is
// the appliance's.
type Paths struct {
	// Cmdline is the kernel command line (default /proc/cmdline).
	Cmdline string
	// SysBlock lists the block devices (default /sys/block); Dev holds
	// their nodes (default /dev).
	SysBlock, Dev string
	// Boot, Slot and Data are where hearth-init mounted the boot
	// partition, the booted slot and the data partition (default /boot,
	// /slot and /data).
	Boot, Slot, Data string
	// Initramfs is the root of the initramfs, whose etc/hearth names the
	// version and board when the slot's does not (default /).
	Initramfs string
}

func (p Paths) withDefaults() Paths {
	def := func(s *string, d string) {
		if *s == "" {
			*s = d
		}
	}
	def(&p.Cmdline, "/proc/cmdline")
	def(&p.SysBlock, "/sys/block")
	def(&p.Dev, "/dev")
	def(&p.Boot, "/boot")
	def(&p.Slot, "/slot")
	def(&p.Data, "/data")
	def(&p.Initramfs, "/")
	return p
}

// Device is the booted device's slots: which one runs, where each one's
// partition is, and the files that record their state.
type Device struct {
	// Slot is the booted slot; Trial is set when this boot is a trial
	// (hearth.trial=1), committed since or not (OnTrial tells).
	Slot  Name
	Trial bool
	// Board is the board's name and Version the booted slot's release,
	// from its etc/hearth/board and etc/hearth/version.
	Board, Version string
	// Parts are the slots' partitions: block devices, or files in tests.
	Parts map[Name]string
	// BootEnvFile is hearthboot.env on the boot partition.
	BootEnvFile string
	// StateFile is the update state on the data partition.
	StateFile string
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Open opens a partition for Install (default OpenPartition).
	Open func(path string) (Partition, error)
}

// Open finds the booted device: the slot and disk that the kernel command
// line names, the disk among the block devices by its signature.
func Open(p Paths) (*Device, error) {
	p = p.withDefaults()
	raw, err := os.ReadFile(p.Cmdline)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrCmdline, err)
	}
	cl, err := ParseCmdline(string(raw))
	if err != nil {
		return nil, err
	}
	disk, err := FindDisk(p.SysBlock, p.Dev, cl.DiskSignature)
	if err != nil {
		return nil, err
	}
	return NewDevice(cl, disk, p)
}

// NewDevice is the Device of a command line and a disk already found (by
// hearth-init, which waits for the disk at boot).
func NewDevice(cl Cmdline, disk Disk, p Paths) (*Device, error) {
	p = p.withDefaults()
	d := &Device{
		Slot: cl.Slot, Trial: cl.Trial, Parts: map[Name]string{},
		BootEnvFile: filepath.Join(p.Boot, BootEnvName),
		StateFile:   filepath.Join(p.Data, "hearth", StateName),
		Board:       releaseFile(p, "board"),
		Version:     releaseFile(p, "version"),
	}
	for _, s := range []Name{A, B} {
		part, err := disk.Part(s.Partition())
		if err != nil {
			return nil, err
		}
		d.Parts[s] = filepath.Join(p.Dev, part)
	}
	return d, nil
}

// releaseFile reads etc/hearth/<name> of the slot, else of the initramfs.
func releaseFile(p Paths, name string) string {
	for _, root := range []string{p.Slot, p.Initramfs} {
		b, err := os.ReadFile(filepath.Join(root, "etc/hearth", name))
		if err != nil {
			continue
		}
		l, _, _ := strings.Cut(string(b), "\n")
		if l = strings.TrimSpace(l); l != "" {
			return l
		}
	}
	return ""
}

func (d *Device) now() time.Time {
	if d.Now != nil {
		return d.Now().UTC()
	}
	return time.Now().UTC()
}

// OnTrial reports whether the booted slot is on a trial not yet
// committed: a trial boot whose slot's LEFT in hearthboot.env is not
// LeftCommitted.
func (d *Device) OnTrial() (bool, error) {
	if !d.Trial {
		return false, nil
	}
	env, err := ReadBootEnv(d.BootEnvFile)
	if err != nil {
		return true, err
	}
	return env.Left(d.Slot) != LeftCommitted, nil
}
