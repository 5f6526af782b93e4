package hearthinit

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"

	"golang.org/x/sys/unix"
)

// mount is one mount(2) call.
type mount struct {
	source, target, fstype string
	flags                  uintptr
	data                   string
	optional               bool // log and go on when it fails
}

func (m mount) do() error {
	if err := os.MkdirAll(m.target, 0o755); err != nil {
		return err
	}
	if err := unix.Mount(m.source, m.target, m.fstype, m.flags, m.data); err != nil {
		if errors.Is(err, unix.EBUSY) && isMounted(m.target) {
			return nil // mounted already (e.g. devtmpfs by the kernel)
		}
		return fmt.Errorf("mount %s on %s (%s): %w", m.source, m.target, m.fstype, err)
	}
	return nil
}

func isMounted(target string) bool {
	b, err := os.ReadFile("/proc/self/mounts")
	if err != nil {
		return false
	}
	for l := range strings.Lines(string(b)) {
		if f := strings.Fields(l); len(f) > 1 && f[1] == target {
			return true
		}
	}
	return false
}

const nosuid = unix.MS_NOSUID | unix.MS_NODEV | unix.MS_NOEXEC

// mountEarly mounts the kernel's file systems: what every later step
// needs. /dev first, so that failures of the rest can reach the console.
func mountEarly(log *slog.Logger) error {
	for _, m := range []mount{
		{"devtmpfs", "/dev", "devtmpfs", unix.MS_NOSUID, "mode=0755", false},
		{"proc", "/proc", "proc", nosuid, "", false},
		{"sysfs", "/sys", "sysfs", nosuid, "", false},
		{"devpts", "/dev/pts", "devpts", unix.MS_NOSUID | unix.MS_NOEXEC, "gid=5,mode=0620,ptmxmode=0666", true},
		{"tmpfs", "/dev/shm", "tmpfs", unix.MS_NOSUID | unix.MS_NODEV, "mode=1777", true},
		{"tmpfs", "/tmp", "tmpfs", unix.MS_NOSUID | unix.MS_NODEV, "mode=1777", false},
		{"tmpfs", "/run", "tmpfs", unix.MS_NOSUID | unix.MS_NODEV, "mode=0755", false},
	} {
		if err := m.do(); err != nil {
			if !m.optional {
				return err
			}
			log.Warn(err.Error())
		}
	}
	return nil
}

// mountCgroup2 mounts the unified cgroup hierarchy when the kernel has it;
// a kernel with only v1 is left as it is.
func mountCgroup2(log *slog.Logger) {
	fs, _ := os.ReadFile("/proc/filesystems")
	if !strings.Contains(string(fs), "\tcgroup2\n") {
		log.Warn("the kernel has no cgroup2; containers and power capping will be limited")
		return
	}
	m := mount{"cgroup2", "/sys/fs/cgroup", "cgroup2", nosuid, "nsdelegate", false}
	if err := m.do(); err != nil {
		m.data = "" // kernels before 4.13 lack nsdelegate
		if err := m.do(); err != nil {
			log.Warn(err.Error())
		}
	}
}

// ErrDataPartition is returned when the data partition does not mount,
// most likely because it was never formatted.
var ErrDataPartition = errors.New("data partition")

// mountDisk mounts the boot partition, the booted slot and the data
// partition of d.
func mountDisk(d Disk, slotPart int) error {
	dev := func(n int) (string, error) {
		p, err := d.Part(n)
		return "/dev/" + p, err
	}
	boot, err := dev(1)
	if err != nil {
		return err
	}
	slot, err := dev(slotPart)
	if err != nil {
		return err
	}
	data, err := dev(4)
	if err != nil {
		return err
	}
	if err := (mount{boot, BootDir, "vfat", nosuid | unix.MS_NOATIME, "umask=0077,shortname=mixed,errors=remount-ro", false}).do(); err != nil {
		return fmt.Errorf("the boot partition: %w", err)
	}
	if err := (mount{slot, SlotDir, "ext4", unix.MS_RDONLY | unix.MS_NODEV | unix.MS_NOATIME, "", false}).do(); err != nil {
		return fmt.Errorf("slot partition %d: %w", slotPart, err)
	}
	if err := (mount{data, DataDir, "ext4", unix.MS_NODEV | unix.MS_NOATIME, "", false}).do(); err != nil {
		return fmt.Errorf("%w %s does not mount as ext4 (is it formatted? this image does not format it): %w", ErrDataPartition, data, err)
	}
	return nil
}
