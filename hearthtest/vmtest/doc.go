// Package vmtest runs a test inside a Linux virtual machine: for what the
// machine that runs the tests cannot show, such as cgroup v2 on a host
// whose cgroups are v1 (Raspberry Pi OS uses v2 alone).
//
// Run packs the running test binary, which must be static (CGO_ENABLED=0),
// as the init of an initramfs, boots a kernel with it under
// qemu-system-x86_64, and runs the calling test again inside. There the
// binary, as process 1, mounts /proc, /sys, /dev, /tmp and the cgroup2
// file system, enables every controller down to a cgroup of its own
// (system.slice/hearth-agent.service by default: where systemd runs a
// service with Delegate=yes, so the kernel's rule against processes in
// inner cgroups applies), starts the test binary again as a child in that
// cgroup, prints its output between markers and powers off. The test sees
// InGuest report true there:
//
//	func init() { vmtest.Init() } // in one _test.go file of the package
//
//	func TestSomething(t *testing.T) {
//		if !vmtest.InGuest() {
//			vmtest.Run(t, vmtest.Options{})
//			return
//		}
//		// inside the VM
//	}
//
// The kernel comes from $HEARTH_VM_KERNEL (scripts/vmkernel.sh fetches
// Debian's cloud kernel, which has everything needed built in); without
// it Run skips the test, and with it but without qemu it fails. Only
// linux/amd64 hosts are supported.
//
// Run uses KVM where /dev/kvm opens, and emulates the CPUs (tcg, in one
// host thread) where it does not, where KVM is PVM's (which boots only
// kernels built for it), or where KVM did not start the test within 20
// seconds; $HEARTH_VM_ACCEL=kvm or tcg forces one. One VM runs at a time
// on a machine (a lock file in the temporary directory), and as root qemu
// runs at a higher priority than the tests beside it: the guest's clocks
// follow the host's, so a qemu kept waiting for a core blurs the CPU
// shares a test measures inside.
//
// Caveat: the VM has no network, no disk and no programs but the test
// binary and Options.Files; a test that needs the Go toolchain (to build
// a test app, say) builds on the host and passes the result in Files.
package vmtest
