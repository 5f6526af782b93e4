//go:build !linux

package cpucap

func gettid() int { return -1 }
