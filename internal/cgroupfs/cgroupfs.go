// Package cgroupfs finds where this process sees the cgroup file systems:
// the unified (v2) hierarchy, and each v1 controller's mount.
package cgroupfs

import (
	"bufio"
	"os"
	"strings"
)

// Mounts are the cgroup mount points, "" where there is none.
type Mounts struct {
	// Unified is the cgroup2 mount.
	Unified string
	// V1 maps each v1 controller ("cpu", "memory", ...) to its mount.
	V1 map[string]string
}

// Read reads /proc/self/mountinfo.
func Read() (Mounts, error) {
	m := Mounts{V1: map[string]string{}}
	f, err := os.Open("/proc/self/mountinfo")
	if err != nil {
		return m, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		// ID parent major:minor root mountpoint options... - fstype source superoptions
		fields := strings.Fields(sc.Text())
		sep := -1
		for i, f := range fields {
			if f == "-" {
				sep = i
				break
			}
		}
		if sep < 0 || sep+3 > len(fields) || len(fields) < 5 {
			continue
		}
		mnt, fstype, super := fields[4], fields[sep+1], fields[sep+3]
		switch fstype {
		case "cgroup2":
			if m.Unified == "" {
				m.Unified = mnt
			}
		case "cgroup":
			for _, o := range strings.Split(super, ",") {
				m.V1[o] = mnt
			}
		}
	}
	return m, sc.Err()
}
