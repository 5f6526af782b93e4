//go:build !linux

package containerd

func runInit([]string) int { return 127 }
