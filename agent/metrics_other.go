//go:build !linux

package agent

// readTempC reports no temperature: only Linux thermal zones are read.
func readTempC(root string) *float64 { return nil }
