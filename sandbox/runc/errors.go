package runc

import (
	"errors"

	"github.com/hearth-home/hearth/sandbox/ocitask"
)

var (
	// ErrPlatform is returned by Prepare when an image archive holds no
	// image for any of Config.Platforms. It wraps sandbox.ErrBadApp.
	ErrPlatform = ocitask.ErrPlatform
	// ErrClosed is returned by Prepare, Start and Recover after Close.
	ErrClosed = errors.New("runc runtime closed")
	// ErrNoRunc is returned by New when the runc binary cannot be run.
	ErrNoRunc = errors.New("runc is not installed (Debian: apt install runc)")
)
