// Package chain is the gateway's generic link to an Ethereum chain: its key,
// its reads, its transactions and the events it follows. It knows no
// contract; the market logic builds on it with generated bindings.
//
// # Key
//
// NewKeyFile makes the gateway's key as a go-ethereum v3 keystore file, the
// format geth and wallets import; LoadKey decrypts it. Passphrase takes the
// passphrase from a file only its owner can read, or from
// HEARTH_CHAIN_PASSPHRASE. On 512 MB boards use light scrypt parameters, and
// a stronger passphrase to make up for them.
//
// # Reads
//
// Reader is every chain read the gateway decides on. Today it is an
// *ethclient.Client (see Dial) trusted as is; it is the seam where verified
// reads (proofs checked against headers from a light client) will go, so
// callers must not read around it.
//
// # Transactions: the Outbox
//
// An Outbox sends transactions from one key, each at most once, none lost.
// Enqueue stores an Intent under the caller's idempotency key, fsynced,
// before anything is sent; the same key again is the same record. Run signs
// queued records in enqueue order with consecutive nonces, and stores each
// signed transaction, with the nonce it took, before sending it. It then
// polls for receipts, replaces a transaction not mined after StuckAfter (same
// nonce, fees up by at least 12.5%, keeping every hash it signed: any may be
// mined), and marks the record Mined (successful or reverted) or Failed.
//
// Crash guarantees. A record is on disk before Enqueue returns. A signed
// transaction is on disk before any node sees it. After a crash, a new
// Outbox on the same database re-sends each signed, unmined record's stored
// bytes (same hash, same nonce) and looks up the receipts of all its hashes;
// it never signs a record anew with another nonce, so an intent is never
// executed twice. Every nonce signed is on disk, and the next nonce is the
// larger of the stored one and the account's pending nonce, so a fresh
// database or an earlier sender are taken in.
//
// Caveats:
//   - The outbox must be the key's only sender. A nonce taken by another
//     sender fails the record that had it (Err begins with ErrNonceTaken),
//     after StuckAfter with no receipt; the caller may enqueue it anew.
//   - When gas is estimated (Intent.GasLimit 0) and the estimate reverts,
//     the record fails without taking a nonce, but only once no earlier
//     record is in flight: until then the revert may be due to state those
//     records change, and the queue waits. With a GasLimit set, a
//     reverting call is mined and its record is Mined with Reverted set.
//   - A record whose transaction the node refuses for good (say, the
//     account cannot pay) stays Sent and holds up later nonces; the refusal
//     is logged.
//   - Mined is not final against reorgs: for ReorgDepth blocks the outbox
//     checks that a mined record's block is still canonical and otherwise
//     turns it back to Sent and re-sends it. OnDone may thus see a key
//     twice.
//   - An unreachable endpoint is logged once; Run backs off and keeps every
//     record. Errors from the RPC client may carry the endpoint URL.
//
// # Events: the Watcher
//
// A Watcher delivers one contract's logs to a handler in block order, once
// Confirmations blocks deep, and stores its cursor after each batch the
// handler accepts. A crash re-delivers at most the last batch, so handlers
// must be idempotent. It keeps the hashes and logs of the blocks it delivered
// near the cursor; when a reorg replaces them it delivers their logs again
// with Removed set, then the new chain's from the common ancestor on.
package chain
