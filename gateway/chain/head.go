package chain

import (
	"context"
	"time"

	"github.com/ethereum/go-ethereum/common"
)

// Head is an execution block whose hash a light client verified: the beacon
// header that carries it was signed by a sync committee the client follows.
type Head struct {
	// Hash is the execution block's hash.
	Hash common.Hash
	// Slot is the beacon slot of the header that carries it.
	Slot uint64
	// Time is when that slot began.
	Time time.Time
}

// HeadSource gives verified execution block hashes. A light client
// (gateway/chain/light) is one; the verifying reader (gateway/chain/verify)
// anchors every answer to one of its heads.
type HeadSource interface {
	// Latest returns the newest verified head (optimistic: signed by the
	// sync committee, not yet final). ErrNoHead before the first one;
	// ErrStale when it is older than the source allows.
	Latest() (Head, error)
	// Finalized returns the newest verified finalized head, with the same
	// errors.
	Finalized() (Head, error)
}

// Refresher is a HeadSource, or a Reader built on one, that can be asked
// for a fresher head: a light client checks once a minute while nobody
// needs more, and every slot for a while after Refresh.
type Refresher interface {
	// Refresh asks for a sync soon; it never blocks.
	Refresh()
}

// Mode says how far a chain connection's answers are checked.
type Mode string

const (
	// ModeVerified checks every answer against headers from a beacon light
	// client: the default on public chains.
	ModeVerified Mode = "verified"
	// ModeLocal reads the gateway's own in-process chain (--dev): the
	// gateway is the node, there is nothing to check.
	ModeLocal Mode = "local"
	// ModeTrusted believes one RPC endpoint: only for a private chain that
	// has no sync committee, and only when the owner says so.
	ModeTrusted Mode = "trusted"
)

// Verifying is a Reader that knows how fresh and how final its answers are.
// The market accepts orders only on a fresh head and settles only on
// finalized facts when its reader is one.
type Verifying interface {
	Reader
	// HeadAge is how long ago the verified head's slot began.
	HeadAge(ctx context.Context) (time.Duration, error)
	// FinalizedNumber is the number of the newest verified finalized
	// block.
	FinalizedNumber(ctx context.Context) (uint64, error)
}
