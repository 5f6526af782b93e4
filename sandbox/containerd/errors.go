package containerd

import (
	"errors"

	"github.com/hearth-home/hearth/sandbox/ocitask"
)

var (
	// ErrPlatform is returned by Prepare when an image archive holds no
	// image for any of Config.Platforms. It wraps sandbox.ErrBadApp.
	ErrPlatform = ocitask.ErrPlatform
	// ErrClosed is returned by Prepare, Start and Recover after Close.
	ErrClosed = errors.New("containerd runtime closed")
	// ErrUnreachable is returned by New when containerd does not answer on
	// its socket.
	ErrUnreachable = errors.New("containerd is not reachable")
)
