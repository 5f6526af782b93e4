//go:build !linux

package vmtest

import "syscall"

// VMs run on Linux hosts only.

func qemuAttr() *syscall.SysProcAttr { return nil }

func prioritize(pid int) {}

func vcpuState(sock string) string { return "" }
