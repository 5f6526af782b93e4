package devchain

import (
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"time"

	"github.com/ethereum/go-ethereum/core/types"
)

// DefaultBlockInterval is Options.BlockInterval's default.
const DefaultBlockInterval = 200 * time.Millisecond

// Options configures Start. The zero value runs an empty in-memory chain
// without an HTTP server.
type Options struct {
	// Addr is the JSON-RPC HTTP listen address, for example "127.0.0.1:8545".
	// Port 0 picks a free port, which URL then reports. The host must be
	// given: ":8545" is refused rather than silently listening everywhere.
	// Default "": no HTTP server, the chain is reachable only through Client.
	Addr string

	// DataDir is where the chain is kept across restarts. The directory is
	// locked while the chain runs. Default "": in memory, gone after Close.
	DataDir string

	// Alloc funds accounts (or places code) in the genesis block, on top of
	// the precompiles and system contracts of `geth --dev`. See DevAlloc.
	// Alloc is part of the genesis, so a DataDir must be reopened with the
	// same Alloc (ErrGenesisMismatch otherwise). Default: nothing funded.
	Alloc types.GenesisAlloc

	// BlockInterval is how often pending transactions are sealed into a
	// block. A block is sealed only when the transaction pool holds a
	// transaction that the block can include. Default DefaultBlockInterval.
	BlockInterval time.Duration

	// IdleBlocks, when positive, seals an empty block whenever no block has
	// been sealed for that long, so that block time moves on an idle chain
	// (leases expire by block time). Checked every BlockInterval.
	// Default 0: never seal empty blocks.
	IdleBlocks time.Duration

	// Logger receives the chain's own logs: where it listens, sealing
	// failures. go-ethereum's internal logs go to its global logger
	// (github.com/ethereum/go-ethereum/log), which discards them unless the
	// program installs one. Default: discard.
	Logger *slog.Logger
}

func (o Options) withDefaults() Options {
	if o.BlockInterval <= 0 {
		o.BlockInterval = DefaultBlockInterval
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o
}

// httpHostPort splits Options.Addr for node.Config, whose empty HTTPHost
// means "no HTTP server" rather than "all interfaces".
func httpHostPort(addr string) (string, int, error) {
	host, portStr, err := net.SplitHostPort(addr)
	if err != nil {
		return "", 0, fmt.Errorf("devchain: JSON-RPC address %q: %w", addr, err)
	}
	if host == "" {
		return "", 0, fmt.Errorf("devchain: JSON-RPC address %q has no host; use 127.0.0.1:%s (or 0.0.0.0:%s for all interfaces)", addr, portStr, portStr)
	}
	port, err := strconv.ParseUint(portStr, 10, 16)
	if err != nil {
		return "", 0, fmt.Errorf("devchain: JSON-RPC address %q: bad port: %w", addr, err)
	}
	return host, int(port), nil
}
