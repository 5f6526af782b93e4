package cpucap

import "syscall"

func gettid() int { return syscall.Gettid() }
