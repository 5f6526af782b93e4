package runc

import (
	"os"
	"strings"
)

// RootIsInitramfs reports whether this process's root file system is the
// kernel's initramfs (rootfs), as on Hearth OS, whose init runs from it
// and mounts the slot beside it. runc's pivot_root fails there (EINVAL):
// containers must be entered with --no-pivot.
func RootIsInitramfs() bool {
	b, err := os.ReadFile("/proc/self/mounts")
	return err == nil && rootFSType(string(b)) == "rootfs"
}

// rootFSType is the type of the file system mounted on / in mounts, a
// /proc/self/mounts: the last one, which hides those before it (older
// kernels list the initial rootfs first even after a switch to another
// root).
func rootFSType(mounts string) string {
	fstype := ""
	for l := range strings.Lines(mounts) {
		if f := strings.Fields(l); len(f) > 2 && f[1] == "/" {
			fstype = f[2]
		}
	}
	return fstype
}
