package chain

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/params"
	"github.com/hearth-home/hearth/store"
)

// Intent is a transaction the caller wants on chain, exactly once.
type Intent struct {
	// Key is the caller's idempotency key, e.g. "settle/batch-7": an intent
	// enqueued twice under one key is one transaction.
	Key string
	// To is the called contract or the recipient.
	To common.Address
	// Data is the call data.
	Data []byte
	// Value is the wei sent along; nil is zero.
	Value *big.Int
	// GasLimit is the gas limit; 0 estimates it (times GasMargin), and an
	// estimate that reverts fails the record without using a nonce.
	GasLimit uint64
	// GasExtra is added to an estimate: for a call whose cost depends on
	// other accounts' transactions that may be mined before it (the reveal
	// that completes a replicated order's quorum pays every seat).
	GasExtra uint64 `json:",omitempty"`
}

// State is where a record is in its life.
type State string

const (
	// Queued records are stored but not signed: they have no nonce yet.
	Queued State = "queued"
	// Sent records are signed with a nonce and recorded, and are being (or
	// were) handed to the node. Their raw transaction is kept until mined.
	Sent State = "sent"
	// Mined records have a receipt, successful or reverted, on the
	// canonical chain. A reorg may turn one back into Sent.
	Mined State = "mined"
	// Failed records will not be sent: see Err.
	Failed State = "failed"
)

// Record is an intent and what became of it.
type Record struct {
	Intent
	// Seq orders records as enqueued; nonces follow it.
	Seq   uint64
	State State
	// Nonce, Gas and the fee caps are set once the record is Sent.
	Nonce     uint64
	Gas       uint64
	GasTipCap *big.Int `json:",omitempty"`
	GasFeeCap *big.Int `json:",omitempty"`
	// Hashes are all the versions signed for Nonce, oldest first: the first
	// and its fee-bumped replacements. Any of them may be the one mined.
	Hashes []common.Hash
	// Raw is the latest signed transaction, as sent.
	Raw        []byte
	EnqueuedAt time.Time
	// SentAt is when the latest version was signed.
	SentAt time.Time
	// Attempts counts the sends tried, including re-sends.
	Attempts int

	// Receipt fields, set when Mined.
	TxHash            common.Hash
	BlockNumber       uint64
	BlockHash         common.Hash
	GasUsed           uint64
	Reverted          bool
	EffectiveGasPrice *big.Int `json:",omitempty"`

	// Err says why a record Failed.
	Err string `json:",omitempty"`
	// RevertData is the revert data of a failed estimate, for decoding a
	// contract's custom error.
	RevertData []byte `json:",omitempty"`
}

// Final reports whether the record is Mined or Failed.
func (r Record) Final() bool { return r.State == Mined || r.State == Failed }

// OutboxOptions configures an Outbox. The zero value works.
type OutboxOptions struct {
	// Bucket is the store bucket holding the records. Default "chain_outbox".
	Bucket string
	// PollInterval is how often receipts and the head are polled. Default 1s.
	PollInterval time.Duration
	// StuckAfter is how long a sent transaction may stay unmined before it
	// is replaced, same nonce, with tip and fee cap raised by at least 12.5%.
	// Default 30s.
	StuckAfter time.Duration
	// MaxFeeCap is the highest fee cap, in wei per gas, the outbox signs.
	// Default 500 gwei.
	MaxFeeCap *big.Int
	// GasMargin multiplies estimated gas. Default 1.2.
	GasMargin float64
	// ReorgDepth is how many blocks deep a mined record is still checked
	// for a reorg. Default 64.
	ReorgDepth uint64
	// Finalized, when set, gives the newest final block (a verifying
	// reader's): a mined record is checked for reorgs until its block is
	// final, instead of for ReorgDepth blocks.
	Finalized func(ctx context.Context) (uint64, error)
	// Logger receives the outbox's logs. Default: discard.
	Logger *slog.Logger
	// OnDone is called from Run after a record becomes Mined or Failed, and
	// again if a reorg made it Sent and it is mined anew. It must not block
	// for long.
	OnDone func(Record)
}

