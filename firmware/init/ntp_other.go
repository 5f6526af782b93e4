//go:build !linux

package hearthinit

import (
	"errors"
	"time"
)

func stepClock(time.Duration) error { return errors.ErrUnsupported }
