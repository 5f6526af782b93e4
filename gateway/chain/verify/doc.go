// Package verify is a chain.Reader (and chain.Backend) that believes no
// RPC answer it can check: every read is anchored to block hashes from a
// chain.HeadSource, in production a beacon light client
// (gateway/chain/light), and the RPC endpoint only supplies data that is
// then proven against them.
//
// # What is verified, and how
//
//   - Headers: fetched by hash and accepted only when their RLP hashes, here,
//     to the hash asked for. The head is the head source's newest block
//     (until the RPC has it, the previous one); reads fail with
//     chain.ErrStale when its slot is older than Options.MaxHeadAge. An older block's hash is proven by a storage
//     proof of EIP-2935's history contract at the head's state root (8191
//     blocks back), else by following parent hashes down from the head (256
//     blocks); older blocks cannot be read.
//   - Accounts and storage (BalanceAt, NonceAt, StorageAt, CodeAt):
//     eth_getProof checked with trie.VerifyProof against the block's state
//     root, over proof nodes stored under hashes computed here; every
//     claimed field must equal the proven one. Code must hash to the proven
//     code hash.
//   - Calls (CallContract): eth_call is never asked. The call runs in
//     go-ethereum's EVM over a witness of proven trie nodes and code, which
//     fails on any node the proofs lack; the accounts and slots to prove are
//     first guessed from eth_createAccessList (an untrusted hint), then
//     learned from the runs themselves, at most four runs.
//   - Receipts and logs: a block's transactions must rebuild its
//     transactions root and its receipts its receipts root. A receipt is the
//     one at the index of the transaction whose locally computed hash was
//     asked for (a receipt's transactionHash field is not in the root, so it
//     is never read); every field outside the root (gas used, contract
//     address, log positions...) is derived here. eth_getTransactionReceipt
//     and eth_getLogs only say which block to look at.
//
// Whatever does not match fails with an error wrapping chain.ErrUnverified;
// no failure is ever turned into a made-up value such as a zero.
//
// # What is trusted
//
// The head source: the sync committee that signs beacon headers (2/3 of
// 512 validators, not slashable for it), and Options.ChainID and
// Options.Config, which pin the chain and its rules.
//
// # What cannot be verified
//
//   - Omission: an RPC can hide a transaction's receipt (it reads as not
//     found), or a whole block of logs from FilterLogs (a dropped log is
//     recovered only when eth_getLogs still names its block for another
//     log). Callers that must not miss events keep a counter in verified
//     storage, as the market does with orderCount.
//   - The transaction pool and fees: PendingNonceAt is the proven nonce at
//     the head, SuggestGasTipCap is capped at Options.MaxTip, EstimateGas
//     fails above Options.MaxGas, and SendTransaction sends to every
//     endpoint so that one cannot swallow a transaction alone.
//   - Old state: full nodes prove only recent states (about 128 blocks).
//
// The read endpoint must serve eth_getProof, eth_getBlockReceipts,
// eth_createAccessList and JSON-RPC batches; New checks with Probe.
package verify