func (o OutboxOptions) withDefaults() OutboxOptions {
	if o.Bucket == "" {
		o.Bucket = "chain_outbox"
	}
	if o.PollInterval <= 0 {
		o.PollInterval = time.Second
	}
	if o.StuckAfter <= 0 {
		o.StuckAfter = 30 * time.Second
	}
	if o.MaxFeeCap == nil || o.MaxFeeCap.Sign() <= 0 {
		o.MaxFeeCap = new(big.Int).Mul(big.NewInt(500), big.NewInt(params.GWei))
	}
	if o.GasMargin < 1 {
		o.GasMargin = 1.2
	}
	if o.ReorgDepth == 0 {
		o.ReorgDepth = 64
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o
}

// Outbox sends transactions from one key durably: see the package doc.
type Outbox struct {
	db      *store.DB
	b       Backend
	key     *ecdsa.PrivateKey
	from    common.Address
	chainID *big.Int
	signer  types.Signer
	opts    OutboxOptions

	wake    chan struct{}
	running atomic.Bool

	mu      sync.Mutex
	changed chan struct{} // closed and replaced when a record changes
}

// NewOutbox returns an outbox sending from key on the chain chainID, its
// records in db. It is the only sender that key may have: another sender
// takes nonces the outbox has assigned, failing its records.
func NewOutbox(db *store.DB, b Backend, key *ecdsa.PrivateKey, chainID *big.Int, opts OutboxOptions) (*Outbox, error) {
	if db == nil || b == nil || key == nil || chainID == nil {
		return nil, errors.New("new outbox: db, backend, key and chain ID are required")
	}
	return &Outbox{
		db: db, b: b, key: key,
		from:    crypto.PubkeyToAddress(key.PublicKey),
		chainID: new(big.Int).Set(chainID),
		signer:  types.LatestSignerForChainID(chainID),
		opts:    opts.withDefaults(),
		wake:    make(chan struct{}, 1),
		changed: make(chan struct{}),
	}, nil
}

// From returns the sending account.
func (o *Outbox) From() common.Address { return o.from }

const (
	recPrefix = "rec/" // + key: the Record
	seqPrefix = "seq/" // + %020d seq: key, every record in enqueue order
	actPrefix = "act/" // + %020d seq: key, records Run still works on
	nonceKey  = "next-nonce"
)

func seqKey(prefix string, seq uint64) string { return fmt.Sprintf("%s%020d", prefix, seq) }

// Enqueue stores in durably, to be sent by Run, and returns its record at
// once. An intent whose key is already stored is not stored again: the
// existing record is returned, with ErrKeyConflict if it differs from in.
func (o *Outbox) Enqueue(in Intent) (Record, error) {
	if in.Key == "" {
		return Record{}, errors.New("enqueue: intent has no key")
	}
	in.Data = bytes.Clone(in.Data)
	if in.Value == nil {
		in.Value = new(big.Int)
	} else {
		in.Value = new(big.Int).Set(in.Value)
	}
	var rec Record
	var existed bool
	err := o.db.Update(func(tx *store.Tx) error {
		found, err := tx.GetJSON(o.opts.Bucket, recPrefix+in.Key, &rec)
		if err != nil || found {
			existed = found
			return err
		}
		seq, err := tx.NextSeq(o.opts.Bucket)
		if err != nil {
			return err
		}
		rec = Record{Intent: in, Seq: seq, State: Queued, EnqueuedAt: time.Now().UTC()}
		if err := tx.PutJSON(o.opts.Bucket, recPrefix+in.Key, rec); err != nil {
			return err
		}
		if err := tx.Put(o.opts.Bucket, seqKey(seqPrefix, seq), []byte(in.Key)); err != nil {
			return err
		}
		return tx.Put(o.opts.Bucket, seqKey(actPrefix, seq), []byte(in.Key))
	})
	if err != nil {
		return Record{}, fmt.Errorf("enqueue %s: %w", in.Key, err)
	}
	if existed {
		if !sameIntent(rec.Intent, in) {
			return rec, fmt.Errorf("enqueue %s: %w", in.Key, ErrKeyConflict)
		}
		return rec, nil
	}
	o.poke()
	o.notify()
	return rec, nil
}

func sameIntent(a, b Intent) bool {
	return a.Key == b.Key && a.To == b.To && bytes.Equal(a.Data, b.Data) &&
		a.Value.Cmp(b.Value) == 0 && a.GasLimit == b.GasLimit
}

// Get returns the record under key.
func (o *Outbox) Get(key string) (Record, bool, error) {
	var rec Record
	var found bool
	err := o.db.View(func(tx *store.Tx) error {
		var err error
		found, err = tx.GetJSON(o.opts.Bucket, recPrefix+key, &rec)
		return err
	})
	return rec, found, err
}

// List returns every record in enqueue order.
func (o *Outbox) List() ([]Record, error) {
	var recs []Record
	err := o.db.View(func(tx *store.Tx) error {
		return tx.Scan(o.opts.Bucket, seqPrefix, func(_ string, key []byte) error {
			var rec Record
			if _, err := tx.GetJSON(o.opts.Bucket, recPrefix+string(key), &rec); err != nil {
				return err
			}
			recs = append(recs, rec)
			return nil
		})
	})
	return recs, err
}

// Wait returns the record under key once it is Mined or Failed, or the
// context's error. It needs Run to be running to get anywhere.
func (o *Outbox) Wait(ctx context.Context, key string) (Record, error) {
	for {
		ch := o.changes()
		rec, found, err := o.Get(key)
		if err != nil {
			return rec, err
		}
		if !found {
			return rec, fmt.Errorf("wait %s: %w", key, ErrUnknownIntent)
		}
		if rec.Final() {
			return rec, nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return rec, ctx.Err()
		}
	}
}

func (o *Outbox) changes() <-chan struct{} {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.changed
}

func (o *Outbox) notify() {
	o.mu.Lock()
	close(o.changed)
	o.changed = make(chan struct{})
	o.mu.Unlock()
}

func (o *Outbox) poke() {
	select {
	case o.wake <- struct{}{}:
	default:
	}
}
