package containerd

import (
	"errors"
	"fmt"

	"github.com/hearth-home/hearth/sandbox"
)

var (
	// ErrPlatform is returned by Prepare when an image archive holds no
	// image for any of Config.Platforms. It wraps sandbox.ErrBadApp.
	ErrPlatform = fmt.Errorf("%w: no image for this device's platform", sandbox.ErrBadApp)
	// ErrClosed is returned by Prepare, Start and Recover after Close.
	ErrClosed = errors.New("containerd runtime closed")
	// ErrUnreachable is returned by New when containerd does not answer on
	// its socket.
	ErrUnreachable = errors.New("containerd is not reachable")
)
