//go:build !linux

package ocitask

func RunInit([]string) int { return 127 }
