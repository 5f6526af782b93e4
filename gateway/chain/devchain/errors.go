package devchain

import "errors"

var (
	// ErrListen is returned by Start when the JSON-RPC server cannot listen
	// on Options.Addr, usually because another program holds the port.
	ErrListen = errors.New("devchain: cannot listen for JSON-RPC")

	// ErrDataDirInUse is returned by Start when another process, or another
	// Chain in this one, has Options.DataDir open.
	ErrDataDirInUse = errors.New("devchain: data directory in use")

	// ErrGenesisMismatch is returned by Start when Options.DataDir holds a
	// chain with a different genesis, which means it was created with a
	// different Options.Alloc.
	ErrGenesisMismatch = errors.New("devchain: data directory holds a chain with a different genesis")
)
