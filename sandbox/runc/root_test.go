package runc

import "testing"

func TestRootFSType(t *testing.T) {
	for _, c := range []struct {
		name, mounts, want string
	}{
		{"initramfs", "rootfs / rootfs rw,size=233008k 0 0\nproc /proc proc rw 0 0\n/dev/vda2 /slot ext4 ro 0 0\n", "rootfs"},
		{"after switch_root on an old kernel", "rootfs / rootfs rw 0 0\n/dev/sda1 / ext4 rw,relatime 0 0\nproc /proc proc rw 0 0\n", "ext4"},
		{"a container's overlay", "overlay / overlay rw,lowerdir=/a 0 0\n", "overlay"},
		{"no root listed", "proc /proc proc rw 0 0\n", ""},
		{"a short line", "/\n", ""},
	} {
		if got := rootFSType(c.mounts); got != c.want {
			t.Errorf("%s: rootFSType = %q, want %q", c.name, got, c.want)
		}
	}
	if RootIsInitramfs() {
		t.Error("RootIsInitramfs on a machine that booted from its disk")
	}
}
