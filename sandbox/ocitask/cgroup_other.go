//go:build !linux

package ocitask

import (
	"time"

	"github.com/hearth-home/hearth/sandbox"
)

// Cgroups knows no cgroups off Linux: CPU time falls back to wall time
// and OOM kills go unseen.
type Cgroups struct{}

func DetectCgroups() Cgroups                                       { return Cgroups{} }
func (Cgroups) V2() bool                                           { return false }
func (Cgroups) CPUUsage(path string) (time.Duration, bool)         { return 0, false }
func (Cgroups) OOMKills(path string) int64                         { return 0 }
func (Cgroups) SetCPUQuota(path string, quota, period int64) error { return sandbox.ErrUnsupported }
func (Cgroups) RemoveEmpty(path string)                            {}
