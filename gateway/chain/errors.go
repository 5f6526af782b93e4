package chain

import "errors"

var (
	// ErrWrongPassphrase is returned by LoadKey when the passphrase does not
	// decrypt the key file.
	ErrWrongPassphrase = errors.New("wrong passphrase")
	// ErrNoPassphrase is returned by Passphrase when neither a passphrase
	// file nor HEARTH_CHAIN_PASSPHRASE gives one.
	ErrNoPassphrase = errors.New("no passphrase for the chain key")
	// ErrInsecureFile is returned by Passphrase when the passphrase file can
	// be read or written by its group or by others.
	ErrInsecureFile = errors.New("passphrase file is accessible by group or others")
	// ErrUnknownIntent is returned by Outbox.Wait for a key that was never
	// enqueued.
	ErrUnknownIntent = errors.New("no such intent")
	// ErrKeyConflict is returned by Outbox.Enqueue, together with the
	// existing record, when the key was already used for a different intent.
	ErrKeyConflict = errors.New("intent key already used for a different intent")
	// ErrWrongChain is returned by Outbox.Run when the RPC endpoint serves a
	// chain other than the one the outbox signs for.
	ErrWrongChain = errors.New("RPC endpoint serves a different chain")
	// ErrNonceTaken begins Record.Err of a record that failed because
	// another transaction from the same account took its nonce: the key has
	// a sender besides the outbox.
	ErrNonceTaken = errors.New("nonce taken by another transaction from this account")
	// ErrRunning is returned by Run when the outbox or watcher already runs.
	ErrRunning = errors.New("already running")
)

// Errors of verified reads (gateway/chain/verify, gateway/chain/light).
var (
	// ErrUnverified is returned when an RPC or beacon answer does not match
	// what the verified headers prove: a proof that does not check, a
	// header whose hash differs, receipts that do not rebuild the receipts
	// root. Nothing is decided on such an answer.
	ErrUnverified = errors.New("chain answer failed verification")
	// ErrNoHead is returned by verified reads before the light client has
	// verified its first head.
	ErrNoHead = errors.New("no verified head yet")
	// ErrStale is returned when the newest verified head is older than
	// allowed: the beacon endpoints stopped giving signed updates.
	ErrStale = errors.New("verified head is stale")
	// ErrCheckpointTooOld is returned when the light client's checkpoint is
	// older than its maximum age (two weeks by default).
	ErrCheckpointTooOld = errors.New("light client checkpoint too old")
	// ErrMissingMethod is returned when an RPC endpoint lacks a method that
	// verified reads need (eth_getProof, eth_getBlockReceipts,
	// eth_createAccessList).
	ErrMissingMethod = errors.New("RPC endpoint lacks a method verified reads need")
)
